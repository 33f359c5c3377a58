package web

import (
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/trapnet/trapnet/hub/hubtest"
)

// TestScreenshot writes the README's picture of the flight curve (a
// season of hubtest.Season) when HUB_SCREENSHOT names a PNG file:
//
//	HUB_SCREENSHOT=$PWD/docs/hub.png go test -run Screenshot ./hub/web/
func TestScreenshot(t *testing.T) {
	out := os.Getenv("HUB_SCREENSHOT")
	if out == "" {
		t.Skip("set HUB_SCREENSHOT=FILE.png to write the README's screenshot")
	}
	ts, s := newTestServer(t, 0, 0)
	fill(t, s, hubtest.Season("moth-trap-2", time.Date(2026, 5, 1, 2, 0, 0, 0, time.UTC), 60))
	ctx := browser(t)
	do(t, ctx, "login and chart",
		chromedp.Navigate(ts.URL+"/counts?trap=moth-trap-2"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("user"), testUser),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("flight-curve")))
	png := run(t, ctx, "screenshot", chromedp.CaptureScreenshot()) // the viewport: nav, chart, legend
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

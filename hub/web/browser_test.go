package web

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/trapnet/trapnet/hub"
)

// browser starts Debian's chromium headless, driven over the DevTools
// protocol; it skips the test when chromium is not installed, except in
// CI (scripts/deps.sh test installs it).
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed (scripts/deps.sh test installs it)")
		}
		t.Skip("chromium not installed (apt-get install chromium): skipping the browser test")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// run runs a, failing the test on error.
func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// do runs steps, failing the test on error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestBrowser: a real browser logs in, opens the flight curve and reviews
// crops with the keyboard; the store holds the reviews.
func TestBrowser(t *testing.T) {
	ts, s := newTestServer(t, 600, 60)
	ctx := browser(t)
	// Wrong password first: the page says so.
	do(t, ctx, "wrong login",
		chromedp.Navigate(ts.URL+"/counts?trap=trap-01"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("user"), testUser),
		chromedp.SendKeys(chromedp.ID("password"), "not the password"),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("login-error")))
	if e := run(t, ctx, "error text", chromedp.Text(chromedp.ID("login-error"))); !strings.Contains(e, "wrong user or password") {
		t.Errorf("login error shows %q", e)
	}
	do(t, ctx, "login",
		chromedp.SetValue(chromedp.ID("user"), testUser),
		chromedp.SetValue(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("flight-curve"))) // back where the login started
	loc := run(t, ctx, "location", chromedp.Location())
	series := run(t, ctx, "series", chromedp.Evaluate[int](`document.querySelectorAll('#flight-curve g.series').length`))
	points := run(t, ctx, "points", chromedp.Evaluate[int](`document.querySelectorAll('#flight-curve circle').length`))
	width := run(t, ctx, "width", chromedp.Evaluate[float64](`document.getElementById('flight-curve').getBoundingClientRect().width`))
	legend := run(t, ctx, "legend", chromedp.Text(chromedp.CSS("ul.legend")))
	// 3 species and "uncertain", each on 3 nights.
	if !strings.HasSuffix(loc, "/counts?trap=trap-01") || series != 4 || points != 12 || width < 400 {
		t.Errorf("flight curve at %s: %d series, %d points, %.0f px wide", loc, series, points, width)
	}
	if !strings.Contains(legend, "Lycorma delicatula") {
		t.Errorf("legend %q", legend)
	}
	if p := os.Getenv("HUB_SCREENSHOT"); p != "" { // the README's picture
		os.WriteFile(p, run(t, ctx, "screenshot", chromedp.FullScreenshot(100)), 0o644)
	}
	// Review: the first crop is focused; x selects it, l jumps to the
	// label field.
	do(t, ctx, "review page", chromedp.Navigate(ts.URL+"/review"), chromedp.WaitVisible(chromedp.CSS(".crop img")))
	loaded := run(t, ctx, "crops loaded", chromedp.Poll[bool](
		`Array.from(document.querySelectorAll('.crop img')).every(i => i.complete && i.naturalWidth > 0)`,
		chromedp.WithPollingTimeout(20*time.Second)))
	firstID := run(t, ctx, "first crop", chromedp.AttributeValue(chromedp.CSS(".crop"), "data-id")).Value
	do(t, ctx, "select and jump to the label", chromedp.KeyEvent("x"), chromedp.KeyEvent("l"))
	if f := run(t, ctx, "focus", chromedp.Evaluate[string](`document.activeElement.id`)); f != "label" {
		t.Errorf("after x and l the focus is on %q, want the label field", f)
	}
	// (DevTools' key emulation types the l into the field as well.)
	run(t, ctx, "clear the label field", chromedp.Evaluate[string](`document.getElementById('label').value = ''`))
	do(t, ctx, "set a label",
		chromedp.SendKeys(chromedp.ID("label"), "Noctua pronuba"),
		chromedp.Click(chromedp.ID("set")),
		chromedp.WaitVisible(chromedp.ID("done")))
	if done := run(t, ctx, "done", chromedp.Text(chromedp.ID("done"))); !loaded || done != "1 detections reviewed." {
		t.Errorf("crops loaded %v; after the review the page says %q", loaded, done)
	}
	rows, _, err := s.Detections(context.Background(), hub.Filter{Reviewed: "yes"})
	if err != nil || len(rows) != 1 || rows[0].ID != firstID || rows[0].ReviewLabel != "Noctua pronuba" || rows[0].ReviewedBy != testUser {
		t.Fatalf("reviewed in the store: %+v (%v), want %s as Noctua pronuba by %s", rows, err, firstID, testUser)
	}
	// Then x, right arrow, x, c confirms the first two crops with the
	// model's labels.
	do(t, ctx, "confirm with the keyboard",
		chromedp.Navigate(ts.URL+"/review"), // a fresh page, without the last "done"
		chromedp.WaitVisible(chromedp.CSS(".crop img")),
		chromedp.KeyEvent("x"), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent("x"), chromedp.KeyEvent("c"))
	// The form posts and the page reloads: read until the new page says so
	// (reads during the navigation fail and are retried).
	var done string
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end) && done != "2 detections reviewed."; time.Sleep(50 * time.Millisecond) {
		done, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById('done') || {}).textContent || ''`))
	}
	if done != "2 detections reviewed." {
		t.Errorf("after confirming two crops the page says %q", done)
	}
	if _, total, _ := s.Detections(context.Background(), hub.Filter{Reviewed: "yes"}); total != 3 {
		t.Errorf("%d reviewed detections in the store, want 3", total)
	}
}

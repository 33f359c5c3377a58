package runner

import (
	"context"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trapnet/trapnet/internal/brokertest"
)

// TestCaptureWindow: interval captures happen only inside the window, and
// the window's command for the current state runs at start (the lamp).
func TestCaptureWindow(t *testing.T) {
	b := brokertest.StartMochi(t)
	now := time.Now().UTC()
	span := func(from, to time.Duration) string {
		return now.Add(from).Format("15:04") + "-" + now.Add(to).Format("15:04")
	}
	for _, tc := range []struct {
		name, span, lamp string
		captures         bool
	}{
		{"closed", span(2*time.Hour, 3*time.Hour), "off", false},
		{"open", span(-time.Hour, time.Hour), "on", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, b.URL)
			snap := filepath.Join(e.dir, "snap.png")
			writeImage(t, snap, color.RGBA{200, 200, 200, 255})
			lamp := filepath.Join(e.dir, "lamp")
			w := &e.cfg.Capture.Window
			e.cfg.Capture.Trigger, e.cfg.Capture.Snapshot, e.cfg.Capture.Interval = "interval", snap, 50*time.Millisecond
			w.Mode, w.Fixed = "fixed", []string{tc.span}
			w.OnStart = []string{"sh", "-c", "echo on > " + lamp}
			w.OnEnd = []string{"sh", "-c", "echo off > " + lamp}
			if err := e.cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			r, err := New(e.cfg, Options{Log: quiet()})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
			defer cancel()
			r.Run(ctx, 0)
			got, _ := os.ReadFile(lamp)
			caps := r.Health().Captures
			if strings.TrimSpace(string(got)) != tc.lamp || (caps > 0) != tc.captures {
				t.Errorf("window %s at %s: lamp %q, %d captures; want lamp %s, captures %v", tc.span, now.Format("15:04"),
					got, caps, tc.lamp, tc.captures)
			}
		})
	}
}

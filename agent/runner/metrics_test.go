package runner

import (
	"context"
	"image/color"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trapnet/trapnet/internal/brokertest"
)

// TestMetricsEndpoint: health.metrics_listen serves the counters.
func TestMetricsEndpoint(t *testing.T) {
	b := brokertest.StartMochi(t)
	e := newEnv(t, b.URL)
	snap := filepath.Join(e.dir, "snap.png")
	writeImage(t, snap, color.RGBA{200, 200, 200, 255})
	e.cfg.Capture.Trigger, e.cfg.Capture.Snapshot, e.cfg.Capture.Interval = "interval", snap, 50*time.Millisecond
	addr := brokertest.FreePort(t)
	e.cfg.Health.MetricsListen = addr
	r, err := New(e.cfg, Options{Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx, 0); close(done) }()
	defer func() { cancel(); <-done }()
	var body string
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			continue
		}
		bb, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if body = string(bb); strings.Contains(body, `trapnet_agent_captures_total{trap="t1"} `) &&
			!strings.Contains(body, `trapnet_agent_captures_total{trap="t1"} 0`) {
			return
		}
	}
	t.Fatalf("no capture counted on /metrics:\n%s", body)
}

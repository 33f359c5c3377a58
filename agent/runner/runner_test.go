package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/model/testmodel"
	"github.com/trapnet/trapnet/agent/modelupdate"
	"github.com/trapnet/trapnet/agent/outbox"
	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/internal/brokertest"
)

type env struct {
	dir, incoming, priv string
	cfg                 *config.Config
}

// newEnv writes a model, a key pair and a config using broker URL.
func newEnv(t testing.TB, brokerURL string) *env {
	t.Helper()
	dir := t.TempDir()
	e := &env{dir: dir, incoming: filepath.Join(dir, "incoming")}
	os.MkdirAll(e.incoming, 0o755)
	os.WriteFile(filepath.Join(dir, "model.tflite"), testmodel.Build(testmodel.Options{Version: "v1"}), 0o644)
	priv, pub, _ := modelupdate.GenerateKey()
	e.priv = filepath.Join(dir, "k.key")
	os.WriteFile(e.priv, priv, 0o600)
	os.WriteFile(filepath.Join(dir, "k.pub"), pub, 0o644)
	yaml := fmt.Sprintf(`
trap: {id: t1, location: {lat: 45.5, lon: -73.5, country: Canada, region: Quebec}}
capture: {trigger: files, watch_dir: %[1]s/incoming, pixels_per_mm: 10}
model: {path: %[1]s/model.tflite, public_key: %[1]s/k.pub, min_confidence: 0.5, top_k: 3, update_min_interval: 0s}
uncertain: {dir: %[1]s/uncertain}
outbox: {path: %[1]s/state/outbox.db}
mqtt: {broker: %[2]q, ack_timeout: 2s, keepalive: 5s, reconnect_max: 200ms, home_assistant: {enabled: true}}
health: {interval: 100ms}
alerts:
  - {name: lanternfly, labels: [Lycorma delicatula], min_count: 2, window: 1h, min_confidence: 0.5}
`, dir, brokerURL)
	path := filepath.Join(dir, "agent.yaml")
	os.WriteFile(path, []byte(yaml), 0o644)
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	e.cfg = cfg
	return e
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// writeImage writes a solid-colour specimen image (red = Lycorma, green =
// Drosophila, blue = Musca for the test model).
func writeImage(t testing.TB, path string, c color.RGBA) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 24, 24))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, 255
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	png.Encode(f, img)
	f.Close()
}

var red, green = color.RGBA{R: 255}, color.RGBA{G: 255}

func frameIDs(t testing.TB, msgs []brokertest.Msg) []string {
	t.Helper()
	var ids []string
	seen := map[string]bool{}
	for _, m := range msgs {
		var f agent.FrameSummary
		if err := json.Unmarshal(m.Payload, &f); err != nil {
			t.Fatalf("frames payload %q: %v", m.Payload, err)
		}
		if !seen[f.ID] { // consumers de-duplicate by id
			seen[f.ID] = true
			ids = append(ids, f.FrameID)
		}
	}
	return ids
}

// TestRunFolder runs the whole agent on a watched folder with the embedded
// broker: detections, frames, alerts, health, status, discovery, rejected
// corrupt files, and a signed model update over MQTT.
func TestRunFolder(t *testing.T) {
	b := brokertest.StartMochi(t)
	e := newEnv(t, b.URL)
	writeImage(t, filepath.Join(e.incoming, "a.png"), red)
	writeImage(t, filepath.Join(e.incoming, "b.png"), red)
	writeImage(t, filepath.Join(e.incoming, "c.png"), green)
	os.WriteFile(filepath.Join(e.incoming, "corrupt.png"), []byte("\x89PNG\r\n\x1a\ngarbage"), 0o644)
	logw := &brokertest.LogBuffer{}
	defer func() {
		if t.Failed() {
			t.Logf("agent log:\n%s", logw.String())
		}
	}()
	r, err := New(e.cfg, Options{Finder: agent.WholeImage{}, Log: slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, 2*time.Second) }()
	defer func() { cancel(); <-done }()

	dets, err := b.WaitFor("trapnet/t1/detections", 3, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var d agent.Detection
	json.Unmarshal(dets[0].Payload, &d)
	if d.Label != "Lycorma delicatula" || d.TrapID != "t1" || d.ModelVersion != "v1" || len(d.TopK) != 3 || d.Uncertain {
		t.Fatalf("detection %s", dets[0].Payload)
	}
	if _, err := b.WaitFor("trapnet/t1/alerts", 1, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if len(b.Messages("homeassistant/sensor/trapnet_t1_queue_depth/config")) != 1 {
		t.Fatal("no Home Assistant discovery message")
	}
	// A daily count sensor per label of the model, and the day's counts.
	if len(b.Messages("homeassistant/sensor/trapnet_t1_today_lycorma_delicatula/config")) != 1 {
		t.Error("no daily count sensor for the model's label Lycorma delicatula")
	}
	if len(b.Messages("trapnet/t1/counts")) == 0 {
		t.Error("no daily counts published")
	}
	// The corrupt file is rejected (moved aside) and counted on health.
	waitFile(t, filepath.Join(e.incoming, "rejected", "corrupt.png"))
	h := waitHealth(t, b, func(h agent.Health) bool { return h.FrameErrors >= 1 && h.Detections == 3 })
	if h.ModelVersion != "v1" || h.Disk.FreeBytes == 0 {
		t.Fatalf("health %+v", h)
	}

	// A tampered update is refused and reported; a signed one is applied.
	v2 := testmodel.Build(testmodel.Options{Version: "v2"})
	priv, _ := modelupdate.LoadPrivateKey(e.priv)
	good, _ := modelupdate.NewPayload(v2, 1, modelupdate.Sign(priv, v2, 1), "")
	bad := strings.Replace(string(good), `"signature":"`, `"signature":"AAAA`, 1)
	b.Publish("trapnet/t1/model/set", []byte(bad), false)
	waitHealth(t, b, func(h agent.Health) bool { return h.ModelUpdates.Refused == 1 })
	b.Publish("trapnet/t1/model/set", good, false)
	waitHealth(t, b, func(h agent.Health) bool { return h.ModelUpdates.Applied == 1 && h.ModelVersion == "v2" })
	writeImage(t, filepath.Join(e.incoming, "d.png"), green)
	dets, err = b.WaitFor("trapnet/t1/detections", 4, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(dets[3].Payload, &d)
	if d.ModelVersion != "v2" {
		t.Fatalf("detection after update used model %s", d.ModelVersion)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	done <- nil
	box, err := outbox.Open(e.cfg.Outbox.Path, outbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := box.State("alerts"); !strings.Contains(string(st), "lanternfly") {
		t.Fatalf("alert windows not saved with the frames: %s", st)
	}
	box.Close()
	st, _ := b.WaitUntil("trapnet/t1/status", func(ms []brokertest.Msg) bool {
		return len(ms) > 0 && string(ms[len(ms)-1].Payload) == "offline"
	}, 5*time.Second)
	if last := st[len(st)-1]; string(last.Payload) != "offline" || !last.Retained {
		for _, m := range st {
			t.Logf("status %q at %s", m.Payload, m.At.Format("15:04:05.000"))
		}
		t.Fatalf("last status %q, want retained offline", last.Payload)
	}
}

func waitFile(t testing.TB, path string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(path); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not appear", path)
}

func waitHealth(t testing.TB, b *brokertest.Mochi, ok func(agent.Health) bool) agent.Health {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var h agent.Health
	for time.Now().Before(deadline) {
		if hs := b.Messages("trapnet/t1/health"); len(hs) > 0 {
			h = agent.Health{}
			json.Unmarshal(hs[len(hs)-1].Payload, &h)
			if ok(h) {
				return h
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("health never matched; last %+v", h)
	return h
}

// TestBrokerOutageDuringFrames stops the broker, processes N frames, restarts
// it: all N frames' messages arrive, in order.
func TestBrokerOutageDuringFrames(t *testing.T) {
	const n = 20
	b := brokertest.StartMochi(t)
	e := newEnv(t, b.URL)
	var paths []string
	for i := 0; i < n; i++ {
		p := filepath.Join(e.dir, fmt.Sprintf("f%02d.png", i))
		writeImage(t, p, green)
		paths = append(paths, p)
	}
	tick := make(chan time.Time)
	r, err := New(e.cfg, Options{Finder: agent.WholeImage{}, Source: camera.NewFiles(paths, camera.Options{}), Tick: tick, Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, 5*time.Second) }()
	defer func() { cancel(); <-done }()
	tick <- time.Now()
	if _, err := b.WaitFor("trapnet/t1/frames", 1, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	b.Stop()
	for i := 1; i < n; i++ {
		tick <- time.Now()
	}
	for r.Pipeline().Counters().Captures.Load() < n {
		time.Sleep(10 * time.Millisecond)
	}
	if d := r.Outbox().Stats().Depth; d < n-1 {
		t.Fatalf("outbox depth %d while the broker is down, want >= %d", d, n-1)
	}
	b.Start(t)
	msgs, _ := b.WaitUntil("trapnet/t1/frames", func(ms []brokertest.Msg) bool { return len(frameIDs(t, ms)) >= n }, 15*time.Second)
	ids := frameIDs(t, msgs)
	if len(ids) != n {
		t.Fatalf("%d distinct frames arrived, want %d", len(ids), n)
	}
	for i, id := range ids {
		if want := fmt.Sprintf("f%02d.png", i); id != want {
			t.Fatalf("frame %d is %s, want %s (order)", i, id, want)
		}
	}
	if got, _ := b.WaitFor("trapnet/t1/detections", n, 5*time.Second); len(got) < n {
		t.Fatalf("%d detections, want %d", len(got), n)
	}
}

// newStoppedBroker reserves a broker address without starting it.
func newStoppedBroker(t testing.TB) *brokertest.Mochi {
	b := brokertest.StartMochi(t)
	b.Stop()
	return b
}

// Case 1 of issue 13 end to end: while the outbox cannot commit (full
// disk) the frame stays in the watched folder and health says why; once
// the disk has room every frame is published.
func TestRunDiskFull(t *testing.T) {
	b := brokertest.StartMochi(t)
	e := newEnv(t, b.URL)
	var full atomic.Bool
	full.Store(true)
	r, err := New(e.cfg, Options{Finder: agent.WholeImage{}, Log: quiet(), BeforeCommit: func() error {
		if full.Load() {
			return syscall.ENOSPC
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	r.Pipeline().RetryBase = 50 * time.Millisecond
	writeImage(t, filepath.Join(e.incoming, "a.png"), red)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, 2*time.Second) }()
	defer func() { cancel(); <-done }()
	h := waitHealth(t, b, func(h agent.Health) bool { return h.CommitErrors >= 2 })
	if !strings.Contains(h.LastFrameError, "no space left") {
		t.Fatalf("health does not say why: %+v", h)
	}
	if _, err := os.Stat(filepath.Join(e.incoming, "a.png")); err != nil {
		t.Fatalf("frame left the inbox while the disk was full: %v", err)
	}
	full.Store(false)
	if _, err := b.WaitFor("trapnet/t1/detections", 1, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	waitFile(t, filepath.Join(e.incoming, "done", "a.png"))
	waitHealth(t, b, func(h agent.Health) bool { return h.LastFrameError == "" && h.Detections == 1 })
}

package runner

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/internal/brokertest"
	"github.com/trapnet/trapnet/synth/trap"
)

// synthEnv generates that many synthetic 1024x576 trap frames with minSpec to
// 8 specimens each, starts a broker and an agent environment at their scale.
func synthEnv(t *testing.T, frames, minSpec int) (string, *trap.GroundTruth, *brokertest.Mochi, *env) {
	t.Helper()
	dir := t.TempDir()
	o := trap.DefaultOptions()
	o.Dir, o.Frames, o.Width, o.Height, o.MinSpecimens, o.MaxSpecimens, o.PixelsPerMM, o.Workers = dir, frames, 1024, 576, minSpec, 8, 12, 1
	gt, err := trap.Generate(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	b := brokertest.StartMochi(t)
	e := newEnv(t, b.URL)
	e.cfg.Capture.PixelsPerMM = o.PixelsPerMM
	return dir, gt, b, e
}

// TestSyntheticFrames runs the real detector and the test model on
// synthetic trap frames and checks the published counts against the
// ground truth.
func TestSyntheticFrames(t *testing.T) {
	dir, gt, b, e := synthEnv(t, 3, 4)
	var paths []string
	want := 0
	for _, f := range gt.Frames {
		paths = append(paths, filepath.Join(dir, trap.FramesDir, f.File))
		want += len(f.Specimens)
	}
	r, err := New(e.cfg, Options{Source: camera.NewFiles(paths, camera.Options{}), Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Run(context.Background(), 10*time.Second); err != nil {
		t.Fatal(err)
	}
	frames, _ := b.WaitFor("trapnet/t1/frames", len(gt.Frames), 5*time.Second)
	if len(frames) != len(gt.Frames) {
		t.Fatalf("%d frame summaries, want %d", len(frames), len(gt.Frames))
	}
	found := 0
	for i, m := range frames {
		var s agent.FrameSummary
		json.Unmarshal(m.Payload, &s)
		found += s.Specimens
		t.Logf("frame %d: %d specimens in ground truth, %d found, %d new, %.0f ms", i, len(gt.Frames[i].Specimens), s.Specimens, s.New, s.LatencyMS)
	}
	if found < want*7/10 || found > want*13/10 {
		t.Fatalf("found %d specimens, ground truth %d", found, want)
	}
	dets := b.Messages("trapnet/t1/detections")
	var d agent.Detection
	json.Unmarshal(dets[0].Payload, &d)
	if d.Size.AreaMM2 <= 0 || d.Size.ImageMeasurementValue <= 0 || d.Box.X1 <= d.Box.X0 {
		t.Fatalf("detection without size/box: %s", dets[0].Payload)
	}
}

// Case 2 of issue 13 end to end: an agent restarted on the same card (real
// detector and tracker) reports no specimen as new again.
func TestRestartResumesTracking(t *testing.T) {
	dir, gt, b, e := synthEnv(t, 1, 5)
	frame := filepath.Join(dir, trap.FramesDir, gt.Frames[0].File)
	e.cfg.Alerts = nil
	for run := 1; run <= 2; run++ {
		r, err := New(e.cfg, Options{Source: camera.NewFiles([]string{frame}, camera.Options{}), Log: quiet()})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Run(context.Background(), 10*time.Second); err != nil {
			t.Fatal(err)
		}
		frames, _ := b.WaitFor("trapnet/t1/frames", run, 5*time.Second)
		if len(frames) != run {
			t.Fatalf("run %d: %d frame summaries", run, len(frames))
		}
		var s agent.FrameSummary
		json.Unmarshal(frames[run-1].Payload, &s)
		if run == 1 && (s.New == 0 || s.New != s.Specimens) {
			t.Fatalf("first run: %d specimens, %d new", s.Specimens, s.New)
		}
		if run == 2 && (s.Specimens == 0 || s.New != 0) {
			t.Fatalf("after a restart: %d specimens, %d re-counted as new", s.Specimens, s.New)
		}
	}
}

package agent

import (
	"context"
	"image"
	"image/color"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent/outbox"
	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/detect"
)

// trackingFinder finds the same three specimens on every frame and tracks
// them with a real detect.Tracker (Stateful through it).
type trackingFinder struct{ tr *detect.Tracker }

func newTrackingFinder() *trackingFinder { return &trackingFinder{detect.NewTracker(0.3, 10)} }

func (f *trackingFinder) Find(img image.Image) ([]Specimen, error) {
	boxes := []image.Rectangle{image.Rect(0, 0, 8, 8), image.Rect(20, 0, 28, 8), image.Rect(40, 0, 48, 8)}
	tracks := f.tr.Update(boxes)
	out := make([]Specimen, len(boxes))
	for i, b := range boxes {
		crop := image.NewRGBA(image.Rect(0, 0, 8, 8))
		for p := 0; p < len(crop.Pix); p += 4 {
			crop.Pix[p], crop.Pix[p+3] = 200, 255 // Drosophila, 0.9
		}
		out[i] = Specimen{Box: b, Crop: crop, TrackID: tracks[i].ID, New: tracks[i].New}
	}
	return out, nil
}

func (f *trackingFinder) MarshalState() ([]byte, error) { return f.tr.MarshalState() }
func (f *trackingFinder) UnmarshalState(b []byte) error { return f.tr.UnmarshalState(b) }

func writePNGAt(t *testing.T, path string, mod time.Time) {
	t.Helper()
	writePNG(t, path)
	if err := os.Chtimes(path, mod, mod); err != nil {
		t.Fatal(err)
	}
}

func topicsOf(t *testing.T, box *outbox.Outbox) map[string]int {
	t.Helper()
	es, err := box.Peek(1000)
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, e := range es {
		n[strings.TrimPrefix(e.Topic, "trapnet/t1/")]++
	}
	return n
}

// Case 1 of issue 13: with the outbox on a full disk, a frame stays in the
// inbox, is retried with back-off and, once the disk has room, its
// specimens are published (none is lost as "already seen").
func TestDiskFullKeepsFrames(t *testing.T) {
	var failing atomic.Int64
	failing.Store(3)
	box, err := outbox.Open(filepath.Join(t.TempDir(), "o.db"), outbox.Options{BeforeCommit: func() error {
		if failing.Add(-1) >= 0 {
			return syscall.ENOSPC
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer box.Close()
	cfg := testConfig(t)
	cfg.Alerts = nil
	p := &Pipeline{Cfg: cfg, Finder: newTrackingFinder(), Classifier: &fakeClassifier{}, Outbox: box,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), RetryBase: 20 * time.Millisecond}
	dir := t.TempDir()
	t0 := time.Now().Add(-time.Minute)
	writePNGAt(t, filepath.Join(dir, "a.png"), t0)
	writePNGAt(t, filepath.Join(dir, "b.png"), t0.Add(time.Second))
	src, err := camera.NewFolder(dir, camera.FolderOptions{Poll: 5 * time.Millisecond, StableFor: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var sawReason atomic.Bool
	done := make(chan error, 1)
	go func() {
		done <- p.Run(ctx, src, nil, func() {
			if strings.Contains(p.Counters().LastError(), "no space left") {
				sawReason.Store(true)
				if _, err := os.Stat(filepath.Join(dir, "a.png")); err != nil {
					t.Error("frame left the inbox although its commit failed")
				}
			}
			if p.Counters().Captures.Load()-p.Counters().CommitErrors.Load() == 2 {
				cancel()
			}
		})
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	src.Close()
	if !sawReason.Load() {
		t.Fatal("the reason of the failed commit was never reported")
	}
	if c := p.Counters(); c.CommitErrors.Load() != 3 || c.LastError() != "" {
		t.Fatalf("commit errors %d, last error %q", c.CommitErrors.Load(), c.LastError())
	}
	if n := topicsOf(t, box); n["detections"] != 3 || n["frames"] != 2 {
		t.Fatalf("outbox holds %v, want 3 detections and 2 frames", n)
	}
	for _, name := range []string{"a.png", "b.png"} {
		if _, err := os.Stat(filepath.Join(dir, "done", name)); err != nil {
			t.Fatalf("%s not in done/: %v", name, err)
		}
	}
}

// Case 2 of issue 13: the tracker and alert windows are committed with each
// frame; after a restart the same card's specimens are not counted again
// and no min_count alert fires falsely.
func TestRestartDoesNotRecount(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o.db")
	cfg := testConfig(t)
	cfg.Alerts[0].MinCount = 4 // 3 specimens on the card: never reached honestly
	run := func(frameID string, restore bool) (FrameSummary, map[string]int) {
		box, err := outbox.Open(path, outbox.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer box.Close()
		p := &Pipeline{Cfg: cfg, Finder: newTrackingFinder(), Classifier: &fakeClassifier{}, Outbox: box,
			Alerts: NewAlerts("t1", cfg.Alerts), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		if restore {
			if found, err := p.RestoreState(); err != nil || !found {
				t.Fatalf("restore: found %v, %v", found, err)
			}
		}
		f := frame(frameID)
		f.Image = image.NewUniform(color.Black)
		sum, err := p.Process(f)
		if err != nil {
			t.Fatal(err)
		}
		return sum, topicsOf(t, box)
	}
	if sum, _ := run("f1.jpg", false); sum.New != 3 {
		t.Fatalf("first frame: %d new", sum.New)
	}
	sum, n := run("f2.jpg", true)
	if sum.New != 0 || n["alerts"] != 0 || n["detections"] != 3 {
		t.Fatalf("after restart: %d new, outbox %v", sum.New, n)
	}
}

// Case 8 of issue 13: two frames with the same file name and capture time
// (a camera clock reset) but different pixels get different frame and
// detection ids; the same frame processed again gets the same ones.
func TestFrameIDsIncludeContent(t *testing.T) {
	p, _, _ := newPipeline(t, fakeFinder{reds: []uint8{200}}, &fakeClassifier{})
	ids := func(img image.Image) string {
		f := frame("snap.jpg")
		f.Image = img
		sum, err := p.Process(f)
		if err != nil {
			t.Fatal(err)
		}
		return sum.ID
	}
	white, black := image.NewUniform(color.White), image.NewUniform(color.Black)
	a, b, again := ids(white), ids(black), ids(white)
	if a == b {
		t.Fatalf("different frames share id %s", a)
	}
	if a != again {
		t.Fatalf("same frame got ids %s and %s", a, again)
	}
	rgba := image.NewRGBA(image.Rect(0, 0, 4, 4))
	rgba2 := image.NewRGBA(image.Rect(0, 0, 4, 4))
	rgba2.Pix[5] = 1
	if ids(rgba) == ids(rgba2) {
		t.Fatal("one changed byte did not change the id")
	}
}

// Case 10 of issue 13: drops under a full outbox spare alerts and
// detections before frame summaries, and are logged.
func TestFullOutboxDropsLogged(t *testing.T) {
	box, err := outbox.Open(filepath.Join(t.TempDir(), "o.db"), outbox.Options{MaxMessages: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer box.Close()
	var logs strings.Builder
	cfg := testConfig(t)
	p := &Pipeline{Cfg: cfg, Finder: fakeFinder{reds: []uint8{200, 200, 200}}, Classifier: &fakeClassifier{}, Outbox: box,
		Alerts: NewAlerts("t1", cfg.Alerts), Log: slog.New(slog.NewTextHandler(&logs, nil))}
	if _, err := p.Process(frame("f1.jpg")); err != nil {
		t.Fatal(err)
	}
	n := topicsOf(t, box)
	if n["alerts"] != 1 || n["detections"] != 3 || n["frames"] != 0 {
		t.Fatalf("outbox after the drop: %v", n)
	}
	if !strings.Contains(logs.String(), "outbox full") {
		t.Fatalf("drop not logged: %s", logs.String())
	}
}

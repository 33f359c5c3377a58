package trap

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/synth/internal/dirtest"
)

func TestFramesReplaceEarlierRun(t *testing.T) {
	o := tinyFrames(t.TempDir())
	o.Frames = 3
	if _, err := Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(o.Dir, FramesDir)
	dirtest.WriteFile(t, filepath.Join(dir, "notes.txt"), "user")
	o.Frames = 2
	if _, err := Generate(context.Background(), o); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("second run without Overwrite: err = %v", err)
	}
	o.Overwrite = true
	if _, err := Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if got := dirtest.JPEGsUnder(t, dir); len(got) != 2 || !got["frame_0001.jpg"] || !got["frame_0002.jpg"] {
		t.Errorf("frames after the second run: %v", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Errorf("user file: %v", err)
	}
	// Frames without synth's ground truth are not replaced.
	if err := os.Remove(filepath.Join(dir, GroundTruthFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(context.Background(), o); err == nil || !strings.Contains(err.Error(), "not synth's") {
		t.Fatalf("frames without ground truth: err = %v", err)
	}
}

func TestFramesCancelledLeaveNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	o := tinyFrames(t.TempDir())
	o.Frames = 4
	o.Progress = func(done, total int) { cancel() }
	if _, err := Generate(ctx, o); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if got := dirtest.JPEGsUnder(t, filepath.Join(o.Dir, FramesDir)); len(got) > 0 {
		t.Errorf("cancelled run left %v", got)
	}
}

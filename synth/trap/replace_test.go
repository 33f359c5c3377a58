package trap

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// jpegsUnder lists the .jpg files under dir, relative to dir.
func jpegsUnder(t *testing.T, dir string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".jpg") {
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshot returns every file under dir (relative path -> bytes).
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFramesReplaceEarlierRun(t *testing.T) {
	o := tinyFrames(t.TempDir())
	o.Frames = 3
	if _, err := Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(o.Dir, FramesDir)
	writeFile(t, filepath.Join(dir, "notes.txt"), "user")
	o.Frames = 2
	if _, err := Generate(context.Background(), o); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("second run without Overwrite: err = %v", err)
	}
	o.Overwrite = true
	if _, err := Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if got := jpegsUnder(t, dir); len(got) != 2 || !got["frame_0001.jpg"] || !got["frame_0002.jpg"] {
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
	if got := jpegsUnder(t, filepath.Join(o.Dir, FramesDir)); len(got) > 0 {
		t.Errorf("cancelled run left %v", got)
	}
}

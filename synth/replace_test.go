package synth

import (
	"context"
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

func TestGenerateReplacesEarlierRun(t *testing.T) {
	o := tiny(t.TempDir())
	o.Images = 120
	if _, err := Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	// Files that are not synth's must survive a replacement.
	keep := []string{"notes.txt", "images/README", "images/cropped_256/train/labels.txt", "images/other/x.jpg"}
	for _, p := range keep {
		writeFile(t, filepath.Join(o.Dir, p), "user")
	}
	o.Images, o.Seed = 90, 8
	_, err := Generate(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("second run without Overwrite: err = %v, want a refusal mentioning --force", err)
	}
	if err := o.Validate(); err == nil {
		t.Fatal("Validate accepts a directory with an earlier dataset")
	}
	o.Overwrite = true
	if _, err := Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{"images/other/x.jpg": true}
	for _, rec := range readCSV(t, o.Dir)[1:] {
		listed[ImagePath(rec[0], rec[20], rec[22])] = true // processid, split, chunk
	}
	got := jpegsUnder(t, o.Dir)
	for p := range got {
		if !listed[p] {
			t.Errorf("stale image %s", p)
		}
	}
	if len(got) != len(listed) {
		t.Errorf("%d images on disk, %d listed", len(got), len(listed))
	}
	for _, p := range keep {
		if _, err := os.Stat(filepath.Join(o.Dir, p)); err != nil {
			t.Errorf("user file %s: %v", p, err)
		}
	}
}

func TestGenerateRefusesForeignDataset(t *testing.T) {
	o := tiny(t.TempDir())
	o.Overwrite = true
	writeFile(t, filepath.Join(o.Dir, MetadataFile), "processid\n")
	writeFile(t, filepath.Join(o.Dir, "images/cropped_256/train/0/A.jpg"), "real")
	_, err := Generate(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "not synth's") {
		t.Fatalf("err = %v, want a refusal", err)
	}
	if _, err := os.Stat(filepath.Join(o.Dir, "images/cropped_256/train/0/A.jpg")); err != nil {
		t.Fatalf("foreign image removed: %v", err)
	}
}

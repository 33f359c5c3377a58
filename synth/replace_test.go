package synth

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/synth/internal/dirtest"
)

func TestGenerateReplacesEarlierRun(t *testing.T) {
	o := tiny(t.TempDir())
	o.Images = 120
	if _, err := Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	// Files that are not synth's must survive a replacement.
	keep := []string{"notes.txt", "images/README", "images/cropped_256/train/labels.txt", "images/other/x.jpg"}
	for _, p := range keep {
		dirtest.WriteFile(t, filepath.Join(o.Dir, p), "user")
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
	got := dirtest.JPEGsUnder(t, o.Dir)
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
	dirtest.WriteFile(t, filepath.Join(o.Dir, MetadataFile), "processid\n")
	dirtest.WriteFile(t, filepath.Join(o.Dir, "images/cropped_256/train/0/A.jpg"), "real")
	_, err := Generate(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "not synth's") {
		t.Fatalf("err = %v, want a refusal", err)
	}
	if _, err := os.Stat(filepath.Join(o.Dir, "images/cropped_256/train/0/A.jpg")); err != nil {
		t.Fatalf("foreign image removed: %v", err)
	}
}

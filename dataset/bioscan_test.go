package dataset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenBIOSCANGood(t *testing.T) {
	root := writeBIOSCAN(t, goodRows(t, 9))
	d, err := OpenBIOSCAN(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(d.Classes, "|"), "Aedes aegypti|Bombus terrestris|Culex pipiens"; got != want {
		t.Fatalf("classes = %q, want %q", got, want)
	}
	sizes := d.SplitSizes()
	if sizes["train"] != 9 || sizes["val"] != 2 || sizes["test"] != 1 {
		t.Fatalf("split sizes = %v", sizes)
	}
	if c := d.ClassCounts("train"); c[0] != 3 || c[1] != 3 || c[2] != 3 {
		t.Fatalf("train class counts = %v", c)
	}
	s := d.Samples[0]
	if s.Line != 2 || s.ProcessID != "TRAa" || s.Class != 0 || s.Split != "train" {
		t.Fatalf("first sample = %+v", s)
	}
	if want := filepath.Join(root, "images", "cropped_256", "train", "1", "TRAa.jpg"); s.ImagePath != want {
		t.Fatalf("image path = %s, want %s", s.ImagePath, want)
	}
	if v, ok := s.Meta.Get("country"); !ok || v != "Canada" {
		t.Fatalf("meta country = %q, %v", v, ok)
	}
	row := s.Meta.Row()
	if row["coord-lat"] != "45.5" || row["coord-lon"] != "-75.1" || row["image_measurement_value"] != "1200" {
		t.Fatalf("meta row = %v", row)
	}
	for _, k := range d.Report.Kinds() {
		t.Errorf("unexpected issue kind %s: %v", k, d.Report.Issues(k))
	}
}

func TestOpenBIOSCANMissingFile(t *testing.T) {
	dir := t.TempDir()
	_, err := OpenBIOSCAN(dir, Options{})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, BIOSCANMetadataFile)) || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("err = %v, want one naming the missing metadata file", err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	}
}

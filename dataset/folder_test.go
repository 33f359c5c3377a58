package dataset

import (
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writePhoto writes a small JPEG photo at path (folders made).
func writePhoto(t *testing.T, path string, v uint8) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = v
	}
	img.SetRGBA(3, 3, color.RGBA{200, 10, 10, 255})
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, nil); err != nil {
		t.Fatal(err)
	}
}

// TestOpenFolderClasses: DIR/LABEL/photo.jpg, as a user keeps labelled
// photos; each class split about 70/15/15 by a hash of its paths, the same
// every time; a small class all train; what is no photo is reported.
func TestOpenFolderClasses(t *testing.T) {
	dir := t.TempDir()
	for i := range 40 {
		writePhoto(t, filepath.Join(dir, "Actias luna", "img"+strings.Repeat("a", i%3)+string(rune('0'+i%10))+string(rune('a'+i/10))+".jpg"), uint8(i))
	}
	for i := range 20 {
		sub := ""
		if i%2 == 0 {
			sub = "night2"
		}
		writePhoto(t, filepath.Join(dir, "Catocala", sub, "p"+string(rune('a'+i))+".JPG"), uint8(i))
	}
	for i := range 3 {
		writePhoto(t, filepath.Join(dir, "rare moth", "r"+string(rune('a'+i))+".jpeg"), 9)
	}
	writeFile(t, filepath.Join(dir, "Catocala", "notes.txt"), []byte("seen at the trap"))
	writeFile(t, filepath.Join(dir, "README.md"), []byte("my photos"))
	writeFile(t, filepath.Join(dir, "Catocala", ".DS_Store"), []byte("x"))    // hidden: skipped silently
	writePhoto(t, filepath.Join(dir, "Catocala", ".thumbnails", "pa.jpg"), 1) // not a photo of the class
	src, err := ParseSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	if src.Format != FormatFolder {
		t.Fatalf("format %q, want %q", src.Format, FormatFolder)
	}
	open := func() *Dataset {
		d, err := Open([]Source{src}, Options{Splits: []string{SplitTrain, SplitVal, SplitTest}})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := open()
	if got := strings.Join(d.Classes, ","); got != "Actias luna,Catocala,rare moth" {
		t.Errorf("classes %s", got)
	}
	per := map[string]map[string]int{}
	for _, s := range d.Samples {
		if per[s.Label] == nil {
			per[s.Label] = map[string]int{}
		}
		per[s.Label][s.Split]++
		if s.Class < 0 {
			t.Errorf("%s: no class id", s.ImagePath)
		}
	}
	want := map[string]map[string]int{
		"Actias luna": {SplitTrain: 28, SplitVal: 6, SplitTest: 6},
		"Catocala":    {SplitTrain: 14, SplitVal: 3, SplitTest: 3},
		"rare moth":   {SplitTrain: 3},
	}
	for label, w := range want {
		for sp, n := range w {
			if per[label][sp] != n {
				t.Errorf("%s %s: %d photos, want %d (all: %v)", label, sp, per[label][sp], n, per[label])
			}
		}
	}
	again := open()
	for i := range d.Samples {
		if d.Samples[i].ImagePath != again.Samples[i].ImagePath || d.Samples[i].Split != again.Samples[i].Split {
			t.Fatalf("split differs between two opens at %s", d.Samples[i].ImagePath)
		}
	}
	if n := d.Report.Count(BadRow); n != 2 {
		t.Errorf("%d files reported as no photo, want 2 (notes.txt, README.md): %v", n, d.Report.Issues(BadRow))
	}
}

// TestOpenFolderSplits: DIR/SPLIT/LABEL/photo.jpg keeps the given splits;
// a folder beside the splits that is none is reported and left out.
func TestOpenFolderSplits(t *testing.T) {
	dir := t.TempDir()
	for _, sp := range []string{"train", "validation", "test"} {
		for _, label := range []string{"moth", "fly"} {
			for i := range 3 {
				writePhoto(t, filepath.Join(dir, sp, label, label+string(rune('0'+i))+".jpg"), 50)
			}
		}
	}
	writePhoto(t, filepath.Join(dir, "extra", "moth", "x.jpg"), 50)
	src, err := ParseSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Open([]Source{src}, Options{Splits: []string{SplitTrain, SplitVal, SplitTest}})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.SplitSizes(); got[SplitTrain] != 6 || got[SplitVal] != 6 || got[SplitTest] != 6 {
		t.Errorf("split sizes %v, want 6 each", got)
	}
	if n := d.Report.Count(UnknownSplit); n != 1 {
		t.Errorf("%d unknown split folders reported, want 1 (extra)", n)
	}
}

// TestParseSourceNothing: a folder with neither layout names all three.
func TestParseSourceNothing(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a", "notes.txt"), []byte("x"))
	_, err := ParseSource(dir)
	if err == nil || !strings.Contains(err.Error(), "class folders") || !strings.Contains(err.Error(), dir) {
		t.Fatalf("error %v, want one naming %s and the class-folder layout", err, dir)
	}
}

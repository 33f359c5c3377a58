package realeval

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// TestEvaluateExifOrientation: a phone photo stored sideways (60x40 px
// with Exif Orientation 6, shown 40x60) is scored on the turned image when
// its boxes were drawn on that (annotation 40x60), on the pixels as stored
// when they were drawn by a tool that ignores the tag (60x40), and not at
// all when neither size is the annotation's.
func TestEvaluateExifOrientation(t *testing.T) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 60, 40)), nil); err != nil {
		t.Fatal(err)
	}
	// Exif APP1 with IFD0: Orientation (0x0112, SHORT) = 6, big-endian.
	var tiff bytes.Buffer
	tiff.WriteString("MM")
	for _, v := range []any{uint16(42), uint32(8), uint16(1), uint16(0x0112), uint16(3), uint32(1), uint16(6), uint16(0), uint32(0)} {
		_ = binary.Write(&tiff, binary.BigEndian, v)
	}
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	jpg := append([]byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}, seg...)
	jpg = append(jpg, buf.Bytes()[2:]...)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "trap"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"shown", "stored", "other"} {
		if err := os.WriteFile(filepath.Join(dir, "trap", name+".jpg"), jpg, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, size := range map[string][2]int{"shown": {40, 60}, "stored": {60, 40}, "other": {50, 50}} {
		ann := fmt.Sprintf(`{"width": %d, "height": %d, "objects": [{"box": [5, 5, 30, 30], "kind": "insect"}]}`, size[0], size[1])
		if err := os.WriteFile(filepath.Join(dir, "trap", name+".boxes.json"), []byte(ann), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	frames, problems, err := FindFrames(dir)
	if err != nil || len(problems) > 0 || len(frames) != 3 {
		t.Fatalf("FindFrames: %d frames, problems %v, err %v", len(frames), problems, err)
	}
	// A detector that finds the annotated insect in whatever image it gets
	// and says the image's size in its box.
	sizes := map[string]image.Point{}
	det := func(f Frame, img image.Image) ([]image.Rectangle, error) {
		sizes[filepath.Base(f.Path)] = img.Bounds().Size()
		return []image.Rectangle{image.Rect(5, 5, 30, 30)}, nil
	}
	rep := Evaluate(frames, det, nil)
	for _, row := range rep.Rows {
		name := filepath.Base(row.Frame.Path)
		switch name {
		case "shown.jpg":
			if row.Err != nil || row.AsStored || sizes[name] != image.Pt(40, 60) || row.Score.Found != 1 {
				t.Errorf("%s: err %v, as stored %v, detector saw %v, found %d; want the turned 40x60 image scored", name, row.Err, row.AsStored, sizes[name], row.Score.Found)
			}
		case "stored.jpg":
			if row.Err != nil || !row.AsStored || sizes[name] != image.Pt(60, 40) || row.Score.Found != 1 {
				t.Errorf("%s: err %v, as stored %v, detector saw %v, found %d; want the stored 60x40 pixels scored", name, row.Err, row.AsStored, sizes[name], row.Score.Found)
			}
		case "other.jpg":
			if row.Err == nil {
				t.Errorf("%s: scored, want an error naming both sizes", name)
			}
		}
	}
}

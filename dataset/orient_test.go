package dataset

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// TestDecodeImageUpright: a phone's photo stored sideways (Exif
// Orientation 6: turn 90 degrees clockwise to view) is decoded as viewed,
// as the agent's sources decode frames.
func TestDecodeImageUpright(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 40, 20)) // stored landscape
	for x := range 10 {
		img.Pix[4*x], img.Pix[4*x+3] = 255, 255 // a red mark at the top-left
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	jpg := buf.Bytes()
	// APP1 "Exif": little-endian TIFF, IFD0 with one entry, Orientation
	// (0x0112) SHORT = 6.
	app1 := []byte{0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
		'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0}
	turned := append(append(append([]byte{}, jpg[:2]...), app1...), jpg[2:]...)
	dir := t.TempDir()
	for name, data := range map[string][]byte{"stored.jpg": jpg, "turned.jpg": turned} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]image.Point{"stored.jpg": {40, 20}, "turned.jpg": {20, 40}} {
		got, _, _, err := DecodeImage(Sample{ImagePath: filepath.Join(dir, name)})
		if err != nil {
			t.Fatal(err)
		}
		if got.Bounds().Size() != want {
			t.Errorf("%s: decoded %v, want %v", name, got.Bounds().Size(), want)
		}
	}
}

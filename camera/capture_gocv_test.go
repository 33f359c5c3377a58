//go:build gocv

package camera

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"testing"

	"gocv.io/x/gocv"
)

// colourFrame is a w x h frame of one colour with a black square whose
// position depends on i.
func colourFrame(w, h, i int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{200, 180, 40, 255}
			if x >= 10*i && x < 10*i+8 && y < 8 {
				c = color.RGBA{0, 0, 0, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func readAll(t *testing.T, spec string) []Frame {
	t.Helper()
	src, err := OpenCapture(spec, CaptureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var frames []Frame
	for {
		f, err := src.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, f)
		if len(frames) > 100 {
			t.Fatal("no end of stream")
		}
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Next(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
	return frames
}

func TestCaptureRoundTrip(t *testing.T) {
	const w, h, n = 96, 64, 5
	dir := t.TempDir()
	// A PNG sequence written with Go's encoder.
	for i := range n {
		fh, err := os.Create(filepath.Join(dir, fmt.Sprintf("frame_%03d.png", i)))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(fh, colourFrame(w, h, i)); err != nil {
			t.Fatal(err)
		}
		fh.Close()
	}
	// An MJPG .avi written with OpenCV's VideoWriter.
	avi := filepath.Join(dir, "clip.avi")
	vw, err := gocv.VideoWriterFile(avi, "MJPG", 10, w, h, true)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		m, err := gocv.ImageToMatRGB(colourFrame(w, h, i))
		if err != nil {
			t.Fatal(err)
		}
		if err := vw.Write(m); err != nil {
			t.Fatal(err)
		}
		m.Close()
	}
	vw.Close()

	tests := []struct {
		name, spec string
		exact      bool // lossless: pixels must match
	}{
		{"png sequence", filepath.Join(dir, "frame_%03d.png"), true},
		{"mjpg avi", avi, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			frames := readAll(t, tc.spec)
			if len(frames) != n {
				t.Fatalf("read %d frames, want %d", len(frames), n)
			}
			for i, f := range frames {
				if f.Image.Bounds() != image.Rect(0, 0, w, h) {
					t.Fatalf("frame %d bounds %v", i, f.Image.Bounds())
				}
				r, g, b, _ := f.Image.At(w-1, h-1).RGBA()
				dr, dg, db := int(r>>8)-200, int(g>>8)-180, int(b>>8)-40
				tol := 0
				if !tc.exact {
					tol = 12
				}
				if abs(dr) > tol || abs(dg) > tol || abs(db) > tol {
					t.Errorf("frame %d colour (%d,%d,%d), want (200,180,40): channel order?", i, r>>8, g>>8, b>>8)
				}
				if y, _, _, _ := f.Image.At(10*i+4, 4).RGBA(); y>>8 > 60 {
					t.Errorf("frame %d: marker square missing (frames out of order?)", i)
				}
			}
		})
	}
}

func TestOpenCaptureMissing(t *testing.T) {
	if _, err := OpenCapture(filepath.Join(t.TempDir(), "nope_%03d.png"), CaptureOptions{}); err == nil {
		t.Error("opening a missing sequence succeeded")
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

package overlay

import (
	"image"
	"image/color"
	"path/filepath"
	"testing"

	"github.com/trapnet/trapnet/camera"
)

func TestDraw(t *testing.T) {
	red := color.RGBA{255, 0, 0, 255}
	white := color.RGBA{255, 255, 255, 255}
	for _, tc := range []struct {
		name      string
		frame     image.Rectangle
		mark      Mark
		labelRows image.Rectangle // where the label's background must show (empty: no label)
	}{
		{"box only", image.Rect(0, 0, 200, 100), Mark{Box: image.Rect(50, 40, 90, 80), Color: red, Width: 2}, image.Rectangle{}},
		{"label above", image.Rect(0, 0, 200, 100), Mark{Box: image.Rect(50, 40, 90, 80), Color: red, Label: "Musca 0.91"}, image.Rect(50, 40-15, 55, 40)},
		{"label inside at the top edge", image.Rect(0, 0, 200, 100), Mark{Box: image.Rect(10, 0, 90, 60), Color: red, Label: "x"}, image.Rect(10, 0, 15, 15)},
		{"scaled on a large frame", image.Rect(0, 0, 4096, 2160), Mark{Box: image.Rect(1000, 1000, 1100, 1100), Color: red, Label: "moth"}, image.Rect(1000, 1000-45, 1005, 1000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := image.NewRGBA(tc.frame)
			for i := range img.Pix {
				img.Pix[i] = 255
			}
			out := Draw(img, []Mark{tc.mark})
			b := tc.mark.Box
			w := tc.mark.Width
			if w == 0 {
				w = Scale(tc.frame) + 1
			}
			for _, p := range []image.Point{b.Min, {b.Max.X - 1, b.Max.Y - 1}, {b.Min.X + w - 1, b.Min.Y + (b.Dy() / 2)}} {
				if out.RGBAAt(p.X, p.Y) != red {
					t.Errorf("outline pixel %v is %v", p, out.RGBAAt(p.X, p.Y))
				}
			}
			if c := out.RGBAAt(b.Min.X+w+2, b.Min.Y+b.Dy()/2); c != white {
				t.Errorf("box interior changed: %v", c)
			}
			if !tc.labelRows.Empty() {
				reds, whites := 0, 0
				r := tc.labelRows
				for y := r.Min.Y; y < r.Max.Y; y++ {
					for x := r.Min.X; x < r.Min.X+60*Scale(tc.frame) && x < tc.frame.Max.X; x++ {
						switch out.RGBAAt(x, y) {
						case red:
							reds++
						case white:
							whites++
						}
					}
				}
				if reds == 0 || whites == 0 {
					t.Errorf("label area %v: %d background and %d text pixels", r, reds, whites)
				}
			}
			if img.RGBAAt(b.Min.X, b.Min.Y) != white {
				t.Error("Draw changed its input")
			}
		})
	}
}

func TestWriteJPEG(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.jpg")
	img := Draw(image.NewRGBA(image.Rect(0, 0, 64, 48)), []Mark{{Box: image.Rect(4, 4, 30, 30), Color: color.RGBA{0, 0, 255, 255}, Label: "a"}})
	if err := WriteJPEG(p, img); err != nil {
		t.Fatal(err)
	}
	back, err := camera.DecodeFile(p, 0)
	if err != nil || back.Bounds() != img.Bounds() {
		t.Fatalf("read back: %v, %v", back, err)
	}
	if err := WriteJPEG(filepath.Join(t.TempDir(), "no", "such", "dir.jpg"), img); err == nil {
		t.Fatal("no error for an unwritable path")
	}
}

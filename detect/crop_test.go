package detect

import (
	"image"
	"image/color"
	"math"
	"testing"
)

func TestCropRect(t *testing.T) {
	tests := []struct {
		name   string
		box    image.Rectangle
		margin float64
		want   image.Rectangle
	}{
		{"square no margin", image.Rect(10, 10, 20, 20), 0, image.Rect(10, 10, 20, 20)},
		{"wide box", image.Rect(0, 0, 20, 10), 0, image.Rect(0, -5, 20, 15)},
		{"margin 0.25", image.Rect(100, 100, 140, 120), 0.25, image.Rect(90, 80, 150, 140)},
		{"odd centre, negative", image.Rect(-3, 0, 0, 1), 0, image.Rect(-3, -1, 0, 2)},
		{"empty", image.Rect(5, 5, 5, 9), 0.2, image.Rectangle{}},
		{"negative margin", image.Rect(0, 0, 10, 10), -1, image.Rect(0, 0, 10, 10)},
		{"NaN margin", image.Rect(0, 0, 10, 10), math.NaN(), image.Rect(0, 0, 10, 10)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := CropRect(tc.box, tc.margin)
			if got != tc.want {
				t.Fatalf("CropRect(%v, %v) = %v, want %v", tc.box, tc.margin, got, tc.want)
			}
			if !got.Empty() && (got.Dx() != got.Dy() || !tc.box.In(got)) {
				t.Errorf("%v is not a square containing %v", got, tc.box)
			}
		})
	}
}

func TestCrop(t *testing.T) {
	// A yellow card with a dark specimen at the top-left corner.
	img := image.NewRGBA(image.Rect(0, 0, 100, 80))
	for y := range 80 {
		for x := range 100 {
			img.SetRGBA(x, y, color.RGBA{230, 210, 50, 255})
		}
	}
	for y := 2; y < 12; y++ {
		for x := 1; x < 21; x++ {
			img.SetRGBA(x, y, color.RGBA{20, 20, 20, 255})
		}
	}
	tests := []struct {
		name     string
		box      image.Rectangle
		margin   float64
		wantSize int
	}{
		{"corner specimen padded", image.Rect(1, 2, 21, 12), 0.25, 30},
		{"inside", image.Rect(40, 40, 50, 50), 0.1, 12},
		{"outside frame", image.Rect(500, 500, 520, 520), 0.1, 0},
		{"empty box", image.Rectangle{}, 0.1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Crop(img, tc.box, tc.margin)
			if c.Bounds().Dx() != tc.wantSize || c.Bounds().Dy() != tc.wantSize || c.Bounds().Min != (image.Point{}) {
				t.Fatalf("crop bounds %v, want 0,0-%d,%d", c.Bounds(), tc.wantSize, tc.wantSize)
			}
		})
	}
	// An image whose At panics gives an empty crop, not a panic.
	if c := Crop(image.NewPaletted(image.Rect(0, 0, 50, 50), nil), image.Rect(45, 45, 55, 55), 0.1); !c.Bounds().Empty() {
		t.Errorf("crop of an unreadable image: %v", c.Bounds())
	}
	// Out-of-frame fill is the card colour, not black.
	c := Crop(img, image.Rect(1, 2, 21, 12), 0.25)
	if got := c.RGBAAt(0, 0); got != (color.RGBA{230, 210, 50, 255}) {
		t.Errorf("fill colour %v, want the card's yellow", got)
	}
	// The specimen's centre stays at the crop centre.
	if got := c.RGBAAt(15, 15); got.R != 20 {
		t.Errorf("crop centre %v, want the specimen", got)
	}
}

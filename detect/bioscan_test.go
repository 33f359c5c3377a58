package detect

import (
	"image"
	"image/color"
	"math"
	"testing"
)

func TestBIOSCANCropRect(t *testing.T) {
	tests := []struct {
		name   string
		box    image.Rectangle
		margin float64
		want   image.Rectangle
	}{
		{"4:3 box, no margin", image.Rect(0, 0, 40, 30), 0, image.Rect(0, 0, 40, 30)},
		{"margin per axis", image.Rect(100, 100, 140, 130), 0.1, image.Rect(96, 97, 144, 133)},
		{"elongated widened to 4:3", image.Rect(0, 0, 100, 20), 0, image.Rect(0, -28, 100, 47)},
		{"tall", image.Rect(0, 0, 30, 90), 0, image.Rect(-19, 0, 49, 90)},
		{"empty", image.Rect(5, 5, 5, 9), 0.2, image.Rectangle{}},
		{"NaN margin", image.Rect(0, 0, 40, 30), math.NaN(), image.Rect(0, 0, 40, 30)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := BIOSCANCropRect(tc.box, tc.margin)
			if got != tc.want {
				t.Fatalf("BIOSCANCropRect(%v, %v) = %v, want %v", tc.box, tc.margin, got, tc.want)
			}
			if got.Empty() {
				return
			}
			lo, hi := min(got.Dx(), got.Dy()), max(got.Dx(), got.Dy())
			if !tc.box.In(got) || float64(hi) > float64(lo)*4/3+1 {
				t.Errorf("%v does not contain %v or is narrower than 4:3", got, tc.box)
			}
		})
	}
}

func TestReplaceBackground(t *testing.T) {
	card := color.RGBA{238, 215, 60, 255}
	img := image.NewRGBA(image.Rect(0, 0, 4, 1))
	img.SetRGBA(0, 0, card)                           // background
	img.SetRGBA(1, 0, color.RGBA{242, 212, 64, 255})  // background with noise
	img.SetRGBA(2, 0, color.RGBA{40, 35, 30, 255})    // opaque dark body
	img.SetRGBA(3, 0, color.RGBA{245, 231, 138, 255}) // translucent pale wing over the card
	ReplaceBackground(img, card, BIOSCANBackground)
	if c := img.RGBAAt(0, 0); c != BIOSCANBackground {
		t.Errorf("card pixel became %v, want %v", c, BIOSCANBackground)
	}
	if c := img.RGBAAt(1, 0); absDiff(c.B, BIOSCANBackground.B) > 5 {
		t.Errorf("noisy card pixel became %v", c)
	}
	if c := img.RGBAAt(2, 0); c != (color.RGBA{40, 35, 30, 255}) {
		t.Errorf("opaque specimen pixel changed to %v", c)
	}
	// The wing keeps part of its difference from the card but loses most
	// of the card's yellow: blue moves toward the other channels.
	if c := img.RGBAAt(3, 0); c.B <= 138 || int(c.R)-int(c.B) > 60 {
		t.Errorf("wing pixel became %v, still card-yellow", c)
	}
	ReplaceBackground(nil, card, BIOSCANBackground) // must not panic
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

package detect

import (
	"image"
	"image/color"
	"testing"
)

// TestCloseUpInsectNotCard: a brown moth photographed close up on a light
// sheet fills a quarter of the frame, and its colour is as saturated as a
// sticky card's (chroma over luma 0.44). With Options.Trap auto it was
// taken for a card and nothing was found on it; a card is far larger than
// any insect (cardMinMM2), so the frame is searched as a sheet and the moth
// found. A yellow card 100 x 70 mm, and one of the moth's size when Trap
// says sticky, are still cards.
func TestCloseUpInsectNotCard(t *testing.T) {
	const ppm = 10.0
	moth := func(w, h int, bg func(x, y int) color.RGBA) image.Image {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		cx, cy := float64(w)/2, float64(h)/2
		for y := range h {
			for x := range w {
				c := bg(x, y)
				dx, dy := (float64(x)+0.5-cx)/80, (float64(y)+0.5-cy)/55
				if dx*dx+dy*dy <= 1 {
					c = color.RGBA{150, 95, 45, 255}
					if (x/9+y/7)%3 == 0 {
						c = color.RGBA{110, 68, 30, 255} // the wing's pattern
					}
				}
				img.SetRGBA(x, y, c)
			}
		}
		return jpegRoundTrip(t, img, 90)
	}
	sheet := func(x, y int) color.RGBA {
		n := uint8((x*7919 + y*104729) % 13)
		return color.RGBA{214 + n, 212 + n, 206 + n, 255}
	}
	card := func(x, y int) color.RGBA {
		n := uint8((x*7919 + y*104729) % 9)
		return color.RGBA{226 + n, 206 + n, 48 + n, 255}
	}
	for _, tc := range []struct {
		name    string
		img     image.Image
		trap    string
		surface string
	}{
		{"moth close up on a sheet", moth(260, 200, sheet), TrapAuto, SurfaceSheet},
		{"moth on a card 100 x 70 mm", moth(1000, 700, card), TrapAuto, SurfaceCard},
		{"moth on a card 26 x 20 mm, trap sticky", moth(260, 200, card), TrapSticky, SurfaceCard},
	} {
		fr := analyzeAs(t, tc.img, ppm, tc.trap)
		if fr.Surface != tc.surface {
			t.Errorf("%s: searched as %s, want %s", tc.name, fr.Surface, tc.surface)
		}
		if tc.surface != SurfaceSheet {
			continue
		}
		var big int
		for _, s := range fr.Specimens {
			if max(s.Box.Dx(), s.Box.Dy()) >= 100 {
				big++
			}
		}
		if big != 1 {
			t.Errorf("%s: %d specimens of 100 px or more (%v), want the moth", tc.name, big, boxesOf(fr.Specimens))
		}
	}
}

// analyzeAs returns Analyze's frame for img at ppm with Options.Trap trap.
func analyzeAs(t *testing.T, img image.Image, ppm float64, trap string) Frame {
	t.Helper()
	o := DefaultOptions(ppm)
	o.Trap = trap
	fr, err := Analyze(img, o)
	if err != nil {
		t.Fatal(err)
	}
	return fr
}

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
// found. A yellow card 100 x 70 mm is still a card, and so are smaller
// pieces of card (cardCloseUpShare): one filling the frame, one lighter
// than the cloth around it, one on a white table filling most of the
// frame, and any card when Trap says sticky.
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
	cloth := func(x, y int) color.RGBA {
		n := uint8((x*7919 + y*104729) % 9)
		return color.RGBA{40 + n, 38 + n, 42 + n, 255}
	}
	// a card 36 x 26 mm on cloth, in a frame of 48 x 40 mm
	cardOnCloth := func(x, y int) color.RGBA {
		if x >= 60 && x < 420 && y >= 70 && y < 330 {
			return card(x, y)
		}
		return cloth(x, y)
	}
	// a card 26 x 20 mm on a white table, three quarters of the frame
	cardOnTable := func(x, y int) color.RGBA {
		if x >= 20 && x < 280 && y >= 20 && y < 220 {
			return card(x, y)
		}
		return sheet(x, y)
	}
	for _, tc := range []struct {
		name    string
		img     image.Image
		trap    string
		surface string
	}{
		{"moth close up on a sheet", moth(260, 200, sheet), TrapAuto, SurfaceSheet},
		{"moth on a card 100 x 70 mm", moth(1000, 700, card), TrapAuto, SurfaceCard},
		{"a piece of card 26 x 20 mm filling the frame, a moth on it", moth(260, 200, card), TrapAuto, SurfaceCard},
		{"a card 36 x 26 mm on dark cloth, a moth on it", moth(480, 400, cardOnCloth), TrapAuto, SurfaceCard},
		{"a card 26 x 20 mm on a white table, most of the frame, a moth on it", moth(300, 240, cardOnTable), TrapAuto, SurfaceCard},
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

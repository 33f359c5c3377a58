package trap

import (
	"image"
	"testing"
)

// TestSessionWhitePoint: on a sheet session whose camera clips (seed 11),
// every frame holds a spike of pixels at its white point (a few to half of
// the frame, as on ../shared/realframes' clipped sheets), and only the
// timestamp is brighter; a session that does not clip (seed 13) has no
// white point, and neither has a sticky card's.
func TestSessionWhitePoint(t *testing.T) {
	for _, c := range []struct {
		seed uint64
		bg   string
		clip bool
	}{
		{11, BackgroundSheet, true},
		{13, BackgroundSheet, false},
		{11, BackgroundSticky, false},
	} {
		o, gt := sessionFrames(t, func(o *Options) { o.Seed, o.Background, o.Frames = c.seed, c.bg, 2 })
		for _, ft := range gt.Frames {
			if (ft.WhitePoint > 0) != c.clip {
				t.Errorf("seed %d %s %s: white point %d, want clipped %v", c.seed, c.bg, ft.File, ft.WhitePoint, c.clip)
				continue
			}
			if !c.clip {
				continue
			}
			img := decodeFrame(t, o, ft.File)
			b := img.Bounds()
			var levels [256]int
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					levels[int(lum(img, x, y)+0.5)]++
				}
			}
			// JPEG moves a few clipped pixels by a level or two.
			at := 0
			for l := max(0, ft.WhitePoint-2); l <= min(255, ft.WhitePoint+2); l++ {
				at += levels[l]
			}
			share := float64(at) / float64(b.Dx()*b.Dy())
			above := 0
			for l := ft.WhitePoint + 4; l < 256; l++ {
				above += levels[l]
			}
			stamp := ft.Objects[len(ft.Objects)-1].Box
			if share < whiteMin/2 || share > whiteMax+0.1 || above == 0 || above > (stamp[2]-stamp[0])*(stamp[3]-stamp[1]) {
				t.Errorf("seed %d %s: %.3f of the pixels within 2 levels of the white point %d (want %.2f-%.2f), %d brighter by 4 or more (want some, the timestamp's, within its box %v)",
					c.seed, ft.File, share, ft.WhitePoint, whiteMin/2, whiteMax+0.1, above, stamp)
			}
		}
	}
	// Cards never clip; about whiteClipShare of sheet sessions do.
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	clipped := 0
	for seed := uint64(1); seed <= 200; seed++ {
		if sessionWhite(seed, BackgroundSticky, img).white != 0 {
			t.Fatalf("seed %d: a sticky card clipped", seed)
		}
		if w := sessionWhite(seed, BackgroundSheet, img); w.white != 0 {
			if w.white < whiteLow || w.white > whiteHigh || w.gain < 1 {
				t.Errorf("seed %d: white point %d, gain %.2f: want %d-%d and a gain of 1 or more", seed, w.white, w.gain, whiteLow, whiteHigh)
			}
			clipped++
		}
	}
	if clipped < 70 || clipped > 130 {
		t.Errorf("%d of 200 sheet sessions clip, want about %.0f %%", clipped, 100*whiteClipShare)
	}
}

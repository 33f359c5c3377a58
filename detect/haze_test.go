package detect

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// veiled returns img under a veil: every channel v -> a + (1 - a/255) v.
func veiled(img *image.RGBA, a float64) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	for i, v := range img.Pix {
		out.Pix[i] = uint8(a + (1-a/255)*float64(v) + 0.5)
		if i%4 == 3 {
			out.Pix[i] = 255
		}
	}
	return out
}

// TestDehaze: dehaze takes the black level off every channel and
// stretches the rest back, on an RGBA frame and on a JPEG's subsampled
// YCbCr alike, keeping the bounds.
func TestDehaze(t *testing.T) {
	src := image.NewRGBA(image.Rect(3, 5, 11, 9))
	for i := range src.Pix {
		src.Pix[i] = uint8(37 * i)
		if i%4 == 3 {
			src.Pix[i] = 255
		}
	}
	got, err := dehaze(veiled(src, 60), 60)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != src.Rect {
		t.Fatalf("bounds %v, want %v", got.Bounds(), src.Rect)
	}
	for y := src.Rect.Min.Y; y < src.Rect.Max.Y; y++ {
		for x := src.Rect.Min.X; x < src.Rect.Max.X; x++ {
			w, g := src.RGBAAt(x, y), color.RGBAModel.Convert(got.At(x, y)).(color.RGBA)
			if d := max(absDiff(w.R, g.R), absDiff(w.G, g.G), absDiff(w.B, g.B)); d > 1 {
				t.Fatalf("at (%d,%d) %v, want %v within 1", x, y, g, w)
			}
		}
	}
	ycc := image.NewYCbCr(image.Rect(0, 0, 4, 4), image.YCbCrSubsampleRatio420)
	for i := range ycc.Y {
		ycc.Y[i] = uint8(100 + i)
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 100, 150
	}
	out, err := dehaze(ycc, 55)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := out.(*image.YCbCr)
	if !ok || d.SubsampleRatio != image.YCbCrSubsampleRatio420 || d.Rect != ycc.Rect {
		t.Fatalf("dehazed YCbCr is %T %v", out, out.Bounds())
	}
	s := 255.0 / 200
	if want := uint8(math.Round((100 - 55) * s)); d.Y[0] != want || d.Cb[0] != uint8(math.Round(128-28*s)) || d.Cr[0] != uint8(math.Round(128+22*s)) {
		t.Errorf("Y Cb Cr %d %d %d, want %d %d %d", d.Y[0], d.Cb[0], d.Cr[0], want, uint8(math.Round(128-28*s)), uint8(math.Round(128+22*s)))
	}
}

// TestCardVeiled: whiteflies on a card under a veil (60 + 0.7 v, as a
// smudged lens gives) deviate a third less; the veil is measured
// (Frame.Haze) and taken off, and they are found as on the clear card.
// Without it 20 of 35 were found here.
func TestCardVeiled(t *testing.T) {
	img, paint, card := cardOnCloth(1400, 1000)
	want := whiteflyGrid(img, paint, image.Rect(220, 200, 1200, 850), 160, 130, 4, 2.8, [3]uint8{6, 8, 55})
	// A pale card (a quarter grey) that the veil washes out of the card's
	// colour: found on the cells with the frame's own black level off.
	pale := veiled(img, 0)
	for i := range pale.Pix {
		if x, y := (i/4)%1400, (i/4)/1400; i%4 != 3 && image.Pt(x, y).In(card) {
			pale.Pix[i] = uint8(0.75*float64(pale.Pix[i]) + 0.25*230)
		}
	}
	for _, c := range []struct {
		name       string
		img        *image.RGBA
		a          float64
		minH, maxH float64 // Frame.Haze wanted (a pale card reads as veiled by its paleness too)
	}{{"clear", img, 0, 0, 0}, {"veiled", img, 60, 52, 68}, {"pale veiled", pale, 60, 60, 130}} {
		fr, err := Analyze(jpegRoundTrip(t, veiled(c.img, c.a), 85), DefaultOptions(8))
		if err != nil {
			t.Fatal(err)
		}
		found := countFound(fr.Specimens, want, centredWithin(4))
		t.Logf("%s: haze %.1f, %d of %d whiteflies, %d detections", c.name, fr.Haze, found, len(want), len(fr.Specimens))
		if found < len(want)*9/10 || fr.Haze < c.minH || fr.Haze > c.maxH {
			t.Errorf("%s card: Haze %.1f (want %.0f-%.0f), %d of %d whiteflies found (want 9/10): %v", c.name, fr.Haze, c.minH, c.maxH, found, len(want), boxesOf(fr.Specimens))
		}
	}
}

// TestSheetVeiled: on a light sheet the veil is read on its darkest
// cells, where enough of them are black to read it on (dark moths here):
// faint insects that the veil (60 + 0.7 v) takes under the thresholds
// are found as on the clear sheet. A sheet whose darkest insect is a
// brown moth has no black to read a veil on: it reads 40 or more but is
// searched as it is, and so is a frame dark all over (the lamp off), whose
// darkest cells are its middle ones.
func TestSheetVeiled(t *testing.T) {
	var ps []paint
	var faint []image.Rectangle
	for i := range 4 { // dark moths: the black
		x := 150 + float64(i)*260
		ps = append(ps, filled(ell{x, 150, 45, 18, 0.3}, 10))
	}
	for i := range 8 { // faint insects
		x, y := 120+float64(i%4)*270, 380+float64(i/4)*180
		ps = append(ps, filled(ell{x, y, 22, 9, -0.4}, 155))
		faint = append(faint, image.Rect(int(x)-22, int(y)-14, int(x)+22, int(y)+14))
	}
	img := sheetWith(1200, 700, ps...)
	brown := sheetWith(1200, 700, filled(ell{300, 300, 20, 8, 0}, 80), filled(ell{800, 400, 22, 9, 0.5}, 150))
	dark := veiled(sheetWith(1200, 700), 0) // the lamp off: a frame dark all over
	for i := range dark.Pix {
		if i%4 != 3 {
			dark.Pix[i] = dark.Pix[i]/5 - 1 // 39-41
		}
	}
	o := DefaultOptions(10)
	o.WorkSize = 300 // cells of 4 x 4 px, as on a 4K sheet
	for _, c := range []struct {
		name       string
		img        *image.RGBA
		a          float64
		minH, maxH float64
	}{{"clear", img, 0, 0, 0}, {"veiled", img, 60, 52, 68}, {"brown", brown, 0, 0, 0}, {"dark", dark, 0, 0, 0}} {
		fr, err := Analyze(jpegRoundTrip(t, veiled(c.img, c.a), 90), o)
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, f := range faint {
			for _, s := range fr.Specimens {
				if IoU(s.Box, f) >= 0.3 {
					found++
					break
				}
			}
		}
		t.Logf("%s: haze %.1f, %d of %d faint insects, %d specimens", c.name, fr.Haze, found, len(faint), len(fr.Specimens))
		if fr.Haze < c.minH || fr.Haze > c.maxH {
			t.Errorf("%s sheet: Haze %.1f, want %.0f-%.0f", c.name, fr.Haze, c.minH, c.maxH)
		}
		if c.img == img && found < len(faint) {
			t.Errorf("%s sheet: %d of %d faint insects found: %v", c.name, found, len(faint), boxesOf(fr.Specimens))
		}
	}
}

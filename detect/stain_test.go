package detect

import (
	"image"
	"math/rand"
	"testing"
)

// TestStainNotSpecimen: on a light sheet with six dark moths in focus
// (outlines turning within about 2 px), a faint stain whose darkness fades
// over 12 px is not reported; a pale moth as faint, its outline as sharp as
// the dark moths', is. The same stain is reported where the sheet holds too
// few clear specimens to tell how sharp the camera is.
func TestStainNotSpecimen(t *testing.T) {
	const ppm = 10.0
	w, h := 2000, 1200
	frame := func(moths int) (img *image.RGBA, stain, pale image.Point) {
		rng := rand.New(rand.NewSource(5))
		dark := make([]float64, w*h)
		for i := range moths {
			x, y := 250+float64(i%3)*300, 250+float64(i/3)*600
			paintDark(dark, w, x, y, 60, 30, 0.7, 1.5)
			paintDark(dark, w, x, y, 30, 6, 0.95, 1.5) // its body, near black
		}
		stain = paintDark(dark, w, 1400, 300, 25, 25, 0.3, 12)
		pale = paintDark(dark, w, 1400, 850, 60, 30, 0.2, 1.5)
		paintDark(dark, w, 1400, 850, 30, 6, 0.45, 1.5) // its body
		return darkSheet(dark, w, h, func(int, int) float64 { return rng.NormFloat64() * 3 }), stain, pale
	}
	for _, moths := range []int{6, 2} {
		img, stain, pale := frame(moths)
		got, err := Detect(jpegRoundTrip(t, img, 90), DefaultOptions(ppm))
		if err != nil {
			t.Fatal(err)
		}
		if countFound(got, []image.Point{pale}, centredWithin(10)) != 1 {
			t.Errorf("%d moths: pale moth at %v not found (%v)", moths, pale, boxesOf(got))
		}
		reported := countFound(got, []image.Point{stain}, centredWithin(10)) == 1
		if want := moths < stainMinClear; reported != want {
			t.Errorf("%d moths: stain at %v reported %v, want %v (%v)", moths, stain, reported, want, boxesOf(got))
		}
	}
}

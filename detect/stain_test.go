package detect

import (
	"image"
	"image/color"
	"math"
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
		paint := func(cx, cy, a, b, v, edge float64) image.Point {
			for y := int(cy - b - 2*edge); y <= int(cy+b+2*edge); y++ {
				for x := int(cx - a - 2*edge); x <= int(cx+a+2*edge); x++ {
					dx, dy := (float64(x)+0.5-cx)/a, (float64(y)+0.5-cy)/b
					k := math.Min(1, math.Max(0, (1-math.Sqrt(dx*dx+dy*dy))*math.Min(a, b)/edge+0.5))
					dark[y*w+x] = math.Max(dark[y*w+x], v*k)
				}
			}
			return image.Pt(int(cx), int(cy))
		}
		for i := range moths {
			paint(250+float64(i%3)*300, 250+float64(i/3)*600, 60, 30, 0.7, 1.5)
		}
		stain = paint(1400, 300, 25, 25, 0.3, 12)
		pale = paint(1400, 850, 60, 30, 0.2, 1.5)
		paint(1400, 850, 30, 6, 0.45, 1.5) // its body
		img = image.NewRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				k := 1 - dark[y*w+x]
				n := rng.NormFloat64() * 3
				c := func(v float64) uint8 { return uint8(math.Max(0, math.Min(255, v*k+n))) }
				img.SetRGBA(x, y, color.RGBA{c(214), c(210), c(218), 255})
			}
		}
		return img, stain, pale
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

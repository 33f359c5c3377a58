package detect

import (
	"image"
	"image/color"
	"math"
	"math/rand"
	"testing"
)

// TestShadowNotSpecimen: a shadow cast into a light sheet's corner (dark,
// with a penumbra 3 mm wide, cut by the frame's border, like the trap
// housing's on ../shared/realframes/cyprus) is not reported; dark moths are,
// one of them in focus and one slightly out of focus (an edge 0.5 mm wide),
// and so is a pale moth whose faint outline turns as slowly as the shadow's.
func TestShadowNotSpecimen(t *testing.T) {
	const ppm = 10.0
	w, h := 2000, 1200
	rng := rand.New(rand.NewSource(3))
	dark := make([]float64, w*h) // 0: bare sheet, 1: black
	// The shadow: a band from the right border, dark 0.6 inside, its
	// darkness ramping up over 30 px from its outline.
	for y := range h {
		for x := range w {
			// distance inside the band's edge (the line x + y/2 = 1750)
			d := float64(x) + float64(y)/2 - 1750
			dark[y*w+x] = 0.6 * math.Min(1, math.Max(0, d/30))
		}
	}
	sharp := paintDark(dark, w, 400, 300, 90, 40, 0.7, 1)
	soft := paintDark(dark, w, 400, 800, 90, 40, 0.7, 5)
	pale := paintDark(dark, w, 1000, 600, 120, 60, 0.22, 12)
	img := darkSheet(dark, w, h, func(int, int) float64 { return rng.NormFloat64() * 3 })
	got, err := Detect(jpegRoundTrip(t, img, 90), DefaultOptions(ppm))
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]image.Point{"sharp moth": sharp, "slightly blurred moth": soft, "pale moth": pale} {
		if countFound(got, []image.Point{p}, centredWithin(20)) != 1 {
			t.Errorf("%s at %v not found (%v)", name, p, boxesOf(got))
		}
	}
	core := image.Rect(1800, 200, w, h) // well inside the shadow
	for _, s := range got {
		if c := image.Pt(s.Box.Min.X+s.Box.Dx()/2, s.Box.Min.Y+s.Box.Dy()/2); c.In(core) || s.Box.Dx() >= 300 {
			t.Errorf("shadow reported as a specimen: %v (contrast %.2f)", s.Box, s.Contrast)
		}
	}
}

// TestShadowTestTurns: a dark insect whose outline is sharp along its top
// and bottom and soft at its ends (a moth whose wing tips are blurred by
// their motion), drawn lying level and turned a quarter, is found both
// ways. When only the ends of its rows were measured, the level one was
// taken for a shadow (its sharp outline faced up and down, where no row
// ends) and the upright one was found.
func TestShadowTestTurns(t *testing.T) {
	const ppm = 10.0
	const w, h = 1200, 1200
	rng := rand.New(rand.NewSource(4))
	// darkness 0.6 in a 200 x 60 px body, sharp along its long sides and
	// ramping over 25 px at its ends.
	dark := func(x, y int, upright bool) float64 {
		if upright {
			x, y = y, x
		}
		dx, dy := math.Abs(float64(x)+0.5-600), math.Abs(float64(y)+0.5-600)
		if dy > 30 {
			return 0
		}
		return 0.6 * math.Min(1, math.Max(0, (125-dx)/25))
	}
	for _, upright := range []bool{false, true} {
		d := make([]float64, w*h)
		for y := range h {
			for x := range w {
				d[y*w+x] = dark(x, y, upright)
			}
		}
		img := darkSheet(d, w, h, func(int, int) float64 { return rng.NormFloat64() * 3 })
		got, err := Detect(img, DefaultOptions(ppm))
		if err != nil {
			t.Fatal(err)
		}
		if countFound(got, []image.Point{{600, 600}}, centredWithin(20)) != 1 {
			t.Errorf("upright %v: the insect is not found (%v)", upright, boxesOf(got))
		}
	}
}

// paintDark paints into dark (w wide; 0: bare sheet, 1: black) an ellipse
// of darkness v centred at (cx, cy) with half-axes a and b, its edge
// ramping over edge px, and returns its centre.
func paintDark(dark []float64, w int, cx, cy, a, b, v, edge float64) image.Point {
	for y := int(cy - b - 2*edge); y <= int(cy+b+2*edge); y++ {
		for x := int(cx - a - 2*edge); x <= int(cx+a+2*edge); x++ {
			dx, dy := (float64(x)+0.5-cx)/a, (float64(y)+0.5-cy)/b
			k := math.Min(1, math.Max(0, (1-math.Sqrt(dx*dx+dy*dy))*math.Min(a, b)/edge+0.5))
			dark[y*w+x] = math.Max(dark[y*w+x], v*k)
		}
	}
	return image.Pt(int(cx), int(cy))
}

// darkSheet draws a light grey sheet darkened by dark (w x h), noise(x, y)
// added to every channel.
func darkSheet(dark []float64, w, h int, noise func(x, y int) float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			k, n := 1-dark[y*w+x], noise(x, y)
			c := func(v float64) uint8 { return uint8(math.Max(0, math.Min(255, v*k+n))) }
			img.SetRGBA(x, y, color.RGBA{c(214), c(212), c(218), 255})
		}
	}
	return img
}

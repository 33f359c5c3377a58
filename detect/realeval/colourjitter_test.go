package realeval

import (
	"math"
	"testing"
)

func TestHSVJitter(t *testing.T) {
	near := func(a, b [3]float64) bool {
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-9 {
				return false
			}
		}
		return true
	}
	for _, c := range [][3]float64{{0, 0, 0}, {255, 255, 255}, {200, 190, 40}, {30, 200, 90}, {10, 20, 250}, {250, 10, 120}, {128, 128, 127}} {
		if got := apply(hsvJitter(0, 1), c); !near(got, c) {
			t.Errorf("%v: no change gives %v", c, got)
		}
	}
	cases := []struct {
		dh, ks float64
		in     [3]float64
		want   [3]float64
	}{
		{0, 0.75, [3]float64{255, 255, 0}, [3]float64{255, 255, 63.75}},   // a yellow card less saturated: blue up
		{0, 1.25, [3]float64{255, 255, 102}, [3]float64{255, 255, 63.75}}, // more saturated
		{0, 1.25, [3]float64{255, 255, 0}, [3]float64{255, 255, 0}},       // clipped at 1
		{-30, 1, [3]float64{255, 255, 0}, [3]float64{255, 127.5, 0}},      // yellow towards red: orange
		{30, 1, [3]float64{255, 255, 0}, [3]float64{127.5, 255, 0}},       // towards green
		{-25, 1, [3]float64{200, 200, 200}, [3]float64{200, 200, 200}},    // grey has no hue
		{120, 1, [3]float64{255, 0, 0}, [3]float64{0, 255, 0}},            // red to green
	}
	for _, c := range cases {
		if got := apply(hsvJitter(c.dh, c.ks), c.in); !near(got, c.want) {
			t.Errorf("hue %+v, saturation x%v of %v: %v, want %v", c.dh, c.ks, c.in, got, c.want)
		}
	}
}

func apply(fn func(r, g, b float64) (float64, float64, float64), c [3]float64) [3]float64 {
	r, g, b := fn(c[0], c[1], c[2])
	return [3]float64{r, g, b}
}

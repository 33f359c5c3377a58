package detect

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// TestUnevenLightNoSpecimen: a specked sheet whose light falls off steeply
// towards its corners (a wide lens's vignetting: 0.2 of the centre at the
// corners) and down its height (a lamp above it), with moths near the
// centre, the borders and the corners. Every moth is found, and nothing
// else of 40 px or more. Before the background was taken relative to the
// light's trend (lightTrend), the closing replaced the dark corners' blocks
// by brighter ones, and the moth in the darkest corner joined the corner's
// shade and was lost.
func TestUnevenLightNoSpecimen(t *testing.T) {
	const w, h = 2048, 1080
	img := surface(w, h, color.RGBA{214, 212, 206, 255})
	moths := []image.Point{{1024, 540}, {300, 200}, {1800, 260}, {120, 980}, {1940, 990}, {1024, 1010}, {60, 540}}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 4000 { // the sheet's specks: lint, dust, dirt
		x, y := rng.IntN(w-3), rng.IntN(h-3)
		v := 120 + rng.Float64()*60
		for k := range 4 {
			i := (y+k/2)*img.Stride + 4*(x+k%2)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2] = clampU8(v), clampU8(v), clampU8(v)
		}
	}
	for _, m := range moths {
		mothAt(img, float64(m.X), float64(m.Y), 26, 15)
	}
	for y := range h {
		for x := range w {
			dx, dy := 2*(float64(x)+0.5)/w-1, 2*(float64(y)+0.5)/h-1
			r2 := (dx*dx + dy*dy) / 2
			g := (1 - 0.8*r2*r2) * (1.05 - 0.3*(float64(y)+0.5)/h)
			i := y*img.Stride + 4*x
			for c := range 3 {
				img.Pix[i+c] = clampU8(float64(img.Pix[i+c]) * g)
			}
		}
	}
	got, err := Detect(img, DefaultOptions(5))
	if err != nil {
		t.Fatal(err)
	}
	found := make([]bool, len(moths))
	for _, s := range got {
		hit := false
		for k, m := range moths {
			if m.In(s.Box) {
				found[k], hit = true, true
			}
		}
		if !hit && max(s.Box.Dx(), s.Box.Dy()) >= 40 {
			t.Errorf("specimen %v (%.0f px) on bare sheet", s.Box, math.Sqrt(s.AreaPx))
		}
	}
	for k, ok := range found {
		if !ok {
			t.Errorf("moth at %v not found", moths[k])
		}
	}
}

// TestLightTrend: the trend of a grid lit as a quadratic (a lamp's spot
// off centre, falling off to the corners) is that quadratic, to 1 %, with
// a fifth of the cells covered (darker by half: specimens, a shadow),
// and flat at the median on a grid too small to fit.
func TestLightTrend(t *testing.T) {
	const gw, gh = 32, 17
	light := func(gx, gy int) float32 {
		x, y := 2*(float64(gx)+0.5)/gw-1, 2*(float64(gy)+0.5)/gh-1
		return float32(200 - 60*(x-0.3)*(x-0.3) - 40*y*y + 10*x*y)
	}
	grid := make([]float32, gw*gh)
	rng := rand.New(rand.NewPCG(5, 6))
	for gy := range gh {
		for gx := range gw {
			grid[gy*gw+gx] = light(gx, gy)
			if rng.IntN(5) == 0 {
				grid[gy*gw+gx] *= 0.5
			}
		}
	}
	got := lightTrend(grid, gw, gh)
	for gy := range gh {
		for gx := range gw {
			if want := light(gx, gy); math.Abs(float64(got[gy*gw+gx]/want-1)) > 0.01 {
				t.Fatalf("cell (%d, %d): trend %.1f, want %.1f", gx, gy, got[gy*gw+gx], want)
			}
		}
	}
	small := []float32{100, 90, 80, 70, 60, 50}
	for i, v := range lightTrend(small, 3, 2) {
		if v != 80 {
			t.Errorf("3x2 grid: trend %v at %d, want the median 80 everywhere", v, i)
		}
	}
}

package detect

import (
	"math/rand/v2"
	"testing"
)

// TestDilateMatchesDefinition compares dilate with the definition (a cell
// is set when any cell within chessboard distance r is) on random masks,
// including empty, single-row and single-column ones and r beyond the
// mask's size.
func TestDilateMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct{ w, h, r int }{
		{1, 1, 1}, {7, 1, 2}, {1, 9, 3}, {13, 11, 1}, {13, 11, 2}, {40, 23, 5}, {17, 31, 40}, {64, 64, 0},
	} {
		for _, density := range []float64{0, 0.01, 0.1, 0.5} {
			m := make([]bool, c.w*c.h)
			for i := range m {
				m[i] = rng.Float64() < density
			}
			got := dilate(m, c.w, c.h, c.r)
			for y := range c.h {
				for x := range c.w {
					want := false
					for yy := max(0, y-c.r); yy <= min(c.h-1, y+c.r) && !want; yy++ {
						for xx := max(0, x-c.r); xx <= min(c.w-1, x+c.r); xx++ {
							if m[yy*c.w+xx] {
								want = true
								break
							}
						}
					}
					if got[y*c.w+x] != want {
						t.Fatalf("%dx%d r=%d density %v: cell (%d,%d) = %v, want %v", c.w, c.h, c.r, density, x, y, got[y*c.w+x], want)
					}
				}
			}
		}
	}
}

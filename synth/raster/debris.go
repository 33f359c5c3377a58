package raster

import (
	"image/color"
	"math"
	"math/rand/v2"
)

// ScatterDebris draws n small brownish specks and fibres at random places
// on c's image, drawn from r; s is the size of a typical speck in pixels.
func ScatterDebris(c *Canvas, r *rand.Rand, n int, s float64) {
	b := c.img.Bounds()
	pn := NewPen(c, Identity())
	for i := 0; i < n; i++ {
		x, y := uni(r, 0, float64(b.Dx())), uni(r, 0, float64(b.Dy()))
		shade := uint8(uni(r, 60, 150))
		col := color.NRGBA{shade, uint8(float64(shade) * 0.9), uint8(float64(shade) * 0.8), uint8(uni(r, 60, 200))}
		if r.IntN(3) == 0 { // fibre
			ang := uni(r, 0, 2*math.Pi)
			l := s * uni(r, 2, 8)
			pts := []Pt{{x, y}}
			for k := 0; k < 4; k++ {
				ang += uni(r, -0.5, 0.5)
				q := pts[len(pts)-1]
				pts = append(pts, Pt{q.X + math.Cos(ang)*l/4, q.Y + math.Sin(ang)*l/4})
			}
			col.A /= 2
			pn.Polyline(pts, s*0.25, s*0.2, col)
			continue
		}
		rad := s * uni(r, 0.2, 0.8)
		pn.Ellipse(x, y, rad, rad*uni(r, 0.5, 1), col)
	}
}

// uni returns a uniform random number in [lo, hi).
func uni(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

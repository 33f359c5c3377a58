package raster

import (
	"image"
	"math"
	"math/rand/v2"
)

// Lighting is the light falling on a trap sheet or card: a bright spot
// (the lamp's or the sun's) fading to Floor of its level far from it, a
// linear gradient and nothing else. Positions are fractions of the
// image's width and height; Sigma is a fraction of its half diagonal.
type Lighting struct {
	// SpotX, SpotY is the centre of the bright spot.
	SpotX, SpotY float64
	// Sigma is the spot's Gaussian radius; Floor the level (fraction of
	// the spot's) far from it.
	Sigma, Floor float64
	// Grad is the amplitude of a linear gradient (fraction of the level
	// per half frame) at angle GradAngle (radians).
	Grad, GradAngle float64
}

// FillLit paints all of img in the colour base (RGB levels) lit by l. The
// spot is separable (a product of per-column and per-row Gaussians), so
// it costs one multiply-add per channel and pixel.
func FillLit(img *image.RGBA, base [3]float64, l Lighting) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	hd := math.Hypot(float64(w), float64(h)) / 2
	s2 := 2 * (l.Sigma * hd) * (l.Sigma * hd)
	ex, gx := make([]float64, w), make([]float64, w)
	for x := range ex {
		dx := float64(x) - l.SpotX*float64(w)
		ex[x] = math.Exp(-dx * dx / s2)
		gx[x] = l.Grad * math.Cos(l.GradAngle) * (2*float64(x)/float64(w) - 1)
	}
	for y := 0; y < h; y++ {
		dy := float64(y) - l.SpotY*float64(h)
		ey := math.Exp(-dy * dy / s2)
		gy := 1 + l.Grad*math.Sin(l.GradAngle)*(2*float64(y)/float64(h)-1)
		pix := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := range ex {
			f := (gy + gx[x]) * (l.Floor + (1-l.Floor)*ex[x]*ey)
			i := 4 * x
			pix[i] = sat8(base[0]*f + 0.5)
			pix[i+1] = sat8(base[1]*f + 0.5)
			pix[i+2] = sat8(base[2]*f + 0.5)
			pix[i+3] = 255
		}
	}
}

// Speckle multiplies the RGB levels of img by 1 + amp*n, where n is
// smooth unit-variance noise on a grid of cell-pixel cells (bilinearly
// interpolated), drawn from r: the grain of a fabric or a card's glue
// seen at a few pixels per grain. amp <= 0 or cell < 1 does nothing and
// draws nothing.
func Speckle(img *image.RGBA, r *rand.Rand, amp float64, cell int) {
	if amp <= 0 || cell < 1 {
		return
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	gw, gh := w/cell+2, h/cell+2
	grid := make([]float32, gw*gh)
	for i := range grid {
		grid[i] = float32(r.NormFloat64() * amp * 1.5) // interpolation loses about a third of the variance
	}
	row := make([]float32, gw)
	inv := 1 / float32(cell)
	for y := 0; y < h; y++ {
		gy := float32(y) * inv
		j := int(gy)
		t := gy - float32(j)
		g0, g1 := grid[j*gw:(j+1)*gw], grid[(j+1)*gw:(j+2)*gw]
		for k := range row {
			row[k] = g0[k] + t*(g1[k]-g0[k])
		}
		pix := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := 0; x < w; x++ {
			gx := float32(x) * inv
			k := int(gx)
			f := 1 + row[k] + (gx-float32(k))*(row[k+1]-row[k])
			i := 4 * x
			pix[i] = sat8(float64(float32(pix[i])*f + 0.5))
			pix[i+1] = sat8(float64(float32(pix[i+1])*f + 0.5))
			pix[i+2] = sat8(float64(float32(pix[i+2])*f + 0.5))
		}
	}
}

package synth

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
)

// fillBackground paints an evenly lit colour with a linear gradient of
// amplitude grad (fraction of the level) at angle ang and a radial
// vignette of strength vig (fraction darker in the corners).
func fillBackground(img *image.RGBA, base [3]float64, grad, ang, vig float64) {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	cx, cy := w/2, h/2
	gx, gy := math.Cos(ang)/w, math.Sin(ang)/h
	rmax2 := cx*cx + cy*cy
	// Per-column gradient and vignette terms; per row only dy changes.
	colG := make([]float64, b.Dx())
	colV := make([]float64, b.Dx())
	for x := range colG {
		dx := float64(x) - cx
		colG[x] = grad * dx * gx
		colV[x] = vig * dx * dx / rmax2
	}
	for y := 0; y < b.Dy(); y++ {
		dy := float64(y) - cy
		rg, rv := 1+grad*dy*gy, 1-vig*dy*dy/rmax2
		pix := img.Pix[y*img.Stride : y*img.Stride+4*b.Dx()]
		for x := range colG {
			f := (rg + colG[x]) * (rv - colV[x])
			i := 4 * x
			pix[i] = sat8(base[0]*f + 0.5)
			pix[i+1] = sat8(base[1]*f + 0.5)
			pix[i+2] = sat8(base[2]*f + 0.5)
			pix[i+3] = 255
		}
	}
}

// sat8 converts to uint8 with saturation (truncating toward zero).
func sat8(v float64) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v)
}

// boxBlur3 applies one separable 3x3 box blur in place.
func boxBlur3(img *image.RGBA) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w < 3 || h < 3 {
		return
	}
	tmp := make([]uint8, len(img.Pix))
	copy(tmp, img.Pix)
	s := img.Stride
	// Horizontal: tmp <- blur(img).
	for y := 0; y < h; y++ {
		row := img.Pix[y*s:]
		out := tmp[y*s:]
		for x := 1; x < w-1; x++ {
			i := 4 * x
			for ch := 0; ch < 3; ch++ {
				out[i+ch] = uint8((uint16(row[i+ch-4]) + uint16(row[i+ch]) + uint16(row[i+ch+4]) + 1) / 3)
			}
		}
	}
	// Vertical: img <- blur(tmp).
	for y := 1; y < h-1; y++ {
		up, mid, dn := tmp[(y-1)*s:], tmp[y*s:], tmp[(y+1)*s:]
		out := img.Pix[y*s:]
		for x := 0; x < w; x++ {
			i := 4 * x
			for ch := 0; ch < 3; ch++ {
				out[i+ch] = uint8((uint16(up[i+ch]) + uint16(mid[i+ch]) + uint16(dn[i+ch]) + 1) / 3)
			}
		}
	}
}

// addNoise adds zero-mean, roughly Gaussian noise of standard deviation
// sigma (levels) to every channel: the sum of two uniform bytes, scaled.
func addNoise(img *image.RGBA, r *rand.Rand, sigma float64) {
	if sigma <= 0 {
		return
	}
	// Sum of two uniform [0,255] values has std 255*sqrt(2/12) ≈ 104.1.
	k := int32(math.Round(sigma / 104.1 * 1024))
	b := img.Bounds()
	for y := 0; y < b.Dy(); y++ {
		pix := img.Pix[y*img.Stride : y*img.Stride+4*b.Dx()]
		for x := 0; x < len(pix); x += 4 {
			u := r.Uint64()
			for ch := 0; ch < 3; ch++ {
				n := int32(u&0xff) + int32(u>>8&0xff) - 255
				u >>= 16
				v := int32(pix[x+ch]) + (n*k)>>10
				pix[x+ch] = uint8(max(0, min(255, v)))
			}
		}
	}
}

// scatterDebris draws n small specks and fibres, scaled to size s pixels.
func scatterDebris(c *canvas, r *rand.Rand, n int, s float64) {
	b := c.img.Bounds()
	pn := &pen{c: c, m: affine{a: 1, d: 1}}
	for i := 0; i < n; i++ {
		x, y := uni(r, 0, float64(b.Dx())), uni(r, 0, float64(b.Dy()))
		shade := uint8(uni(r, 60, 150))
		col := color.NRGBA{shade, uint8(float64(shade) * 0.9), uint8(float64(shade) * 0.8), uint8(uni(r, 60, 200))}
		if r.IntN(3) == 0 { // fibre
			ang := uni(r, 0, 2*math.Pi)
			l := s * uni(r, 2, 8)
			pts := []pt{{x, y}}
			for k := 0; k < 4; k++ {
				ang += uni(r, -0.5, 0.5)
				q := pts[len(pts)-1]
				pts = append(pts, pt{q.X + math.Cos(ang)*l/4, q.Y + math.Sin(ang)*l/4})
			}
			col.A /= 2
			pn.polyline(pts, s*0.25, s*0.2, col)
			continue
		}
		rad := s * uni(r, 0.2, 0.8)
		pn.ellipse(x, y, rad, rad*uni(r, 0.5, 1), col)
	}
}

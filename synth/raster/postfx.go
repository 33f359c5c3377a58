package raster

import (
	"image"
	"math"
	"math/rand/v2"
)

// FillBackground paints all of img in the colour base (RGB levels) with a
// linear gradient of amplitude grad (fraction of the level) at angle ang
// (radians) and a radial vignette of strength vig (fraction darker in
// the corners).
func FillBackground(img *image.RGBA, base [3]float64, grad, ang, vig float64) {
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

// BoxBlur3 applies one separable 3x3 box blur to the RGB channels of img
// in place (the outermost rows and columns are blurred in one direction
// only); images smaller than 3x3 are left alone.
func BoxBlur3(img *image.RGBA) {
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

// AddNoise adds zero-mean, roughly Gaussian noise of standard deviation
// sigma (levels) to every RGB channel of img, drawn from r: the sum of
// two uniform bytes, scaled. sigma <= 0 adds nothing and draws nothing.
func AddNoise(img *image.RGBA, r *rand.Rand, sigma float64) {
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

// ScaleLevels multiplies the RGB levels of img by f (rounded, saturating):
// an exposure change.
func ScaleLevels(img *image.RGBA, f float64) {
	var lut [256]uint8
	for v := range lut {
		lut[v] = sat8(float64(v)*f + 0.5)
	}
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2] = lut[img.Pix[i]], lut[img.Pix[i+1]], lut[img.Pix[i+2]]
	}
}

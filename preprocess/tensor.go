package preprocess

import (
	"errors"
	"fmt"
	"image"
	"image/draw"
	"sync"
)

// scratch holds the per-call buffers, pooled so the hot path does not
// allocate.
type scratch struct {
	planes [3][]float32
	tmp    []float32
	rgba   *image.RGBA
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// Tensor returns the normalised Size x Size x 3 HWC tensor of img.
func Tensor(img image.Image, p Params) ([]float32, error) {
	out := make([]float32, p.Len())
	if err := Into(out, img, p); err != nil {
		return nil, err
	}
	return out, nil
}

// Into writes the normalised Size x Size x 3 HWC tensor of img into dst,
// which must have length p.Len(). *image.YCbCr (what image/jpeg returns),
// *image.RGBA, *image.NRGBA and *image.Gray are resampled directly from
// their pixel buffers; other types are first converted to RGBA. YCbCr images
// are resampled per Y/Cb/Cr plane and converted to RGB afterwards (the
// conversion is affine, so this equals converting first, up to clamping).
// Alpha is ignored.
func Into(dst []float32, img image.Image, p Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if len(dst) != p.Len() {
		return fmt.Errorf("preprocess: destination has %d floats, want %d", len(dst), p.Len())
	}
	if img == nil {
		return errors.New("preprocess: nil image")
	}
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return fmt.Errorf("preprocess: empty image (%dx%d)", b.Dx(), b.Dy())
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	n := p.Size
	for c := range sc.planes {
		if cap(sc.planes[c]) < n*n {
			sc.planes[c] = make([]float32, n*n)
		}
		sc.planes[c] = sc.planes[c][:n*n]
	}
	W, H := b.Dx(), b.Dy()
	x0, y0, ww, wh := window(W, H, p.Resize)

	switch im := img.(type) {
	case *image.YCbCr:
		sx, sy, ok := chromaFactors(im.SubsampleRatio)
		if ok && b.Min.X%sx == 0 && b.Min.Y%sy == 0 {
			ax, ay := makeAxis(W, x0, ww, n), makeAxis(H, y0, wh, n)
			yp := plane{pix: im.Y[im.YOffset(b.Min.X, b.Min.Y):], stride: im.YStride, step: 1, w: W, h: H}
			sc.tmp = resamplePlane(sc.planes[0], yp, ax, ay, sc.tmp)
			cw, ch := (b.Max.X+sx-1)/sx-b.Min.X/sx, (b.Max.Y+sy-1)/sy-b.Min.Y/sy
			cax := makeAxis(cw, x0/float64(sx), ww/float64(sx), n)
			cay := makeAxis(ch, y0/float64(sy), wh/float64(sy), n)
			off := im.COffset(b.Min.X, b.Min.Y)
			sc.tmp = resamplePlane(sc.planes[1], plane{pix: im.Cb[off:], stride: im.CStride, step: 1, w: cw, h: ch}, cax, cay, sc.tmp)
			sc.tmp = resamplePlane(sc.planes[2], plane{pix: im.Cr[off:], stride: im.CStride, step: 1, w: cw, h: ch}, cax, cay, sc.tmp)
			ycbcrToTensor(dst, sc.planes, p)
			return nil
		}
	case *image.RGBA:
		rgbPlanes(sc, im.Pix[im.PixOffset(b.Min.X, b.Min.Y):], im.Stride, W, H, x0, y0, ww, wh, n)
		rgbToTensor(dst, sc.planes, p)
		return nil
	case *image.NRGBA:
		rgbPlanes(sc, im.Pix[im.PixOffset(b.Min.X, b.Min.Y):], im.Stride, W, H, x0, y0, ww, wh, n)
		rgbToTensor(dst, sc.planes, p)
		return nil
	case *image.Gray:
		ax, ay := makeAxis(W, x0, ww, n), makeAxis(H, y0, wh, n)
		gp := plane{pix: im.Pix[im.PixOffset(b.Min.X, b.Min.Y):], stride: im.Stride, step: 1, w: W, h: H}
		sc.tmp = resamplePlane(sc.planes[0], gp, ax, ay, sc.tmp)
		copy(sc.planes[1], sc.planes[0])
		copy(sc.planes[2], sc.planes[0])
		rgbToTensor(dst, sc.planes, p)
		return nil
	}
	// Generic path: convert to RGBA once.
	r := image.Rect(0, 0, W, H)
	if sc.rgba == nil || sc.rgba.Rect != r {
		sc.rgba = image.NewRGBA(r)
	}
	draw.Draw(sc.rgba, r, img, b.Min, draw.Src)
	rgbPlanes(sc, sc.rgba.Pix, sc.rgba.Stride, W, H, x0, y0, ww, wh, n)
	rgbToTensor(dst, sc.planes, p)
	return nil
}

// window returns the source window (in pixels, relative to the image's
// origin) that maps onto the output.
func window(W, H int, mode string) (x0, y0, ww, wh float64) {
	if mode == ResizeStretch {
		return 0, 0, float64(W), float64(H)
	}
	s := float64(min(W, H))
	return (float64(W) - s) / 2, (float64(H) - s) / 2, s, s
}

func chromaFactors(r image.YCbCrSubsampleRatio) (sx, sy int, ok bool) {
	switch r {
	case image.YCbCrSubsampleRatio444:
		return 1, 1, true
	case image.YCbCrSubsampleRatio422:
		return 2, 1, true
	case image.YCbCrSubsampleRatio420:
		return 2, 2, true
	case image.YCbCrSubsampleRatio440:
		return 1, 2, true
	case image.YCbCrSubsampleRatio411:
		return 4, 1, true
	case image.YCbCrSubsampleRatio410:
		return 4, 2, true
	}
	return 0, 0, false
}

// rgbPlanes resamples the R, G and B channels of a 4-bytes-per-pixel buffer.
func rgbPlanes(sc *scratch, pix []uint8, stride, W, H int, x0, y0, ww, wh float64, n int) {
	ax, ay := makeAxis(W, x0, ww, n), makeAxis(H, y0, wh, n)
	for c := 0; c < 3; c++ {
		sc.tmp = resamplePlane(sc.planes[c], plane{pix: pix[c:], stride: stride, step: 4, w: W, h: H}, ax, ay, sc.tmp)
	}
}

// norm returns the scale and offset mapping a 0..255 value v of channel c to
// (v/255 - Mean[c]) / Std[c].
func norm(p Params) (a, b [3]float32) {
	for c := 0; c < 3; c++ {
		a[c] = 1 / (255 * p.Std[c])
		b[c] = -p.Mean[c] / p.Std[c]
	}
	return a, b
}

func clamp255(v float32) float32 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return v
}

func rgbToTensor(dst []float32, pl [3][]float32, p Params) {
	a, b := norm(p)
	r, g, bl := pl[0], pl[1], pl[2]
	for i := range r {
		d := dst[i*3 : i*3+3]
		d[0] = r[i]*a[0] + b[0]
		d[1] = g[i]*a[1] + b[1]
		d[2] = bl[i]*a[2] + b[2]
	}
}

// ycbcrToTensor converts resampled JFIF Y'CbCr planes to normalised RGB.
func ycbcrToTensor(dst []float32, pl [3][]float32, p Params) {
	a, b := norm(p)
	yy, cb, cr := pl[0], pl[1], pl[2]
	for i := range yy {
		y, u, v := yy[i], cb[i]-128, cr[i]-128
		d := dst[i*3 : i*3+3]
		d[0] = clamp255(y+1.402*v)*a[0] + b[0]
		d[1] = clamp255(y-0.344136*u-0.714136*v)*a[1] + b[1]
		d[2] = clamp255(y+1.772*u)*a[2] + b[2]
	}
}

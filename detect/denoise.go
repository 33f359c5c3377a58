package detect

import (
	"fmt"
	"image"
	"image/draw"
)

// A noisy card. A phone in dim light, or a cheap sensor, leaves noise in
// every pixel; the detector's thresholds follow the card's local noise
// (NoiseSigmas sigmas), so a whitefly, whose signal is a few levels of
// luma and some blue, drowns. On ../shared/realframes/sticky with
// realeval's noise (sigma 8 levels, plus 3 per channel) whitefly recall
// fell from 0.807 (centred 0.964) to 0.725 (0.905) and judged insects
// from 176 to 157 of 179.
//
// The card's noise (cardNoise, at its working cells) is 0.3-2.3 levels
// on the 18 cards as taken (the glossy glue of 20231219 the most) and
// 8.2-9.5 under that noise. At noisyMin or more the card is searched on a
// copy smoothed by a 3-tap binomial (Frame.Noise says the noise
// measured): the noise falls by more than a whitefly's peak, and the
// faint whitefly-sized pieces of faintseed.go keep those it lowers under
// the seed. Under that noise whitefly recall is now 0.772 (centred 0.954);
// with realeval's 5-tap binomial (sigma about 1 px) instead, 0.758
// (0.939). Every box on the 33 frames as taken is the same, and a sheet
// is searched as it is. The limit: whiteflies fainter than WeakThreshold
// once smoothed are lost to the smoothing (drawn ovals +50 in blue under
// 8 levels of noise: 18 of 35 found as it is, 27 smoothed by 3 taps, 1 by
// 5).
const noisyMin = 5

// cardNoise returns a robust sigma of the luma's cell-to-cell noise on the
// card's cells: the median absolute difference of a cell from the mean of
// its four neighbours (every card cell whose neighbours are on the card
// too, every third row), as a sigma.
func cardNoise(py plane, card []bool) float32 {
	w, h := py.w, py.h
	var d []float32
	for y := 1; y < h-1; y += 3 {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			if !card[i] || !card[i-1] || !card[i+1] || !card[i-w] || !card[i+w] {
				continue
			}
			v := py.v[i] - (py.v[i-1]+py.v[i+1]+py.v[i-w]+py.v[i+w])/4
			d = append(d, max(v, -v))
		}
	}
	if len(d) == 0 {
		return 0
	}
	// MAD to sigma (1.4826), and the residual's sigma is sqrt(1 + 1/4)
	// times the cell's.
	return selectK(d, len(d)/2) * 1.4826 / 1.118
}

// analyzeDenoised is Analyze on a copy of img smoothed by denoise, not
// tested for noise again.
func analyzeDenoised(img image.Image, opts Options, sigma float32) (Frame, error) {
	smooth, err := denoise(img)
	if err != nil {
		return Frame{}, fmt.Errorf("detect: %w", err)
	}
	opts.denoised = true
	fr, err := Analyze(smooth, opts)
	fr.Noise = float64(sigma)
	return fr, err
}

// denoise returns a copy of img (same bounds) with every channel smoothed
// by a 3-tap binomial (1 2 1)/4 across and down: an *image.YCbCr
// plane by plane, keeping its subsampling; any other image as RGBA.
func denoise(img image.Image) (out image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("reading pixels: %v", r)
		}
	}()
	if src, ok := img.(*image.YCbCr); ok {
		dst := &image.YCbCr{Y: append([]byte(nil), src.Y...), Cb: append([]byte(nil), src.Cb...), Cr: append([]byte(nil), src.Cr...),
			YStride: src.YStride, CStride: src.CStride, SubsampleRatio: src.SubsampleRatio, Rect: src.Rect}
		w, h := src.Rect.Dx(), src.Rect.Dy()
		cw, ch := w, h
		if len(src.Cb) > 0 && src.CStride > 0 {
			cw, ch = src.CStride, len(src.Cb)/src.CStride
		}
		binomial3(dst.Y, w, h, src.YStride, 1)
		binomial3(dst.Cb, min(cw, src.CStride), ch, src.CStride, 1)
		binomial3(dst.Cr, min(cw, src.CStride), ch, src.CStride, 1)
		return dst, nil
	}
	b := img.Bounds()
	dst := image.NewRGBA(b)
	draw.Draw(dst, b, img, b.Min, draw.Src)
	for c := range 3 {
		binomial3(dst.Pix[c:], b.Dx(), b.Dy(), dst.Stride, 4)
	}
	return dst, nil
}

// binomial3 smooths a w x h byte plane in place (row stride stride, a
// sample every step bytes) by (1 2 1)/4 across, then down; at the
// borders the tap that falls outside is left out and the rest renormed.
func binomial3(pix []byte, w, h, stride, step int) {
	if w < 1 || h < 1 {
		return
	}
	tmp := make([]uint16, w*h) // 4 x the row pass
	inRows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := pix[y*stride:]
			for x := range w {
				s, n := 2*int(row[x*step]), 2
				if x > 0 {
					s, n = s+int(row[(x-1)*step]), n+1
				}
				if x+1 < w {
					s, n = s+int(row[(x+1)*step]), n+1
				}
				tmp[y*w+x] = uint16((s*4 + n/2) / n)
			}
		}
	})
	inRows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			for x := range w {
				s, n := 2*int(tmp[y*w+x]), 2
				if y > 0 {
					s, n = s+int(tmp[(y-1)*w+x]), n+1
				}
				if y+1 < h {
					s, n = s+int(tmp[(y+1)*w+x]), n+1
				}
				pix[y*stride+x*step] = uint8((s + 2*n) / (4 * n))
			}
		}
	})
}

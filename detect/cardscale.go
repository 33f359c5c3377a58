package detect

import (
	"fmt"
	"image"
	"math"
)

// A card photographed at another scale. The card's stages were built and
// measured on phone photos at about 8 px/mm (../shared/realframes/sticky),
// where a whitefly is 8-12 px long, and their floors in frame pixels (3 px
// of thickness, the limb trim, the fill's reach) are set for that. So a
// card photographed at 2 cardPPM or finer is searched on a copy reduced by
// an integer factor (k x k means) to cardPPM-2 cardPPM, and one under
// cardPPM on a copy enlarged by one (bilinear) to cardPPM-cardMaxEnlargedPPM
// where an integer factor can; what is found (specimens, scale bars, the
// scale) is mapped back to the frame's pixels. Crops are still cut from
// the frame itself (the agent cuts them at the specimens' boxes).
//
// Measured on the 18 cards (bench/REPORT.md), whitefly recall (centred in
// brackets):
//   - enlarged twice (4096x3072, 16 px/mm): 0.764 (0.943) searched as they
//     were, 0.801 (0.950) reduced by 2; a frame's decode, detection and
//     classification took 1.7-1.9 s at most after the first, was 2.1-2.5 s;
//   - halved (4 px/mm): 0.621 (0.754) as they were, 0.740 (0.859) enlarged
//     by 2, and 172 of the 179 judged larger insects found instead of 155,
//     108 of the 464 judged junk boxes instead of 117;
//   - at 0.75 and 0.875 (6 and 7 px/mm) enlarging by 2 gains little or
//     loses (cardMaxEnlargedPPM).
//
// Light sheets are searched at their own scale: their stages were measured
// at 10 px/mm and on frames 1.5 times that size, and the 13 sheets at 1.5
// times (15 px/mm) searched on a copy reduced by 2 lost recall (0.960 ->
// 0.949) for no precision (0.903 -> 0.902).
const cardPPM = 8

// cardMaxPixels bounds an enlarged card frame: the largest card photo
// measured (4096x3072). A larger frame is searched as it is.
const cardMaxPixels = 4096 * 3072

// cardMaxEnlargedPPM bounds the scale a card is enlarged to: at 12 px/mm
// (the cards at 1.5 times) whitefly recall is 0.795, at 14 px/mm (the cards
// at 0.875 enlarged twice) 0.796 against 0.807 searched as they were at 7
// px/mm, at 16 px/mm 0.764. A card under cardPPM that an integer factor
// cannot bring to 8-12 px/mm is searched as it is.
const cardMaxEnlargedPPM = 1.5 * cardPPM

// enlargedMinPx is the least thickness, in the photo's own pixels, of a
// specimen found on an enlarged card (see analyzeResampled). On the cards
// halved, 2 px: whitefly recall 0.740 and 108 judged junk boxes, against
// 0.787 and 128 with the enlarged frame's 3 px (1.5 of the photo's, which
// 1 px fibres pass), and 0.621 and 117 not enlarged.
const enlargedMinPx = 2

// cardResample returns how a card frame of size sz at pxPerMM is
// resampled before it is searched: enlarged by up or reduced by down (one
// of them 1; both 1: searched as it is): to cardPPM-2 cardPPM when
// reduced, cardPPM-cardMaxEnlargedPPM when enlarged.
func cardResample(pxPerMM float64, sz image.Point) (up, down int) {
	switch {
	case pxPerMM >= 2*cardPPM:
		if k := math.Floor(pxPerMM / cardPPM); k*minFrameSide <= float64(min(sz.X, sz.Y)) {
			return 1, int(k)
		}
	case pxPerMM < cardPPM:
		// In floats: at an absurdly small scale k*k*pixels overflows.
		if k := math.Ceil(cardPPM / pxPerMM); k*pxPerMM <= cardMaxEnlargedPPM && k*k*float64(sz.X)*float64(sz.Y) <= cardMaxPixels {
			return int(k), 1
		}
	}
	return 1, 1
}

// analyzeResampled runs Analyze on img enlarged by up or reduced by down,
// at the scale that gives, and maps what it finds back to img's pixels.
func analyzeResampled(img image.Image, opts Options, up, down int) (Frame, error) {
	var other image.Image
	var err error
	if down > 1 {
		other, err = meanReduce(img, down)
	} else {
		other, err = enlarge(img, up)
	}
	if err != nil {
		return Frame{}, fmt.Errorf("detect: %w", err)
	}
	s := float64(up) / float64(down) // other's pixels per img pixel
	if up > 1 {
		// An enlarged frame has no detail finer than the photo's pixels:
		// a fibre one pixel wide spreads over three enlarged ones, the
		// thickness every specimen needs (minThicknessPx).
		opts.MinThicknessMM = max(opts.MinThicknessMM, enlargedMinPx/opts.PixelsPerMM)
	}
	opts.PixelsPerMM *= s
	fr, err := Analyze(other, opts)
	if err != nil {
		return fr, err
	}
	fr.rescale(1/s, img.Bounds())
	return fr, nil
}

// meanReduce returns img reduced by k: each pixel the mean luma and
// chroma of a k x k block (downscaleYCC's cells, the last row and column
// taking what is left of the frame), at the origin.
func meanReduce(img image.Image, k int) (*image.YCbCr, error) {
	py, pcb, pcr, err := downscaleYCC(img, k)
	if err != nil {
		return nil, err
	}
	out := image.NewYCbCr(image.Rect(0, 0, py.w, py.h), image.YCbCrSubsampleRatio444)
	for i := range py.v {
		out.Y[i], out.Cb[i], out.Cr[i] = clampByte(py.v[i]), clampByte(pcb.v[i]), clampByte(pcr.v[i])
	}
	return out, nil
}

// enlarge returns img enlarged k times, at the origin: luma and chroma
// interpolated bilinearly between pixel centres (clamped at the borders).
func enlarge(img image.Image, k int) (out *image.YCbCr, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("reading pixels: %v", r)
		}
	}()
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out = image.NewYCbCr(image.Rect(0, 0, k*w, k*h), image.YCbCrSubsampleRatio444)
	// pos maps an enlarged pixel to the two source pixels it lies between
	// and the weight of the second.
	pos := func(o, n int) (int, int, float32) {
		f := max(0, (float32(o)+0.5)/float32(k)-0.5)
		i := min(int(f), n-1)
		return i, min(i+1, n-1), f - float32(i)
	}
	x0, x1, wx := make([]int, k*w), make([]int, k*w), make([]float32, k*w)
	for x := range k * w {
		x0[x], x1[x], wx[x] = pos(x, w)
	}
	r0, r1 := newYCC(w), newYCC(w)
	have0, have1 := -1, -1
	for y := range k * h {
		i0, i1, wy := pos(y, h)
		if i0 != have0 {
			if i0 == have1 {
				r0, r1, have0, have1 = r1, r0, have1, have0
			} else {
				rowYCC(img, b.Min.Y+i0, b.Min.X, b.Max.X, r0)
				have0 = i0
			}
		}
		if i1 != have1 {
			rowYCC(img, b.Min.Y+i1, b.Min.X, b.Max.X, r1)
			have1 = i1
		}
		at := func(r0, r1 []uint8, x int) uint8 {
			a := float32(r0[x0[x]]) + (float32(r0[x1[x]])-float32(r0[x0[x]]))*wx[x]
			c := float32(r1[x0[x]]) + (float32(r1[x1[x]])-float32(r1[x0[x]]))*wx[x]
			return clampByte(a + (c-a)*wy)
		}
		o := y * out.YStride
		for x := range k * w {
			out.Y[o+x], out.Cb[o+x], out.Cr[o+x] = at(r0.y, r1.y, x), at(r0.cb, r1.cb, x), at(r0.cr, r1.cr, x)
		}
	}
	return out, nil
}

// rescale maps a Frame found on a copy of the frame b resampled by 1/s (at
// the origin) back to b's pixels: boxes (widened to whole pixels),
// centres, pixel lengths and areas, scale bars and the scale. Sizes in mm
// are the same.
func (fr *Frame) rescale(s float64, b image.Rectangle) {
	box := func(r image.Rectangle) image.Rectangle {
		lo := func(v int) int { return int(math.Floor(float64(v)*s + 1e-9)) }
		hi := func(v int) int { return int(math.Ceil(float64(v)*s - 1e-9)) }
		return image.Rect(lo(r.Min.X), lo(r.Min.Y), hi(r.Max.X), hi(r.Max.Y)).Add(b.Min).Intersect(b)
	}
	// Pixel centres: a copy's pixel centre c+0.5 is the frame's (c+0.5)s.
	px := func(v float64) float64 { return float64(b.Min.X) + (v+0.5)*s - 0.5 }
	py := func(v float64) float64 { return float64(b.Min.Y) + (v+0.5)*s - 0.5 }
	for i := range fr.Specimens {
		sp := &fr.Specimens[i]
		sp.Box, sp.Extent = box(sp.Box), box(sp.Extent)
		sp.CenterX, sp.CenterY = px(sp.CenterX), py(sp.CenterY)
		sp.AreaPx *= s * s
		sp.CoverAreaPx *= s * s
		sp.LengthPx *= s
		sp.WidthPx *= s
		sp.ThicknessPx *= s
	}
	for i := range fr.Checkerboards {
		c := &fr.Checkerboards[i]
		c.Box, c.grid = box(c.Box), box(c.grid)
		c.SquarePx *= s
	}
	for i := range fr.Rulers {
		r := &fr.Rulers[i]
		r.Box = box(r.Box)
		r.PixelsPerMM *= s
		r.ox, r.oy = px(r.ox), py(r.oy)
	}
	for i := range fr.SolidBars {
		sb := &fr.SolidBars[i]
		sb.Box = box(sb.Box)
		sb.LengthPx *= s
		sb.WidthPx *= s
	}
	fr.PixelsPerMM *= s
}

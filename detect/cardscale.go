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
// card photographed at cardMaxPPM or finer is searched on a copy reduced
// to cardPPM (k x k means; areaReduce where k is no integer), and one
// under cardPPM on a copy enlarged to cardPPM (bilinear), unless the copy
// would exceed cardMaxPixels; what is found (specimens, scale bars, the
// scale) is mapped back to the frame's pixels. Crops are still cut from
// the frame itself (the agent cuts them at the specimens' boxes).
//
// Measured on the 18 cards (bench/REPORT.md), whitefly recall (centred in
// brackets):
//   - enlarged twice (4096x3072, 16 px/mm): 0.764 (0.943) searched as they
//     were, 0.801 (0.950) reduced by 2; a frame's decode, detection and
//     classification took 1.7-1.9 s at most after the first, was 2.1-2.5 s;
//   - enlarged 1.5 and 1.75 times (12 and 14 px/mm, re-encoded as JPEG):
//     0.750 and 0.747 as they were, 0.786 and 0.791 reduced to 8 px/mm; the
//     `larger` perturbation (1.5 times, not re-encoded): 0.795 (0.946) ->
//     0.816 (0.952). Until then a card was reduced only from 16 px/mm, by
//     an integer factor (to 8-16 px/mm);
//   - halved (4 px/mm): 0.621 (0.754) as they were, 0.740 (0.859) enlarged
//     by 2, and 172 of the 179 judged larger insects found instead of 155,
//     108 of the 464 judged junk boxes instead of 117;
//   - reduced to 0.625, 0.75 and 0.875 (5, 6 and 7 px/mm, re-encoded as
//     JPEG), enlarged to 8 px/mm: 0.670 (0.770), 0.774 (0.911) and 0.810
//     (0.939), against 0.672 (0.801) enlarged by 2 to 10 px/mm, 0.726
//     (0.880) enlarged by 2 to 12 px/mm and 0.782 (0.931) searched as they
//     were, when a card was enlarged only by the integer factor that
//     brought it to 8-12 px/mm.
//
// Light sheets are searched at their own scale: their stages were measured
// at 10 px/mm and on frames 1.5 times that size, and the 13 sheets at 1.5
// times (15 px/mm) searched on a copy reduced by 2 lost recall (0.960 ->
// 0.949) for no precision (0.903 -> 0.902).
const cardPPM = 8

// cardMaxPixels bounds an enlarged card frame: the largest card photo
// measured (4096x3072). A larger frame is searched as it is.
const cardMaxPixels = 4096 * 3072

// cardMaxPPM: a card at this scale or finer is reduced to cardPPM; one
// between cardPPM and it is searched as it is. The cards at 1.0625-1.25
// times (8.5-10 px/mm, re-encoded as JPEG) also score higher reduced to 8
// px/mm (0.804-0.810 against 0.770-0.778), but a ruler on the card, with
// the scale configured 30 % over its own (TestRulerScale: 8 px/mm,
// configured 10.4), then has its 1 mm ticks 6.15 px apart and blurred,
// and two of the test's five rulers on cards were not found; at 16 px/mm
// and 30 % over, reduced by 2 as before, none of those two is.
const cardMaxPPM = 1.5 * cardPPM

// enlargedMinPx is the least thickness, in the photo's own pixels, of a
// specimen found on an enlarged card (see analyzeResampled). On the cards
// halved, 2 px: whitefly recall 0.740 and 108 judged junk boxes, against
// 0.787 and 128 with the enlarged frame's 3 px (1.5 of the photo's, which
// 1 px fibres pass), and 0.621 and 117 not enlarged.
const enlargedMinPx = 2

// cardResample returns how a card frame of size sz at pxPerMM is
// resampled before it is searched: enlarged by up or reduced by down (one
// of them 1; both 1: searched as it is), to cardPPM, unless a reduced copy
// would be under minFrameSide or an enlarged one over cardMaxPixels.
func cardResample(pxPerMM float64, sz image.Point) (up, down float64) {
	switch {
	case pxPerMM >= cardMaxPPM:
		if k := pxPerMM / cardPPM; k*minFrameSide <= float64(min(sz.X, sz.Y)) {
			return 1, k
		}
	case pxPerMM < cardPPM:
		// In floats: at an absurdly small scale k*k*pixels overflows.
		if k := cardPPM / pxPerMM; k*k*float64(sz.X)*float64(sz.Y) <= cardMaxPixels {
			return k, 1
		}
	}
	return 1, 1
}

// analyzeResampled runs Analyze on img enlarged by up or reduced by down
// (meanReduce's exact means where down is an integer), at the scale that
// gives, and maps what it finds back to img's pixels.
func analyzeResampled(img image.Image, opts Options, up, down float64) (Frame, error) {
	var other image.Image
	var err error
	switch {
	case down > 1 && down == math.Floor(down):
		other, err = meanReduce(img, int(down))
	case down > 1:
		other, err = areaReduce(img, down)
	default:
		other, err = enlarge(img, up)
	}
	if err != nil {
		return Frame{}, fmt.Errorf("detect: %w", err)
	}
	s := up / down // other's pixels per img pixel
	fr, err := Analyze(other, resampledOptions(opts, up, down))
	if err != nil {
		return fr, err
	}
	fr.rescale(1/s, img.Bounds())
	return fr, nil
}

// resampledOptions returns opts for a copy of the frame enlarged by up or
// reduced by down: at the copy's scale, and searched as it is (a copy
// enlarged from 7.3 px/mm is at 7.999999999999999 px/mm in floats, and
// would be enlarged again).
func resampledOptions(opts Options, up, down float64) Options {
	if up > 1 {
		// An enlarged frame has no detail finer than the photo's pixels:
		// a fibre one pixel wide spreads over three enlarged ones, the
		// thickness every specimen needs (minThicknessPx).
		opts.MinThicknessMM = max(opts.MinThicknessMM, enlargedMinPx/opts.PixelsPerMM)
	}
	opts.PixelsPerMM *= up / down
	opts.resampled = true
	return opts
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

package detect

import (
	"fmt"
	"image"
)

// A card photographed at a fine scale. The card's stages were built and
// measured on phone photos at about 8 px/mm (../shared/realframes/sticky),
// where a whitefly is 8-12 px long, and their floors in frame pixels (3 px
// of thickness, the limb trim, the fill's reach) are set for that. The
// same 18 cards enlarged twice (4096x3072, 16 px/mm) came out worse and
// slower: whitefly recall 0.764 (centred 0.943) against 0.802 (0.952) as
// taken, and detection 1.3-1.4 times as long. Searched on a copy reduced
// by 2 (2 x 2 means) at 8 px/mm they give 0.801 (0.950), and a frame's
// decode, detection and classification took 1.7-1.9 s at most after the
// first instead of 2.1-2.5 s (bench/REPORT.md). So a card of twice cardPPM
// or finer is searched on the frame reduced by k = floor(PixelsPerMM /
// cardPPM), which keeps it at cardPPM to 2 cardPPM, and its specimens,
// scale bars and scale are mapped back to the frame's pixels. Crops are still cut from the frame
// itself (the agent cuts them from the frame at the specimens' boxes).
// Light sheets are searched at their own scale: their stages were measured
// at 10 px/mm and on frames 1.5 times that size, and the 13 sheets at 1.5
// times (15 px/mm) searched on a copy reduced by 2 lost recall (0.960 ->
// 0.949) for no precision (0.903 -> 0.902).
const cardPPM = 8

// cardReduction is the factor a card frame at pxPerMM is reduced by
// before it is searched (1: none).
func cardReduction(pxPerMM float64) int {
	return max(1, int(pxPerMM/cardPPM))
}

// analyzeReduced runs Analyze on img reduced by k (k x k means) at a
// k times coarser scale, and maps what it finds back to img's pixels.
func analyzeReduced(img image.Image, opts Options, k int) (Frame, error) {
	small, err := meanReduce(img, k)
	if err != nil {
		return Frame{}, fmt.Errorf("detect: %w", err)
	}
	opts.PixelsPerMM /= float64(k)
	fr, err := Analyze(small, opts)
	if err != nil {
		return fr, err
	}
	fr.scaleUp(k, img.Bounds())
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

// scaleUp maps a Frame found on a frame reduced by k (at the origin)
// back to the pixels of the frame b: boxes, centres, pixel lengths and
// areas, scale bars and the scale. Sizes in mm are the same.
func (fr *Frame) scaleUp(k int, b image.Rectangle) {
	kf := float64(k)
	box := func(r image.Rectangle) image.Rectangle {
		return image.Rect(r.Min.X*k, r.Min.Y*k, r.Max.X*k, r.Max.Y*k).Add(b.Min).Intersect(b)
	}
	// A reduced pixel's centre is its block's centre.
	px, py := func(v float64) float64 { return float64(b.Min.X) + v*kf + (kf-1)/2 }, func(v float64) float64 { return float64(b.Min.Y) + v*kf + (kf-1)/2 }
	for i := range fr.Specimens {
		s := &fr.Specimens[i]
		s.Box, s.Extent = box(s.Box), box(s.Extent)
		s.CenterX, s.CenterY = px(s.CenterX), py(s.CenterY)
		s.AreaPx *= kf * kf
		s.CoverAreaPx *= kf * kf
		s.LengthPx *= kf
		s.WidthPx *= kf
		s.ThicknessPx *= kf
	}
	for i := range fr.Checkerboards {
		c := &fr.Checkerboards[i]
		c.Box, c.grid = box(c.Box), box(c.grid)
		c.SquarePx *= kf
	}
	for i := range fr.Rulers {
		r := &fr.Rulers[i]
		r.Box = box(r.Box)
		r.PixelsPerMM *= kf
		r.ox, r.oy = px(r.ox), py(r.oy)
	}
	for i := range fr.SolidBars {
		s := &fr.SolidBars[i]
		s.Box = box(s.Box)
		s.LengthPx *= kf
		s.WidthPx *= kf
	}
	fr.PixelsPerMM *= kf
}

package detect

import (
	"image"
	"math"
)

// Glare. The glue of a used sticky card is glossy: where it catches the
// light, its ridges and the bare card between them form faint networks
// that pass for specimens. Judged by eye (bench/detect/sticky-large.tsv),
// glare was a quarter of the junk among the cards' detections of 40 px or
// more. Such a piece has no body: it is faint (Contrast under
// glareContrast), thin strands (its thickest square under glareThickness
// of its width) and flat (coverage over glareCover of its pixels, where an
// insect's rim, legs and wings are partly covered pixels), and it spreads
// over glareMinAreaMM2 or more. On realframes/sticky this drops 34 of the
// 232 junk boxes the card's edge rule left, none of the judged insects,
// and one whitefly match (a 85x69 px junk box's). Two touching whiteflies,
// as thin at their neck, stay under the area floor; a spider with its
// legs spread is as thin for its width, but dark and less flat.
//
// Where the glue sparkles, the background (the card's bright end in each
// block) is the flecks' white, so the bare card between them reads dark:
// such nets measure Contrast 0.30-0.43. A net no darker than
// glareDarkContrast is glare too when it lies among white flecks: pixels
// whose chroma per unit luma is under glareFleckChroma of the card's (the
// frame's background chromaticity), as bright as the background or more,
// cover glareFlecks of a margin around its box (a quarter of its longest
// side; the piece's own pale parts, a wasp's whitish wings, are not
// counted), and when it is flatter than glareDarkCover (0.91-0.96 measured
// on those nets: the bare card between flecks deviates evenly).
//
// Measured on realframes/sticky: of the thin, flat pieces of 5 mm² or more
// and Contrast 0.25-0.5, the margins of those judged glare on glossy glue
// are 0.041-0.10 flecks; of the others (a stick, the card's edge and folds,
// smudges) 0.015 at most. Judged junk still reported 162 -> 154, every
// judged insect kept (those as thin for their size are not flat: 0.75 of
// their pixels at most), whitefly recall unchanged. A spider resting in
// glare on 20231212_153219 measures as such a net under haze (Contrast
// 0.32, 0.82 flat) and is kept by the flatness bound.

// A piece no darker than the card (Contrast under glarePaleContrast) is
// light the glossy glue throws back (streaks and arcs along its ridges, a
// bright patch where it bulges), white paper or a whitish insect. The
// whitish insects of 5 mm or more on ../shared/realframes/sticky
// (whiteflies on the close-up card, 40-62 px) are compact ovals: their
// Solidity 0.67 or more, their thickest square 0.29 of their length or
// more (a moth with spread wings has a body 0.21 of its length thick or
// more). A piece of glarePaleMinMM or longer that is no darker than the
// card and more ragged than glarePaleSolidity or thinner than
// glarePaleThin of its length is glare. On those cards that drops 13 of
// the 140 judged junk boxes still reported (glare streaks and arcs, pale
// streaks, white flecks), no judged insect and no whitefly. With a 5 mm
// floor it dropped 15 (with bounds 0.65 and 0.25 19, with 0.6 alone 13);
// 6 mm keeps touching whiteflies, 45 px at most there, out of reach.
const (
	glarePaleContrast = 0.05
	glarePaleSolidity = 0.6
	glarePaleThin     = 0.2
	glarePaleMinMM    = 6
)

const (
	glareContrast     = 0.25
	glareDarkContrast = 0.5
	glareThickness    = 0.25
	glareCover        = 0.8
	glareMinAreaMM2   = 5
	glareFlecks       = 0.02
	glareFleckChroma  = 0.45
	glareDarkCover    = 0.87
)

// isGlare reports a card specimen taken for glare (see above) on frame img
// (wp: its working planes).
func isGlare(img image.Image, s Specimen, wp *work, pxPerMM float64) bool {
	if s.Contrast < glarePaleContrast && float64(max(s.Box.Dx(), s.Box.Dy())) >= glarePaleMinMM*pxPerMM &&
		(s.Solidity < glarePaleSolidity || s.ThicknessPx < glarePaleThin*s.LengthPx) {
		return true
	}
	if s.AreaPx < glareMinAreaMM2*pxPerMM*pxPerMM || s.Contrast >= glareDarkContrast ||
		s.ThicknessPx >= glareThickness*s.WidthPx || s.CoverAreaPx < glareCover*s.AreaPx {
		return false
	}
	return s.Contrast < glareContrast || s.CoverAreaPx >= glareDarkCover*s.AreaPx && fleckShare(img, s.Box, wp) >= glareFlecks
}

// fleckShare returns the part of a margin around box (a quarter of its
// longest side) that is white flecks (see glareDarkContrast).
func fleckShare(img image.Image, box image.Rectangle, wp *work) float64 {
	k := glareFleckChroma * math.Hypot(float64(wp.kb), float64(wp.kr))
	b := img.Bounds()
	r := box.Inset(-max(box.Dx(), box.Dy()) / 4).Intersect(b)
	if r.Empty() {
		return 0
	}
	row := newYCC(r.Dx())
	n, all := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		rowYCC(img, y, r.Min.X, r.Max.X, row)
		for i, l := range row.y {
			if image.Pt(r.Min.X+i, y).In(box) {
				continue
			}
			all++
			cb, cr := float64(row.cb[i])-128, float64(row.cr[i])-128
			fl := float64(l)
			if fl >= float64(wp.bg.atFrame(r.Min.X+i, y, wp.f, b.Min)) && cb*cb+cr*cr <= k*k*fl*fl {
				n++
			}
		}
	}
	if all == 0 {
		return 0
	}
	return float64(n) / float64(all)
}

package detect

import (
	"image"
	"slices"
)

// Burned-in text. A trap camera prints the date and time (often its name
// too) onto each frame, near an edge: white glyphs outlined in black. The
// glyphs of ../shared/realframes' sequential and denmark cameras are about
// 10 px high, their strokes 3 px wide, and the pieces they leave are dropped
// as a timestamp at the border (measure, minEdgeThicknessPx). A camera with
// a larger font leaves thicker strokes, and the outlines of neighbouring
// glyphs join into pieces 40-280 px long: two lines of date, time and a
// camera's name pasted at two corners of each of the 13 light sheets, in Go
// Mono Bold of 12, 16, 24, 32 and 48 px outlined by a tenth of that
// (internal/burnin), gave 6, 3, 40, 46 and 54 detections of 40 px or more
// (bench/REPORT.md, thirty-fourth session), none of them a line of printed
// text (text.go). What no insect shows is the pair: neutral near-white
// pixels, brighter than the surface around, whose edge lies against neutral
// near-black ones. On those detections (16-48 px glyphs) at least 0.09 of
// the box is such white and 0.91 of its edge so outlined; of the 1983
// detections of 20 px or more on the 13 sheets and 18 cards as taken,
// wherever they lie, none with osdShare of its box such white has more than
// 0.13 of its edge outlined, and none with osdOutlined has more than 0.004
// of its box white. The white is set low enough (osdWhite) for text
// resampled after it was burned in: the real timestamps in a frame enlarged
// 1.5 times (bilinear) blur to 190-220 and measure about 0.043 of the box
// and 0.98 of its edge, just over osdShare (at 225 they were 0.006 and
// reported); 30 levels above the surface keeps a bright sheet's own pixels
// out of the white (at 20 an outlined corner on sequential's sheet was not
// told). Only boxes within osdBand of the frame's edges are looked at, where
// cameras print: a black-and-white insect elsewhere (narrow white bands
// between black ones) is never taken for text. By an edge, a glyph's outline
// is a thin rim: nearly all the black lies within osdHug px of the white
// (0.97-1.00 of it on the pasted text at 16-32 px glyphs, 0.66 at 48 px,
// 1.00 on the real timestamps), while a banded insect's head, legs and body
// lie farther (synth/trap's banded beetle by a clipped sheet's top edge,
// TestDetectSynthGroundTruth: 0.43-0.51, and without osdHugging it was
// dropped).
const (
	// osdBand: a box nearer an edge than this share of the frame's
	// shorter side may be burned-in text.
	osdBand = 0.1
	// osdWhite and osdBlack: the luma of a glyph's white and of its
	// outline's black; osdNeutral: the most either may differ from grey
	// in Cb or Cr; osdBrighter: how much brighter than the surface around
	// the box a glyph's white is at least.
	osdWhite, osdBlack, osdNeutral, osdBrighter = 200, 60, 16, 30
	// osdShare: the least share of the box that is glyph white;
	// osdOutlined: the least share of that white's edge within osdReach px of
	// outline black.
	osdShare, osdOutlined = 0.04, 0.8
	osdReach              = 2
	// osdHugging: the least share of the box's neutral black within
	// osdHug px of glyph white.
	osdHugging = 0.6
	osdHug     = 4
	// osdRing: the surface around a box is read osdGap-osdRing px from it.
	osdGap, osdRing = 5, 15
)

// dropBurnedInText returns ss without the specimens that are text a
// camera burned into img (isBurnedInText).
func dropBurnedInText(img image.Image, ss []Specimen) []Specimen {
	return slices.DeleteFunc(ss, func(s Specimen) bool { return isBurnedInText(img, s.Box) })
}

// isBurnedInText reports whether box, near img's edge, holds white
// glyphs outlined in black (see osdShare, osdOutlined, osdHugging).
func isBurnedInText(img image.Image, box image.Rectangle) bool {
	b := img.Bounds()
	band := int(osdBand * float64(min(b.Dx(), b.Dy())))
	if box.In(b.Inset(band)) {
		return false
	}
	glyph, outlined, hugging := glyphShares(img, box)
	return glyph >= osdShare && outlined >= osdOutlined && hugging >= osdHugging
}

// glyphShares returns the share of box that is glyph white (neutral,
// osdWhite or brighter, and osdBrighter above the surface around box),
// the share of that white's edge (its pixels beside one that is not)
// within osdReach px of outline black (neutral, osdBlack or darker), and
// the share of the box's black within osdHug px of glyph white.
func glyphShares(img image.Image, box image.Rectangle) (glyph, outlined, hugging float64) {
	b := img.Bounds()
	outer := box.Inset(-osdRing).Intersect(b)
	w, h := outer.Dx(), outer.Dy()
	if w <= 0 || h <= 0 || box.Empty() {
		return 0, 0, 0
	}
	row := newYCC(w)
	lum := make([]uint8, w*h)
	white, black := make([]bool, w*h), make([]bool, w*h)
	var ring [256]int
	near := box.Inset(-osdGap)
	neutral := func(cb, cr uint8) bool {
		return abs8(cb) <= osdNeutral && abs8(cr) <= osdNeutral
	}
	for y := range h {
		rowYCC(img, outer.Min.Y+y, outer.Min.X, outer.Max.X, row)
		copy(lum[y*w:], row.y)
		for x := range w {
			grey := neutral(row.cb[x], row.cr[x])
			white[y*w+x] = grey && row.y[x] >= osdWhite
			black[y*w+x] = grey && row.y[x] <= osdBlack
			if !image.Pt(outer.Min.X+x, outer.Min.Y+y).In(near) {
				ring[row.y[x]]++
			}
		}
	}
	surface := percentile(ring, 0.5)
	for k := range white {
		white[k] = white[k] && int(lum[k]) >= surface+osdBrighter // glyph white
	}
	glyphAt := func(x, y int) bool { return x >= 0 && y >= 0 && x < w && y < h && white[y*w+x] }
	// near black / near white: within osdReach / osdHug px (chessboard)
	nearBlack, nearWhite := dilate(black, w, h, osdReach), dilate(white, w, h, osdHug)
	in := box.Intersect(b).Sub(outer.Min)
	n, glyphs, edge, beside, blacks, hugs := 0, 0, 0, 0, 0, 0
	for y := in.Min.Y; y < in.Max.Y; y++ {
		for x := in.Min.X; x < in.Max.X; x++ {
			n++
			if black[y*w+x] {
				blacks++
				if nearWhite[y*w+x] {
					hugs++
				}
			}
			if !glyphAt(x, y) {
				continue
			}
			glyphs++
			if glyphAt(x-1, y) && glyphAt(x+1, y) && glyphAt(x, y-1) && glyphAt(x, y+1) {
				continue // inside a glyph's stroke
			}
			edge++
			if nearBlack[y*w+x] {
				beside++
			}
		}
	}
	if n > 0 {
		glyph = float64(glyphs) / float64(n)
	}
	if edge > 0 {
		outlined = float64(beside) / float64(edge)
	}
	if blacks > 0 {
		hugging = float64(hugs) / float64(blacks)
	}
	return glyph, outlined, hugging
}

// abs8 is how far a chroma byte lies from grey (128).
func abs8(c uint8) int {
	if c >= 128 {
		return int(c) - 128
	}
	return 128 - int(c)
}

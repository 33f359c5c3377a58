package detect

import (
	"image"
	"slices"
)

// Burned-in text. A trap camera prints the date and time (often its name
// too) onto each frame, near an edge: white glyphs outlined in black. The
// glyphs of ../shared/realframes' sequential and denmark cameras are
// about 10 px high, their strokes 3 px wide, and the pieces they leave
// are dropped as a timestamp at the border (measure, minEdgeThicknessPx).
// A camera with a larger font leaves thicker strokes, and the outlines of
// neighbouring glyphs join into pieces 40-280 px long: two lines of date, time and a camera's name pasted at two
// corners of each of the 13 light sheets, in Go Mono Bold of 12, 16, 24,
// 32 and 48 px outlined by a tenth of that (internal/burnin), gave 6, 3,
// 40, 46 and 54 detections of 40 px or more (bench/REPORT.md,
// thirty-fourth session), none of them a line of printed text (text.go).
// What no insect shows is the pair: neutral near-white pixels, brighter
// than the surface around, whose edge lies against neutral near-black
// ones. On those detections (16-48 px glyphs) at least 0.085 of the box is
// such white and 0.97 of its edge so outlined; of the 1983 detections of
// 20 px or more on the 13 sheets and 18 cards as taken, wherever they lie,
// none with osdShare of its box such white has more than 0.17 of its edge
// outlined, and none with osdOutlined has more than 0.004 of its box
// white. Only boxes within osdBand of the frame's edges are looked at,
// where cameras print: a black-and-white insect elsewhere (narrow white
// bands between black ones) is never taken for text. Text resampled after
// it was burned in is not told (its white blurs under osdWhite: a frame
// enlarged 1.5 times keeps its real timestamps).
const (
	// osdBand: a box nearer an edge than this share of the frame's
	// shorter side may be burned-in text.
	osdBand = 0.1
	// osdWhite and osdBlack: the luma of a glyph's white and of its
	// outline's black; osdNeutral: the most either may differ from grey
	// in Cb or Cr; osdBrighter: how much brighter than the surface around
	// the box a glyph's white is at least.
	osdWhite, osdBlack, osdNeutral, osdBrighter = 225, 60, 16, 20
	// osdShare: the least share of the box that is glyph white;
	// osdOutlined: the least share of that white's edge within osdReach px of
	// outline black.
	osdShare, osdOutlined = 0.05, 0.8
	osdReach              = 2
	// osdRing: the surface around a box is read osdGap-osdRing px from it.
	osdGap, osdRing = 5, 15
)

// dropBurnedInText returns ss without the specimens that are text a
// camera burned into img (isBurnedInText).
func dropBurnedInText(img image.Image, ss []Specimen) []Specimen {
	return slices.DeleteFunc(ss, func(s Specimen) bool { return isBurnedInText(img, s.Box) })
}

// isBurnedInText reports whether box, near img's edge, holds white
// glyphs outlined in black (see osdShare).
func isBurnedInText(img image.Image, box image.Rectangle) bool {
	b := img.Bounds()
	band := int(osdBand * float64(min(b.Dx(), b.Dy())))
	if box.In(b.Inset(band)) {
		return false
	}
	glyph, outlined := glyphShares(img, box)
	return glyph >= osdShare && outlined >= osdOutlined
}

// glyphShares returns the share of box that is glyph white (neutral,
// osdWhite or brighter, and osdBrighter above the surface around box) and
// the share of that white's edge (its pixels beside one that is not)
// within osdReach px of outline black (neutral, osdBlack or darker).
func glyphShares(img image.Image, box image.Rectangle) (glyph, outlined float64) {
	b := img.Bounds()
	outer := box.Inset(-osdRing).Intersect(b)
	w, h := outer.Dx(), outer.Dy()
	if w <= 0 || h <= 0 || box.Empty() {
		return 0, 0
	}
	row := newYCC(w)
	lum := make([]uint8, w*h)
	// black's summed-area table over outer, for the outline test
	sat := make([]int32, (w+1)*(h+1))
	white := make([]bool, w*h)
	var ring [256]int
	near := box.Inset(-osdGap)
	neutral := func(cb, cr uint8) bool {
		return abs8(cb) <= osdNeutral && abs8(cr) <= osdNeutral
	}
	for y := range h {
		rowYCC(img, outer.Min.Y+y, outer.Min.X, outer.Max.X, row)
		copy(lum[y*w:], row.y)
		for x := range w {
			black := 0
			if row.y[x] <= osdBlack && neutral(row.cb[x], row.cr[x]) {
				black = 1
			}
			white[y*w+x] = row.y[x] >= osdWhite && neutral(row.cb[x], row.cr[x])
			sat[(y+1)*(w+1)+x+1] = int32(black) + sat[y*(w+1)+x+1] + sat[(y+1)*(w+1)+x] - sat[y*(w+1)+x]
			if !image.Pt(outer.Min.X+x, outer.Min.Y+y).In(near) {
				ring[row.y[x]]++
			}
		}
	}
	surface := percentile(ring, 0.5)
	glyphAt := func(x, y int) bool {
		return x >= 0 && y >= 0 && x < w && y < h && white[y*w+x] && int(lum[y*w+x]) >= surface+osdBrighter
	}
	in := box.Intersect(b).Sub(outer.Min)
	n, glyphs, edge, beside := 0, 0, 0, 0
	for y := in.Min.Y; y < in.Max.Y; y++ {
		for x := in.Min.X; x < in.Max.X; x++ {
			n++
			if !glyphAt(x, y) {
				continue
			}
			glyphs++
			if glyphAt(x-1, y) && glyphAt(x+1, y) && glyphAt(x, y-1) && glyphAt(x, y+1) {
				continue // inside a glyph's stroke
			}
			edge++
			x0, y0 := max(0, x-osdReach), max(0, y-osdReach)
			x1, y1 := min(w, x+osdReach+1), min(h, y+osdReach+1)
			if sat[y1*(w+1)+x1]-sat[y0*(w+1)+x1]-sat[y1*(w+1)+x0]+sat[y0*(w+1)+x0] > 0 {
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
	return glyph, outlined
}

// abs8 is how far a chroma byte lies from grey (128).
func abs8(c uint8) int {
	if c >= 128 {
		return int(c) - 128
	}
	return 128 - int(c)
}

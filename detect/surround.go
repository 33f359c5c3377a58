package detect

import "image"

// A sheet's surround. A light sheet photographed from farther than its
// trap's own camera stands (a phone photo of the trap at night) is framed
// by what lies beyond it: the night, the trap's housing, the ground. That
// surround is darker than any insect's background and, reaching the
// frame's border all round, it joined every specimen near the sheet's edge
// into one frame-sized piece: the 13 light sheets of ../shared/realframes
// placed in a frame a tenth larger, the rest of it dark (realeval's
// night), recall 0.286 and precision 0.806, sequential's frames nothing
// found (thirty-fifth session). As a card's outside is (card.go), the
// surround is left out: working cells darker than surroundDark of the
// frame's bright level (its 90th percentile), joined to the frame's
// border, in a region of surroundMinMM2 or more (an insect cut by the
// border is far smaller), and surroundMargin cells round them. When what
// is left (the sheet) lies within a smaller box than the frame, that box
// is searched instead (analyzeSheetPart), so that what the sheet's edge
// cuts is judged as what the frame's border cuts (an insect, a timestamp,
// a shadow): night 0.977 / 0.945 against 0.983 / 0.961 as taken (with the
// surround only masked, the sheets in a border a fortieth of the frame wide
// scored 0.931 / 0.906: timestamps and cyprus's corner shadow no longer at
// a border, insects cut by the sheet's edge cut further). surroundDark: a
// surround at luma 60 (0.27 of the sheets' level) was not cut at 0.25
// (recall 0.371); at 0.4 it is (0.977), one at luma 90 (0.40) in part
// (0.937). Vignetting's corners and a lamp's far side are 0.5 of the
// level or more (realeval's vignette and lamp); none of the 13 real
// sheets has a surround (cyprus's shadowed corner is not dark enough), and
// every box of theirs is the same.
const (
	surroundDark   = 0.4
	surroundMinMM2 = 3000
	surroundMargin = 2
)

// sheetSurround returns the working cells of py (f x f frame pixels at
// ppm pixels per mm) that lie in a sheet's surround, or nil when there is
// none. A frame with no dark cell on its border (every real sheet) is not
// labelled.
func sheetSurround(py plane, f int, ppm float64) []bool {
	w, h := py.w, py.h
	var hist [256]int
	for _, v := range py.v {
		hist[clampByte(v)]++
	}
	limit := surroundDark * percentile90(&hist, len(py.v))
	edge := false
	for x := range w {
		edge = edge || py.v[x] < limit || py.v[(h-1)*w+x] < limit
	}
	for y := range h {
		edge = edge || py.v[y*w] < limit || py.v[y*w+w-1] < limit
	}
	if !edge {
		return nil
	}
	dark := make([]bool, w*h)
	for i, v := range py.v {
		dark[i] = v < limit
	}
	labels, sizes := label8(dark, w, h)
	border := make([]bool, len(sizes))
	for x := range w {
		border[labels[x]], border[labels[(h-1)*w+x]] = true, true
	}
	for y := range h {
		border[labels[y*w]], border[labels[y*w+w-1]] = true, true
	}
	minCells := surroundMinMM2 * ppm * ppm / float64(f*f)
	off := make([]bool, w*h)
	any := false
	for i, l := range labels {
		if l != 0 && border[l] && float64(sizes[l]) >= minCells {
			off[i], any = true, true
		}
	}
	if !any {
		return nil
	}
	return dilate(off, w, h, surroundMargin)
}

// sheetBox returns the frame box (b: the frame's bounds; cells of f x f
// pixels, w x h of them) of the cells not off: the sheet within its
// surround.
func sheetBox(off []bool, w, h, f int, b image.Rectangle) image.Rectangle {
	x0, y0, x1, y1 := w, h, -1, -1
	for i, v := range off {
		if !v {
			x, y := i%w, i/w
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
		}
	}
	if x1 < x0 {
		return b
	}
	return image.Rect(b.Min.X+x0*f, b.Min.Y+y0*f, b.Min.X+(x1+1)*f, b.Min.Y+(y1+1)*f).Intersect(b)
}

// analyzeSheetPart is Analyze on the part box of img: a sheet cut out of
// its dark surround, so that what its edge cuts is treated as what the
// frame's border cuts (an insect, a timestamp, a shadow). The boxes are
// the frame's: a sub-image keeps its coordinates.
func analyzeSheetPart(img image.Image, opts Options, box image.Rectangle) (Frame, error) {
	opts.onSheet = true
	return Analyze(img.(subImager).SubImage(box), opts)
}

// subImager is an image a part can be cut from (every decoded frame).
type subImager interface {
	SubImage(image.Rectangle) image.Image
}

// canCut reports whether img is a subImager.
func canCut(img image.Image) bool {
	_, ok := img.(subImager)
	return ok
}

package detect

import (
	"image"
	"math"
)

// Scale references. A checkerboard scale bar, a millimetre ruler or a solid
// bar of stated length in view gives the frame's scale, and none of them is
// a specimen: dropScaleBars takes their components out before the pieces
// are split and refilled (checkerboard.go, ruler.go, solidbar.go).

// scaleRefs are the scale references seen on a frame: checkerboards,
// millimetre rulers and (at most one) solid scale bar.
type scaleRefs struct {
	boards []Checkerboard
	rulers []Ruler
	bars   []SolidBar
}

// scale returns the scale the references give and its Frame.ScaleSource:
// the first checkerboard's when Options.ScaleSquareMM is set, else the
// solid bar's (found only when Options.SolidBarMM is set), else the first
// ruler's unless Options.NoRulerScale; 0 and "" when none does.
func (r scaleRefs) scale(o Options) (float64, string) {
	switch {
	case len(r.boards) > 0 && o.ScaleSquareMM > 0:
		return r.boards[0].SquarePx / o.ScaleSquareMM, "checkerboard"
	case len(r.bars) > 0:
		return r.bars[0].LengthPx / o.SolidBarMM, "solid_bar"
	case len(r.rulers) > 0 && !o.NoRulerScale:
		return r.rulers[0].PixelsPerMM, "ruler"
	}
	return 0, ""
}

// boxes returns where the references lie.
func (r scaleRefs) boxes() []image.Rectangle {
	var out []image.Rectangle
	for _, cb := range r.boards {
		out = append(out, cb.Box)
	}
	for _, ru := range r.rulers {
		out = append(out, ru.Box)
	}
	for _, sb := range r.bars {
		out = append(out, sb.Box)
	}
	return out
}

// dropScaleBars removes the components that hold a checkerboard scale
// bar, a millimetre ruler or the solid scale bar of o.SolidBarMM (before
// splitting: a bar must be seen whole), and with a ruler every component
// lying on it (its numbers, its body in pieces), and returns them.
func dropScaleBars(img image.Image, labels []int32, dark []float32, w int, comps []component, f int, o Options, next *int32) ([]component, scaleRefs) {
	b := img.Bounds()
	var refs scaleRefs
	boxOf := func(c component) image.Rectangle {
		return image.Rect(b.Min.X+c.x0*f, b.Min.Y+c.y0*f, b.Min.X+c.x1*f, b.Min.Y+c.y1*f).Intersect(b)
	}
	cellAt := func(x, y int) (float64, float64) {
		return float64(b.Min.X) + (float64(x)+0.5)*float64(f), float64(b.Min.Y) + (float64(y)+0.5)*float64(f)
	}
	cellsOf := func(r image.Rectangle) image.Rectangle {
		r = r.Sub(b.Min)
		return image.Rect(r.Min.X/f, r.Min.Y/f, (r.Max.X+f-1)/f, (r.Max.Y+f-1)/f)
	}
	bar, barLabel := SolidBar{}, int32(-1)
	var rulerPieces []image.Rectangle
	var rest []component // parts of components a board or ruler was cut out of
	// Looking for a checkerboard and a ruler's ticks on every large
	// component was a third of the search's time on a crowded sheet
	// (panama's frame with 400 more of its insects pasted, bench/crowd);
	// both read only img, so the components are looked at in parallel
	// first, and taken in turn below.
	type look struct {
		board            Checkerboard
		onBoard, onRuler bool
		ruler            Ruler
		ticks            int
	}
	looks := make([]look, len(comps))
	inBlocks(len(comps), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			c, l := comps[i], &looks[i]
			side := max(c.x1-c.x0, c.y1-c.y0) * f
			if side < min(minBoardPx, minRulerPiecePx) {
				continue
			}
			px := readBoxPixels(img, boxOf(c)) // read once for both
			if side >= minBoardPx {
				if l.board, l.onBoard = findCheckerboard(px); l.onBoard {
					continue
				}
			}
			if side >= minRulerPiecePx {
				// One reading of the ticks serves a whole ruler and a piece.
				rd := px.ticks(minRulerPiecePx)
				ticks := rd.at(rulerInk)
				if side >= minRulerPx {
					l.ruler, l.onRuler = rd.ruler(ticks)
				}
				l.ticks = len(ticks)
			}
		}
	})
	out := comps[:0]
	for i, c := range comps {
		side := max(c.x1-c.x0, c.y1-c.y0) * f
		if side >= minBoardPx {
			if cb, ok := looks[i].board, looks[i].onBoard; ok {
				// The board and its label go; whatever of the component
				// lies beyond them (an insect touching it) goes on.
				cb.Box = cb.Box.Intersect(boardBand(cb, cb.Box, boardSides))
				refs.boards = append(refs.boards, cb)
				rest = append(rest, cutBoard(labels, dark, w, c, cb, cellsOf, boxOf, next)...)
				continue
			}
		}
		if side >= minRulerPiecePx {
			if r, ok := looks[i].ruler, looks[i].onRuler; ok {
				// The ruler goes; whatever of the component lies beyond
				// its body (an insect touching it) goes on.
				refs.rulers = append(refs.rulers, r)
				rest = append(rest, cutRuler(labels, dark, w, c, r, cellAt, next)...)
				continue
			}
			if looks[i].ticks >= rulerPieceTicks {
				rulerPieces = append(rulerPieces, boxOf(c))
			}
		}
		if o.SolidBarMM > 0 && mayBeSolidBar(c, f, o.SolidBarMM, o.PixelsPerMM) {
			if sb, ok := findSolidBar(img, boxOf(c), o.SolidBarMM, o.PixelsPerMM); ok && (barLabel < 0 || math.Abs(sb.Fill-1) < math.Abs(bar.Fill-1)) {
				bar, barLabel = sb, c.label
			}
		}
		out = append(out, c)
	}
	if barLabel >= 0 {
		refs.bars = []SolidBar{bar}
		kept := out[:0]
		for _, c := range out {
			if c.label != barLabel {
				kept = append(kept, c)
			}
		}
		out = kept
	}
	out = append(out, rest...)
	if len(refs.rulers) == 0 {
		refs.rulers = rulersInPieces(img, rulerPieces)
	}
	if len(refs.rulers) == 0 {
		return out, refs
	}
	boxes := make([]image.Rectangle, len(out))
	for k, c := range out {
		boxes[k] = boxOf(c)
	}
	// Pieces beyond a ruler's ends holding its ticks go with it; then its
	// ends reach over the ticks no component held alone.
	ticked := extendRulers(img, refs.rulers, boxes)
	for i := range refs.rulers {
		refs.rulers[i].grow(img)
	}
	kept := out[:0]
	for k, c := range out {
		if !ticked[k] && !onRuler(boxes[k], refs.rulers) {
			kept = append(kept, c)
		}
	}
	return kept, refs
}

// onSolidBar reports whether most of box (half its area or more) lies on one
// of bars: a piece of the bar's edge left by the threshold.
func onSolidBar(box image.Rectangle, bars []SolidBar) bool {
	for _, sb := range bars {
		in := box.Intersect(sb.Box.Inset(-2))
		if 2*in.Dx()*in.Dy() >= box.Dx()*box.Dy() {
			return true
		}
	}
	return false
}

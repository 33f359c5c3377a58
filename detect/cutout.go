package detect

import (
	"image"
	"math"
)

// Cutting a scale reference out of its component. An insect touching a
// checkerboard or a ruler is one foreground component with it; set aside
// whole, the insect went with the reference.

// boardSides is how far across its squares, in squares, a checkerboard's
// printed label is taken to reach (vermont's bar: its "20 mm" caption within
// one square below the squares); boardBlur is the margin of the board
// itself: the squares' blurred edges.
const boardSides, boardBlur = 1.5, 0.25

// boardBand is the band of a checkerboard's row of squares: its grid
// grown by sides squares across the bar, reaching along it as far as
// within (the component holding it). It has no length of its own: a board
// found short (its end squares merged with an insect resting on them, or
// blurred into its end marks at a low resolution) leaves squares and marks
// beyond the grid, still within the band.
func boardBand(cb Checkerboard, within image.Rectangle, sides float64) image.Rectangle {
	across := int(math.Ceil(sides * cb.SquarePx))
	g := cb.grid
	if g.Dx() >= g.Dy() {
		return image.Rect(within.Min.X, g.Min.Y-across, within.Max.X, g.Max.Y+across)
	}
	return image.Rect(g.Min.X-across, within.Min.Y, g.Max.X+across, within.Max.Y)
}

// cutBoard parts the component c holding checkerboard cb: the cells on its
// row of squares (boardBand grown by boardBlur) go with it, and of the
// rest, the parts that lie within its label (boardBand grown by
// boardSides: its end marks and caption, or a moth resting at its end no
// wider than the label, which goes with the board as before the cut); the
// parts reaching beyond the label across the bar are returned (an insect
// resting against its side, less what of it lies on the squares). cells
// maps a frame rectangle to the working cells it touches, box a
// component's cells to the frame.
func cutBoard(labels []int32, dark []float32, w int, c component, cb Checkerboard, cells func(image.Rectangle) image.Rectangle, box func(component) image.Rectangle, next *int32) []component {
	label := cells(boardBand(cb, box(c), boardSides))
	var out []component
	squares := cells(boardBand(cb, box(c), boardBlur))
	for _, p := range cutOut(labels, dark, w, c, func(x, y int) bool { return image.Pt(x, y).In(squares) }, next) {
		if image.Rect(p.x0, p.y0, p.x1, p.y1).In(label) {
			for y := p.y0; y < p.y1; y++ {
				for x := p.x0; x < p.x1; x++ {
					if i := y*w + x; labels[i] == p.label {
						labels[i] = c.label
					}
				}
			}
			continue
		}
		out = append(out, p)
	}
	return out
}

// cutOut parts component c at the working cells (x, y) that in holds: each
// 8-connected group of c's cells outside them becomes a component of its
// own, labelled from *next up, and is returned. The cells inside keep c's
// label, which no component carries any more, so no fill enters them.
func cutOut(labels []int32, dark []float32, w int, c component, in func(x, y int) bool, next *int32) []component {
	bw, bh := c.x1-c.x0, c.y1-c.y0
	var out []component
	var stack []int
	var p component
	// take moves cell q of c's box (its labels still c's: relabelling
	// marks it) to p, unless in holds it.
	take := func(q int) bool {
		x, y := q%bw+c.x0, q/bw+c.y0
		i := y*w + x
		if labels[i] != c.label || in(x, y) {
			return false
		}
		labels[i] = p.label
		p.n++
		p.x0, p.y0, p.x1, p.y1 = min(p.x0, x), min(p.y0, y), max(p.x1, x+1), max(p.y1, y+1)
		p.maxDark = max(p.maxDark, dark[i])
		p.m.add(float64(x), float64(y))
		return true
	}
	for q := range bw * bh {
		p = component{label: *next + 1, x0: c.x1, y0: c.y1}
		if !take(q) {
			continue
		}
		*next++
		_, stack = flood8(q, bw, bh, stack, take)
		out = append(out, p)
	}
	return out
}

// rulerEdgeMM is the margin of a ruler beyond the base line of its ticks
// (their blurred start) that goes with it when it is cut out.
const rulerEdgeMM = 0.5

// cutRuler parts the component c holding ruler r: the cells whose centres
// lie on its body (from rulerEdgeMM outside the ticks' base line to
// rulerBodyMM inside it, and to rulerEndMM beyond its outer ticks) go
// with it; the parts beyond are returned (an insect resting against it,
// less what of it lies on the ruler). at maps a cell to its centre in the
// frame.
func cutRuler(labels []int32, dark []float32, w int, c component, r Ruler, at func(x, y int) (float64, float64), next *int32) []component {
	return cutOut(labels, dark, w, c, func(x, y int) bool {
		s, t := r.coords(at(x, y))
		return t >= -rulerEdgeMM && t <= rulerBodyMM && s >= float64(r.first)-rulerEndMM && s <= float64(r.last)+rulerEndMM
	}, next)
}

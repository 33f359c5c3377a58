package detect

import (
	"image"
	"math"
)

// Cutting a scale reference out of its component. An insect touching a
// checkerboard is one foreground component with it; set aside whole, the
// insect went with the board.

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
	for _, p := range cutOut(labels, dark, w, c, cells(boardBand(cb, box(c), boardBlur)), next) {
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

// cutOut parts component c at the working cells of region: each
// 8-connected group of c's cells outside it becomes a component of its own,
// labelled from *next up, and is returned. The cells inside keep c's label,
// which no component carries any more, so no fill enters them.
func cutOut(labels []int32, dark []float32, w int, c component, region image.Rectangle, next *int32) []component {
	bw, bh := c.x1-c.x0, c.y1-c.y0
	var out []component
	var stack []int
	var p component
	// take moves cell q of c's box (its labels still c's: relabelling
	// marks it) to p, unless it lies in region.
	take := func(q int) bool {
		x, y := q%bw+c.x0, q/bw+c.y0
		i := y*w + x
		if labels[i] != c.label || image.Pt(x, y).In(region) {
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

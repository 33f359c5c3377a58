package detect

import "image"

// boxGrid buckets boxes (pieces' boxes, a frame's detections) by the
// cells (cell x cell pixels) they touch.
type boxGrid struct {
	cell  int
	cells map[image.Point][]int
	seen  []int // per piece, the last query that listed it
	query int
}

func newBoxGrid(ps []*piece, cell int) *boxGrid {
	boxes := make([]image.Rectangle, len(ps))
	for i, p := range ps {
		boxes[i] = p.box
	}
	return newRectGrid(boxes, cell)
}

// newRectGrid buckets boxes; each lists indices into them.
func newRectGrid(boxes []image.Rectangle, cell int) *boxGrid {
	g := &boxGrid{cell: max(cell, 1), cells: map[image.Point][]int{}, seen: make([]int, len(boxes))}
	for i, b := range boxes {
		g.cover(b, func(c image.Point) { g.cells[c] = append(g.cells[c], i) })
	}
	return g
}

// cover calls fn for each cell r touches.
func (g *boxGrid) cover(r image.Rectangle, fn func(image.Point)) {
	x0, y0 := floorDiv(r.Min.X, g.cell), floorDiv(r.Min.Y, g.cell)
	x1, y1 := floorDiv(r.Max.X-1, g.cell), floorDiv(r.Max.Y-1, g.cell)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			fn(image.Pt(x, y))
		}
	}
}

// each calls fn once for every box that touches a cell r touches.
func (g *boxGrid) each(r image.Rectangle, fn func(int)) {
	g.query++
	g.cover(r, func(c image.Point) {
		for _, i := range g.cells[c] {
			if g.seen[i] != g.query {
				g.seen[i] = g.query
				fn(i)
			}
		}
	})
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

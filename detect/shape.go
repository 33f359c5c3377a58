package detect

import (
	"image"
	"math"
	"slices"
	"sort"
)

// moments accumulates the zeroth to second moments of a pixel set.
type moments struct {
	n, sx, sy, sxx, syy, sxy float64
}

func (m *moments) add(x, y float64) {
	m.n++
	m.sx += x
	m.sy += y
	m.sxx += x * x
	m.syy += y * y
	m.sxy += x * y
}

// axes returns the centroid, the major and minor axis lengths of the ellipse
// with the same second moments (4*sqrt(eigenvalue); a pixel's own extent is
// included through the 1/12 variance of a unit square) and the major axis
// angle in (-pi/2, pi/2].
func (m moments) axes() (cx, cy, major, minor, angle float64) {
	if m.n == 0 {
		return 0, 0, 0, 0, 0
	}
	cx, cy = m.sx/m.n, m.sy/m.n
	vxx := m.sxx/m.n - cx*cx + 1.0/12
	vyy := m.syy/m.n - cy*cy + 1.0/12
	vxy := m.sxy/m.n - cx*cy
	tr, det := vxx+vyy, vxx*vyy-vxy*vxy
	disc := math.Sqrt(math.Max(tr*tr/4-det, 0))
	l1, l2 := tr/2+disc, math.Max(tr/2-disc, 0)
	angle = 0.5 * math.Atan2(2*vxy, vxx-vyy)
	if angle <= -math.Pi/2 {
		angle += math.Pi
	}
	return cx, cy, 4 * math.Sqrt(l1), 4 * math.Sqrt(l2), angle
}

// hullArea returns the area of the convex hull of the pixel squares whose
// rows run from spans[i].lo to spans[i].hi (inclusive) on row spans[i].y.
func hullArea(spans []span) float64 {
	pts := make([][2]float64, 0, 4*len(spans))
	for _, s := range spans {
		y := float64(s.y)
		pts = append(pts, [2]float64{float64(s.lo), y}, [2]float64{float64(s.lo), y + 1},
			[2]float64{float64(s.hi + 1), y}, [2]float64{float64(s.hi + 1), y + 1})
	}
	hull := convexHull(pts)
	if len(hull) < 3 {
		return 0
	}
	a := 0.0
	for i := range hull {
		j := (i + 1) % len(hull)
		a += hull[i][0]*hull[j][1] - hull[j][0]*hull[i][1]
	}
	return math.Abs(a) / 2
}

// convexHull returns the convex hull of pts (sorted in place),
// counter-clockwise without collinear points (Andrew's monotone chain).
func convexHull(pts [][2]float64) [][2]float64 {
	if len(pts) < 3 {
		return pts
	}
	sort.Slice(pts, func(a, b int) bool {
		if pts[a][0] != pts[b][0] {
			return pts[a][0] < pts[b][0]
		}
		return pts[a][1] < pts[b][1]
	})
	cross := func(o, a, b [2]float64) float64 {
		return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
	}
	h := make([][2]float64, 0, 2*len(pts))
	for _, p := range pts {
		for len(h) >= 2 && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	for i, t := len(pts)-2, len(h)+1; i >= 0; i-- {
		p := pts[i]
		for len(h) >= t && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	return h[:len(h)-1]
}

// span is the horizontal extent of a component on one row.
type span struct{ y, lo, hi int }

// thickness returns the side of the largest square of reached pixels
// (state == 2) inside box of the rw-wide state grid, from the chessboard
// distance to the nearest other pixel: 2*d-1 for the deepest pixel at
// distance d (1 for a pixel on the edge), so a k-pixel-wide straight band
// measures k when k is odd and k-1 when even.
func thickness(state []uint8, rw int, box image.Rectangle) float64 {
	return depthThickness(chessDepth(state, rw, box))
}

// depthThickness is thickness from chessDepth's result (0 for no pixel).
func depthThickness(depth []int32) float64 {
	if d := slices.Max(append(depth, 0)); d > 0 {
		return float64(2*d - 1)
	}
	return 0
}

// chessDepth returns, for every pixel of box (row-major, box-sized), the
// chessboard distance from a reached pixel (state == 2 in the rw-wide
// state grid) to the nearest pixel that is not reached (1 on the edge, 0
// off the piece).
func chessDepth(state []uint8, rw int, box image.Rectangle) []int32 {
	bw, bh := box.Dx(), box.Dy()
	if bw <= 0 || bh <= 0 {
		return nil
	}
	d := make([]int32, bw*bh)
	in := func(x, y int) bool { return state[(box.Min.Y+y)*rw+box.Min.X+x] == 2 }
	at := func(x, y int) int32 {
		if x < 0 || y < 0 || x >= bw || y >= bh {
			return 0
		}
		return d[y*bw+x]
	}
	for y := range bh {
		for x := range bw {
			if in(x, y) {
				d[y*bw+x] = 1 + min(at(x-1, y), at(x-1, y-1), at(x, y-1), at(x+1, y-1))
			}
		}
	}
	for y := bh - 1; y >= 0; y-- {
		for x := bw - 1; x >= 0; x-- {
			i := y*bw + x
			if d[i] == 0 {
				continue
			}
			d[i] = min(d[i], 1+min(at(x+1, y), at(x+1, y+1), at(x, y+1), at(x-1, y+1)))
		}
	}
	return d
}

// bodyBox returns the box of the piece without its thin parts (legs,
// antennae, hairs at most 2*r+1 pixels thick): the box of the pixels at
// depth > r, grown by r (a morphological opening's extent), within box.
// It returns box when nothing is that deep.
func bodyBox(depth []int32, box image.Rectangle, r int32) image.Rectangle {
	bw := box.Dx()
	core := image.Rectangle{Min: image.Pt(math.MaxInt, math.MaxInt), Max: image.Pt(math.MinInt, math.MinInt)}
	for i, d := range depth {
		if d > r {
			x, y := i%bw, i/bw
			core.Min.X, core.Min.Y = min(core.Min.X, x), min(core.Min.Y, y)
			core.Max.X, core.Max.Y = max(core.Max.X, x+1), max(core.Max.Y, y+1)
		}
	}
	if core.Empty() {
		return box
	}
	return core.Inset(-int(r)).Add(box.Min).Intersect(box)
}

// limbBox returns the box of a fill's reached pixels (state == 2 in the
// rw-wide state grid, within box, box-relative as bodyBox's) without
// its parts at most 2*r+1 pixels thick, measured with the piece's holes
// filled: a wing drawn by its outline round a translucent middle is as
// thick as the wing, a leg or an antenna encloses nothing.
func limbBox(state []uint8, rw int, box image.Rectangle, r int32) image.Rectangle {
	bw, bh := box.Dx(), box.Dy()
	m := make([]bool, bw*bh)
	for y := range bh {
		for x := range bw {
			m[y*bw+x] = state[(box.Min.Y+y)*rw+box.Min.X+x] == 2
		}
	}
	fillHoles(m, bw, bh)
	filled := make([]uint8, len(m))
	for i, in := range m {
		if in {
			filled[i] = 2
		}
	}
	return bodyBox(chessDepth(filled, bw, image.Rect(0, 0, bw, bh)), box, r)
}

// closeReached returns a copy of a fill's state (2 = reached) with the
// reached pixels morphologically closed by r (chessboard): gaps up to 2*r
// pixels wide between reached pixels are reached too.
func closeReached(state []uint8, w, h, r int) []uint8 {
	m := make([]bool, len(state))
	for i, v := range state {
		m[i] = v == 2
	}
	closed := erode(dilate(m, w, h, r), w, h, r)
	out := make([]uint8, len(state))
	for i, v := range closed {
		if v {
			out[i] = 2
		}
	}
	return out
}

// outside returns which cells of the w x h grid are off in (false) and
// joined to the grid's border by a 4-connected path of such cells: the
// silhouette's surround, its holes left out.
func outside(in []bool, w, h int) []bool {
	out := make([]bool, len(in))
	var stack []int
	for j := range in {
		x, y := j%w, j/w
		if !in[j] && (x == 0 || y == 0 || x == w-1 || y == h-1) {
			out[j] = true
			stack = append(stack, j)
		}
	}
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, q := range neighbours4(k, w, h) {
			if q >= 0 && !out[q] && !in[q] {
				out[q] = true
				stack = append(stack, q)
			}
		}
	}
	return out
}

// fillHoles sets the cells of m (w x h) that are off and not outside.
func fillHoles(m []bool, w, h int) {
	for i, o := range outside(m, w, h) {
		m[i] = m[i] || !o
	}
}

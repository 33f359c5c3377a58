package detect

import (
	"math"
	"sort"
)

// Touching specimens told by their outline. Two moths resting wing to
// wing make one component whose outline has a bay on each side where
// their wings meet. When neither has a core of its own (splitComponents)
// nor is paler than the other (splitPale), as with two evenly dark moths
// or two of one patterned species, splitNotch cuts the component along the
// segment joining the deepest cells of two such bays. The cut stands only
// when it is short against the smaller part and both parts are large and
// solid (each fills most of its convex hull). One moth with its wings
// spread has bays at its head and tail too, but the cut between them runs
// its body's length, and each half, a fore- and a hindwing with a bay
// between them, is not solid; a moth at rest (a delta) has no bay deep
// enough.
//
// On ../shared/realframes' 13 light sheets one box changes: the slender
// insect resting on panama's orange moth is found (recall 0.960 -> 0.966).
// With a neighbour pasted against each insect (bench/touching, gap 0),
// both of a pair are found 0.69 of the time with another insect of the
// frame (was 0.63) and 0.74 with a copy (0.67). The cut's bound is the
// test that matters: any bound from 0.6 to 0.9 changes that one box on the
// sheets as taken, at 0.95 the delta moths of panama are cut in half along
// their bodies (15 boxes change). Cards are left out: there the cut
// finds no more whiteflies or judged insects (bench/detect/sticky-large.tsv)
// and reports one more judged junk box and 3 new boxes of 40 px or more.
const (
	// notchMinDepth is the least depth, in working cells, of a notch: how
	// far its deepest outline cell lies inside the component's convex hull.
	notchMinDepth = 1.5
	// notchMinMM2 is the least area of each part: 40 working cells of a
	// 4K sheet at 10 px/mm, the size at which the cut was measured. At a
	// finer working resolution the same cells would be the strokes of a
	// printed letter (a T's bar and stem, 3 mm long on a 5 mm label).
	notchMinMM2 = 6.4
	// notchMaxMM2 bounds the component cut: about twice the box of the
	// largest insect on the 13 sheets (vermont's luna moth, 70 x 73 mm as
	// the frame's borders cut it). Larger components are grass, cloth or
	// shade, whose ragged outline has hundreds of bays, and each cut costs
	// a pass over the component: on ../shared/realframes' DSLR photos of a
	// butterfly on the ground, detection took twice as long with neither
	// this bound nor notchMost.
	notchMaxMM2 = 10000
	// notchMaxCut bounds the cut's length, in units of the square root of
	// the smaller part's area.
	notchMaxCut = 0.8
	// notchSolid is the least share of its convex hull each part fills.
	notchSolid = 0.8
	// notchMost bounds the bays tried, deepest first: each pair is a cut
	// to try, and a large ragged component (the cloth, grass on a photo
	// taken for a sheet) has hundreds of bays.
	notchMost = 16
)

// notchSize bounds splitNotch's work in working cells: the least part and
// the largest component cut (0: none is cut).
type notchSize struct{ min, max int }

// notchCells returns the notchSize for working cells of f x f frame
// pixels at pxPerMM (notchMinMM2, notchMaxMM2).
func notchCells(pxPerMM float64, f int) notchSize {
	cells := func(mm2 float64) int { return int(math.Round(mm2 * pxPerMM * pxPerMM / float64(f*f))) }
	return notchSize{cells(notchMinMM2), cells(notchMaxMM2)}
}

// splitNotch returns c cut in two along its best pair of notches (labels
// relabelled in place), each part at least size.min working cells, or nil
// when no cut passes the tests above or c is over size.max.
func splitNotch(labels []int32, c component, dark []float32, w int, size notchSize, next *int32) []component {
	minCells := size.min
	if c.n < 2*minCells || c.n > size.max {
		return nil
	}
	bw, bh := c.x1-c.x0, c.y1-c.y0
	in := make([]bool, bw*bh)
	n := 0
	for j := range in {
		if labels[(j/bw+c.y0)*w+j%bw+c.x0] == c.label {
			in[j] = true
			n++
		}
	}
	if n < 2*minCells {
		return nil
	}
	notches := findNotches(in, bw, bh)
	if len(notches) < 2 {
		return nil
	}
	if len(notches) > notchMost {
		sort.Slice(notches, func(a, b int) bool { return notches[a].depth > notches[b].depth })
		notches = notches[:notchMost]
	}
	best, bestScore := []int32(nil), math.Inf(1)
	longest := notchMaxCut * math.Sqrt(float64(n)/2) // the smaller part is at most half
	for a := 0; a < len(notches); a++ {
		for b := a + 1; b < len(notches); b++ {
			if math.Hypot(notches[a].x-notches[b].x, notches[a].y-notches[b].y) > longest {
				continue
			}
			owner, score, ok := cutAt(in, bw, bh, minCells, notches[a], notches[b])
			if ok && score < bestScore {
				best, bestScore = owner, score
			}
		}
	}
	if best == nil {
		return nil
	}
	return relabel(labels, c, best, dark, w, next)
}

// notch is the deepest outline cell of a bay of a component's outline.
type notch struct {
	x, y  float64 // cell centre, in box coordinates
	depth float64 // distance inside the convex hull, in cells
}

// findNotches returns the bays of the outline of the cells in (bw x bh,
// holes filled) at least notchMinDepth deep, by their deepest cell.
func findNotches(in []bool, bw, bh int) []notch {
	surround := outside(in, bw, bh) // holes filled
	var pts [][2]float64
	edge := make([]bool, bw*bh)
	for j := range in {
		if surround[j] {
			continue
		}
		x, y := j%bw, j/bw
		for _, q := range neighbours4(j, bw, bh) {
			if q < 0 || surround[q] {
				edge[j] = true
				break
			}
		}
		if edge[j] {
			pts = append(pts, [2]float64{float64(x) + 0.5, float64(y) + 0.5})
		}
	}
	hull := convexHull(pts)
	if len(hull) < 3 {
		return nil
	}
	depth := make([]float64, bw*bh)
	for j, e := range edge {
		if e {
			depth[j] = hullDepth(hull, float64(j%bw)+0.5, float64(j/bw)+0.5)
		}
	}
	bays := blobsOf(bw, bh, func(j int) bool { return edge[j] && depth[j] >= 1 })
	deepest := make([]notch, len(bays.size))
	for j, id := range bays.id {
		if id != 0 && depth[j] > deepest[id-1].depth {
			deepest[id-1] = notch{x: float64(j%bw) + 0.5, y: float64(j/bw) + 0.5, depth: depth[j]}
		}
	}
	var out []notch
	for _, d := range deepest {
		if d.depth >= notchMinDepth {
			out = append(out, d)
		}
	}
	return out
}

// cutAt cuts the cells in along the segment from p to q. It returns the
// two parts as owner ids 1 and 2, the cut's length over the square root of
// the smaller part's area, and whether the cut passes splitNotch's tests
// (each part at least minCells).
func cutAt(in []bool, bw, bh, minCells int, p, q notch) ([]int32, float64, bool) {
	dx, dy := q.x-p.x, q.y-p.y
	l := math.Hypot(dx, dy)
	if l < 1 {
		return nil, 0, false
	}
	onCut := func(j int) bool {
		cx, cy := float64(j%bw)+0.5-p.x, float64(j/bw)+0.5-p.y
		t := (cx*dx + cy*dy) / (l * l)
		if t < 0 || t > 1 {
			return false
		}
		return math.Abs(cx*dy-cy*dx)/l <= 0.75
	}
	// Most of the cut must run through the component.
	cutCells, inside := 0, 0
	for j := range in {
		if onCut(j) {
			cutCells++
			if in[j] {
				inside++
			}
		}
	}
	if cutCells == 0 || float64(inside) < 0.8*float64(cutCells) {
		return nil, 0, false
	}
	parts := blobsOf(bw, bh, func(j int) bool { return in[j] && !onCut(j) })
	if len(parts.size) < 2 {
		return nil, 0, false
	}
	order := make([]int, len(parts.size))
	for k := range order {
		order[k] = k
	}
	sort.Slice(order, func(a, b int) bool { return parts.size[order[a]] > parts.size[order[b]] })
	if parts.size[order[1]] < minCells {
		return nil, 0, false
	}
	owner := make([]int32, bw*bh)
	for j, id := range parts.id {
		switch id {
		case int32(order[0] + 1):
			owner[j] = 1
		case int32(order[1] + 1):
			owner[j] = 2
		}
	}
	growParts(owner, bw, bh, func(j int) bool { return in[j] })
	var size [3]int
	var spans [3][]span
	for y := range bh {
		for x := range bw {
			o := owner[y*bw+x]
			if o == 0 {
				continue
			}
			size[o]++
			if s := spans[o]; len(s) > 0 && s[len(s)-1].y == y {
				s[len(s)-1].hi = x
			} else {
				spans[o] = append(spans[o], span{y: y, lo: x, hi: x})
			}
		}
	}
	small := float64(min(size[1], size[2]))
	score := l / math.Sqrt(small)
	if score > notchMaxCut {
		return nil, 0, false
	}
	for o := 1; o <= 2; o++ {
		if float64(size[o]) < notchSolid*hullArea(spans[o]) {
			return nil, 0, false
		}
	}
	return owner, score, true
}

// neighbours4 returns the 4-neighbours of cell k of a w x h grid (-1 off
// the grid).
func neighbours4(k, w, h int) [4]int {
	x, y := k%w, k/w
	n := [4]int{-1, -1, -1, -1}
	if x > 0 {
		n[0] = k - 1
	}
	if x < w-1 {
		n[1] = k + 1
	}
	if y > 0 {
		n[2] = k - w
	}
	if y < h-1 {
		n[3] = k + w
	}
	return n
}

// hullDepth is the distance from (x, y), inside the convex polygon hull,
// to the polygon's outline.
func hullDepth(hull [][2]float64, x, y float64) float64 {
	d := math.Inf(1)
	for i := range hull {
		a, b := hull[i], hull[(i+1)%len(hull)]
		ex, ey := b[0]-a[0], b[1]-a[1]
		l := math.Hypot(ex, ey)
		if l == 0 {
			continue
		}
		d = math.Min(d, math.Abs((x-a[0])*ey-(y-a[1])*ex)/l)
	}
	return d
}

package detect

import "math"

// Touching specimens. On a busy sheet moths settle wing to wing, and one
// working-resolution component then holds several of them (panama's frame
// has a cluster of five). splitComponents looks inside each component for
// separate cores: the cells whose deviation is well above the component's
// own threshold (a moth's body and darker wing areas) form separate blobs
// at some level while the wing margins where two moths touch do not. The
// lowest level at which two or more cores of at least minCoreCells appear
// gives the markers; every cell of the component then goes to the nearest
// core (breadth-first, inside the component), and each part is tried
// again, so clusters of three or more come apart one level at a time.

const (
	// minCoreCells is the least size, in working cells, of a core that
	// counts as a separate specimen (about 24x24 frame pixels at the
	// default working size of a 4K frame).
	minCoreCells = 36
	// splitDepth bounds how often a part is split again.
	splitDepth = 3
)

// splitLevels are the thresholds, in units of a cell's own foreground
// threshold, at which cores are looked for.
var splitLevels = []float32{1.6, 2.4, 3.6, 5.4, 8}

// splitComponents replaces components that hold several cores by one
// component per core. norm is each cell's deviation above the sheet over
// its foreground threshold (> 1 in the mask). labels is updated in place;
// the returned components carry the label of the component they came from
// in group (0 for components that were not split). New labels start above
// last, the largest label in labels: components set aside before splitting
// (scale references) keep theirs there, and the fill must not take their
// cells for a new part's. With pale (light sheets), every component and
// part is then also tried as a pale insect against a dark one (splitPale).
// With notch's bounds set (light sheets), each is then tried as insects
// touching at notches of their joint outline (splitNotch).
func splitComponents(labels []int32, comps []component, norm []float32, dark []float32, w int, last int32, pale bool, notch notchSize) []component {
	next := last
	var out []component
	var work []component
	for _, c := range comps {
		work = append(work[:0], c)
		for depth := 0; depth <= splitDepth && len(work) > 0; depth++ {
			var again []component
			for _, p := range work {
				parts := splitOne(labels, p, norm, dark, w, &next)
				if len(parts) < 2 || depth == splitDepth {
					if len(parts) >= 2 {
						again = append(again, parts...)
						continue
					}
					if p.group == 0 && p.label != c.label {
						p.group = c.label
					}
					out = append(out, p)
					continue
				}
				for i := range parts {
					parts[i].group = c.label
				}
				again = append(again, parts...)
			}
			if depth == splitDepth {
				out = append(out, again...)
				break
			}
			work = again
		}
	}
	// A pale insect against a dark one has no core of its own.
	n := len(out)
	for k := 0; k < n && pale; k++ {
		if parts := splitPale(labels, out[k], norm, dark, w, &next); len(parts) == 2 {
			out = replaceByParts(out, k, parts)
		}
	}
	// Touching specimens with no core of their own, told by the notches
	// of their joint outline; each part is tried again.
	for k := 0; k < len(out) && notch.max > 0; k++ {
		if parts := splitNotch(labels, out[k], dark, w, notch, &next); len(parts) == 2 {
			out = replaceByParts(out, k, parts)
			k--
		}
	}
	return out
}

// replaceByParts puts the parts of out[k] in its place and at the end of
// out, in the group of the component out[k] was split from (or its own).
func replaceByParts(out []component, k int, parts []component) []component {
	group := out[k].group
	if group == 0 {
		group = out[k].label
	}
	for i := range parts {
		parts[i].group = group
	}
	out[k] = parts[0]
	return append(out, parts[1:]...)
}

// splitOne splits component c at the lowest level that gives two or more
// cores, relabelling its cells; it returns nil when c has a single core.
func splitOne(labels []int32, c component, norm, dark []float32, w int, next *int32) []component {
	if c.n < 2*minCoreCells {
		return nil
	}
	bw, bh := c.x1-c.x0, c.y1-c.y0
	in := func(j int) bool { return labels[(j/bw+c.y0)*w+j%bw+c.x0] == c.label }
	for _, lv := range splitLevels {
		core := blobsOf(bw, bh, func(j int) bool {
			return in(j) && norm[(j/bw+c.y0)*w+j%bw+c.x0] > lv
		})
		big := 0
		for _, n := range core.size {
			if n >= minCoreCells {
				big++
			}
		}
		if big >= 2 {
			owner := make([]int32, bw*bh)
			for j, id := range core.id {
				if id != 0 && core.size[id-1] >= minCoreCells {
					owner[j] = id
				}
			}
			growParts(owner, bw, bh, in)
			if narrowNecks(owner, bw, bh) {
				return relabel(labels, c, owner, dark, w, next)
			}
		}
		if len(core.size) == 0 {
			return nil
		}
	}
	return nil
}

// growParts gives every cell of a bw x bh box for which in holds, and
// that owner leaves at 0, the id of the nearest part of owner
// (breadth-first through such cells, parts in index order).
func growParts(owner []int32, bw, bh int, in func(j int) bool) {
	var queue []int
	for j, id := range owner {
		if id != 0 {
			queue = append(queue, j)
		}
	}
	for h := 0; h < len(queue); h++ {
		k := queue[h]
		for _, q := range neighbours8(k, bw, bh) {
			if q >= 0 && owner[q] == 0 && in(q) {
				owner[q] = owner[k]
				queue = append(queue, q)
			}
		}
	}
}

// touchesOther reports whether cell j of owner (bw x bh, part ids, 0 =
// none) has an 8-neighbour in another part.
func touchesOther(owner []int32, bw, bh, j int) bool {
	for _, q := range neighbours8(j, bw, bh) {
		if q >= 0 && owner[q] != 0 && owner[q] != owner[j] {
			return true
		}
	}
	return false
}

// maxNeck is the longest contact allowed between two parts of a split, in
// units of the square root of the smaller part's area: specimens that
// touch share a short stretch of outline, while the halves of one
// patterned moth would share its whole body length.
const maxNeck = 0.6

// narrowNecks reports whether every part of owner (bw x bh, part ids, 0 =
// none) touches the other parts along at most maxNeck*sqrt(its area)
// cells.
func narrowNecks(owner []int32, bw, bh int) bool {
	area := map[int32]int{}
	contact := map[int32]int{}
	for j, id := range owner {
		if id == 0 {
			continue
		}
		area[id]++
		if touchesOther(owner, bw, bh, j) {
			contact[id]++
		}
	}
	for id, n := range contact {
		if float64(n) > maxNeck*math.Sqrt(float64(area[id])) {
			return false
		}
	}
	return true
}

// relabel writes owner's parts into labels as new components.
func relabel(labels []int32, c component, owner []int32, dark []float32, w int, next *int32) []component {
	bw := c.x1 - c.x0
	newLabel := map[int32]int32{}
	for _, id := range owner {
		if id != 0 && newLabel[id] == 0 {
			*next++
			newLabel[id] = *next
		}
	}
	byLabel := map[int32]*component{}
	var order []int32
	for y := c.y0; y < c.y1; y++ {
		for x := c.x0; x < c.x1; x++ {
			i, j := y*w+x, (y-c.y0)*bw+x-c.x0
			if labels[i] != c.label || owner[j] == 0 {
				continue
			}
			l := newLabel[owner[j]]
			labels[i] = l
			p := byLabel[l]
			if p == nil {
				p = &component{label: l, x0: x, y0: y, x1: x + 1, y1: y + 1}
				byLabel[l] = p
				order = append(order, l)
			}
			p.n++
			p.x0, p.x1 = min(p.x0, x), max(p.x1, x+1)
			p.y0, p.y1 = min(p.y0, y), max(p.y1, y+1)
			p.maxDark = max(p.maxDark, dark[i])
			p.m.add(float64(x), float64(y))
		}
	}
	out := make([]component, 0, len(order))
	for _, l := range order {
		out = append(out, *byLabel[l])
	}
	return out
}

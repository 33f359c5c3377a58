package detect

// component holds the statistics of one 8-connected foreground component of
// the working mask.
type component struct {
	label          int32
	n              int
	x0, y0, x1, y1 int // bounding box, Max exclusive
	maxDark        float32
	m              moments
	// group is the label of the component this one was split from
	// (splitComponents), 0 if it was not split.
	group int32
}

// inside reports whether c is clear of the border of its w x h grid (a
// component touching it may be cut off: a timestamp, an object half in
// view).
func (c component) inside(w, h int) bool {
	return c.x0 > 0 && c.y0 > 0 && c.x1 < w && c.y1 < h
}

// labelComponents labels the 8-connected components of mask (w x h, 1 =
// foreground) with label8. It returns the label image (0 = background,
// otherwise a component's label) and the components. dark is the darkness
// (1 - value/background) of each pixel, used for the seed test.
func labelComponents(mask []uint8, dark []float32, w, h int) ([]int32, []component) {
	labels, sizes := label8(mask, w, h)
	comps := make([]component, len(sizes)-1)
	for y := range h {
		for x := range w {
			i := y*w + x
			if labels[i] == 0 {
				continue
			}
			c := &comps[labels[i]-1]
			if c.n == 0 {
				*c = component{label: labels[i], x0: x, y0: y, x1: x + 1, y1: y + 1}
			}
			c.n++
			c.x0, c.x1 = min(c.x0, x), max(c.x1, x+1)
			c.y1 = max(c.y1, y+1)
			c.maxDark = max(c.maxDark, dark[i])
			c.m.add(float64(x), float64(y))
		}
	}
	return labels, comps
}

// label8 labels the 8-connected components of mask (w x h; a cell is on
// when it is true or not 0) 1..n with union-find, row by row; it returns
// the labels (0 off the mask) and each
// label's size (sizes[0] = 0), labels numbered in the order their first
// cells come row by row. cardMask's flood fills took 56 ms on a 4K card's
// coarse cells (24 ms with it, BenchmarkCardMask); TestLabel8 compares it
// with flood8.
func label8[E bool | uint8](mask []E, w, h int) ([]int32, []int) {
	var off E
	labels := make([]int32, w*h)
	parent := []int32{0}
	find := func(a int32) int32 {
		for parent[a] != a {
			parent[a] = parent[parent[a]]
			a = parent[a]
		}
		return a
	}
	join := func(l, n int32) int32 {
		if l == 0 || l == n {
			return n
		}
		a, b := find(l), find(n)
		if a > b {
			a, b = b, a
		}
		parent[b] = a
		return a
	}
	for y := range h {
		row := y * w
		for x := range w {
			i := row + x
			if mask[i] == off {
				continue
			}
			var l int32
			if x > 0 && labels[i-1] != 0 {
				l = labels[i-1]
			}
			if y > 0 {
				up := i - w
				if x > 0 && labels[up-1] != 0 {
					l = join(l, labels[up-1])
				}
				if labels[up] != 0 {
					l = join(l, labels[up])
				}
				if x < w-1 && labels[up+1] != 0 {
					l = join(l, labels[up+1])
				}
			}
			if l == 0 {
				l = int32(len(parent))
				parent = append(parent, l)
			}
			labels[i] = l
		}
	}
	// Roots, compacted to 1..n.
	index := make([]int32, len(parent))
	var sizes []int
	sizes = append(sizes, 0)
	for i, l := range labels {
		if l == 0 {
			continue
		}
		r := find(l)
		if index[r] == 0 {
			index[r] = int32(len(sizes))
			sizes = append(sizes, 0)
		}
		labels[i] = index[r]
		sizes[index[r]]++
	}
	return labels, sizes
}

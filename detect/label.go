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

// labelComponents labels the 8-connected components of mask (w x h, 1 =
// foreground) with union-find. It returns the label image (0 = background,
// otherwise a component's label) and the components. dark is the darkness
// (1 - value/background) of each pixel, used for the seed test.
func labelComponents(mask []uint8, dark []float32, w, h int) ([]int32, []component) {
	labels := make([]int32, w*h)
	parent := []int32{0}
	find := func(a int32) int32 {
		for parent[a] != a {
			parent[a] = parent[parent[a]]
			a = parent[a]
		}
		return a
	}
	union := func(a, b int32) int32 {
		a, b = find(a), find(b)
		if a == b {
			return a
		}
		if a > b {
			a, b = b, a
		}
		parent[b] = a
		return a
	}
	for y := range h {
		for x := range w {
			i := y*w + x
			if mask[i] == 0 {
				continue
			}
			var l int32
			try := func(j int) {
				if n := labels[j]; n != 0 {
					if l == 0 {
						l = n
					} else if n != l {
						l = union(l, n)
					}
				}
			}
			if x > 0 {
				try(i - 1)
			}
			if y > 0 {
				if x > 0 {
					try(i - w - 1)
				}
				try(i - w)
				if x < w-1 {
					try(i - w + 1)
				}
			}
			if l == 0 {
				l = int32(len(parent))
				parent = append(parent, l)
			}
			labels[i] = l
		}
	}
	// Resolve to roots and compact to 1..k.
	index := make([]int32, len(parent))
	var comps []component
	for y := range h {
		for x := range w {
			i := y*w + x
			if labels[i] == 0 {
				continue
			}
			r := find(labels[i])
			k := index[r]
			if k == 0 {
				comps = append(comps, component{label: int32(len(comps) + 1), x0: x, y0: y, x1: x + 1, y1: y + 1})
				k = int32(len(comps))
				index[r] = k
			}
			labels[i] = k
			c := &comps[k-1]
			c.n++
			c.x0, c.x1 = min(c.x0, x), max(c.x1, x+1)
			c.y1 = max(c.y1, y+1)
			c.maxDark = max(c.maxDark, dark[i])
			c.m.add(float64(x), float64(y))
		}
	}
	return labels, comps
}

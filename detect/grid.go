package detect

// Block grids: a frame's working cells summarised per block (the
// background, the card's colour, the bare surface's noise), filtered on
// the grid and interpolated back to the cells.

// upsampleGrid interpolates a gw x gh grid of block x block cell values
// bilinearly between cell centres to a w x h plane.
func upsampleGrid(grid []float32, gw, gh, block, w, h int) plane {
	out := newPlane(w, h)
	bs := float32(block)
	// Horizontal weights are the same for every row: precompute them.
	xi := make([]int, w)
	xf := make([]float32, w)
	for x := range w {
		xi[x], xf[x] = cellPos(x, bs, gw)
	}
	inRows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			j, ty := cellPos(y, bs, gh)
			j1 := min(j+1, gh-1)
			r0 := grid[j*gw : j*gw+gw]
			r1 := grid[j1*gw : j1*gw+gw]
			o := out.v[y*w : y*w+w]
			for x := range o {
				i, tx := xi[x], xf[x]
				i1 := min(i+1, gw-1)
				a := r0[i] + (r0[i1]-r0[i])*tx
				b := r1[i] + (r1[i1]-r1[i])*tx
				o[x] = a + (b-a)*ty
			}
		}
	})
	return out
}

// cellPos maps pixel coordinate x to the grid cell i and fraction t such
// that x lies between the centres of cells i and i+1 (clamped at the ends).
func cellPos(x int, bs float32, n int) (int, float32) {
	f := min(max((float32(x)+0.5)/bs-0.5, 0), float32(n-1))
	i := min(int(f), max(n-2, 0))
	return i, f - float32(i)
}

func clampByte(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

type reduceFn func(vals []float32) float32

func maxOf(vals []float32) float32 {
	m := vals[0]
	for _, v := range vals[1:] {
		m = max(m, v)
	}
	return m
}

func minOf(vals []float32) float32 {
	m := vals[0]
	for _, v := range vals[1:] {
		m = min(m, v)
	}
	return m
}

func meanOf(vals []float32) float32 {
	s := float32(0)
	for _, v := range vals {
		s += v
	}
	return s / float32(len(vals))
}

// filterGrid applies fn over the (2r+1)^2 window (clipped at the borders)
// of every cell of a small w x h grid.
func filterGrid(g []float32, w, h, r int, fn reduceFn) []float32 {
	out := make([]float32, len(g))
	win := make([]float32, 0, (2*r+1)*(2*r+1))
	for y := range h {
		for x := range w {
			win = win[:0]
			for yy := max(0, y-r); yy <= min(h-1, y+r); yy++ {
				for xx := max(0, x-r); xx <= min(w-1, x+r); xx++ {
					win = append(win, g[yy*w+xx])
				}
			}
			out[y*w+x] = fn(win)
		}
	}
	return out
}

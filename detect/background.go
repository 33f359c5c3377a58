package detect

// closedKeep: a background block darker than closedKeep times its grey
// closing is taken to be covered by a specimen and replaced by the closing.
const closedKeep = 0.9

// estimateBackground returns a smooth estimate of the bright background
// (sheet or card) under p: the 90th luma percentile of each block x block
// cell, with cells much darker than a grey closing over 5x5 cells (taken
// relative to the light's trend) replaced by the closing (so dark objects
// up to about 4 cells across do not darken it), a 3x3 mean, and bilinear
// interpolation back to p's size between cell centres.
func estimateBackground(p plane, block int) plane {
	gw := (p.w + block - 1) / block
	gh := (p.h + block - 1) / block
	grid := make([]float32, gw*gh)
	var hist [256]int
	for gy := range gh {
		for gx := range gw {
			clear(hist[:])
			n := 0
			for y := gy * block; y < min((gy+1)*block, p.h); y++ {
				for _, v := range p.v[y*p.w+gx*block : y*p.w+min((gx+1)*block, p.w)] {
					hist[clampByte(v)]++
					n++
				}
			}
			rank := n - n/10 // 90th percentile
			c := 0
			for i := range hist {
				c += hist[i]
				if c >= rank {
					grid[gy*gw+gx] = float32(i)
					break
				}
			}
		}
	}
	// The closing works on the blocks relative to the light's trend
	// (lightTrend): where the light falls off steeply towards the frame's
	// corners (vignetting) or away from a lamp, a bare block is far darker
	// than the brightest within two blocks of it, and taken as it is it
	// was replaced by them. It still only replaces blocks clearly darker
	// than their closing: blocks mostly covered by a specimen.
	trend := lightTrend(grid, gw, gh)
	rel := make([]float32, len(grid))
	for i, v := range grid {
		rel[i] = v / trend[i]
	}
	closed := filterGrid(filterGrid(rel, gw, gh, 2, maxOf), gw, gh, 2, minOf)
	for i, v := range rel {
		if v < closedKeep*closed[i] {
			grid[i] = closed[i] * trend[i]
		}
	}
	grid = filterGrid(grid, gw, gh, 1, meanOf)

	return upsampleGrid(grid, gw, gh, block, p.w, p.h)
}

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
	for y := range h {
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

// chromaticity returns the background's chroma per unit luma,
// ((Cb-128)/Y, (Cr-128)/Y): the median over working pixels at least 85% as
// bright as their background estimate. Chromaticity barely changes with the
// light's intensity, so one value serves the whole frame.
func chromaticity(py, pcb, pcr, bg plane) (kb, kr float32) {
	const bins = 1024
	var hb, hr [bins]int
	n := 0
	bin := func(v float32) int { return min(bins-1, max(0, int((v+1)/2*bins))) }
	for i, y := range py.v {
		if y < 0.85*bg.v[i] || y < 8 {
			continue
		}
		hb[bin((pcb.v[i]-128)/y)]++
		hr[bin((pcr.v[i]-128)/y)]++
		n++
	}
	if n == 0 {
		return 0, 0
	}
	median := func(h *[bins]int) float32 {
		c := 0
		for i, v := range h {
			if c += v; 2*c >= n {
				return (float32(i)+0.5)/bins*2 - 1
			}
		}
		return 0
	}
	return median(&hb), median(&hr)
}

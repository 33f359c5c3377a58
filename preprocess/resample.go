package preprocess

import "math"

// axis is a precomputed 1-D resampling: output i is the weighted sum of taps
// source samples first[i], first[i]+1, ..., first[i]+taps-1 with weights
// w[i*taps : (i+1)*taps]. Source indices outside the plane are clamped into
// it (edge replication), which keeps the taps contiguous.
type axis struct {
	first []int32
	w     []float32
	taps  int
}

// makeAxis builds the table mapping the source window [start, start+length)
// of a plane of srcLen samples onto n outputs. Shrinking (length >= n) uses
// exact area averaging: each output is the mean of the source samples its
// footprint covers, partial samples weighted by coverage. Enlarging uses
// bilinear interpolation at the output sample centres.
func makeAxis(srcLen int, start, length float64, n int) axis {
	scale := length / float64(n)
	type span struct{ lo, hi int }
	spans := make([]span, n)
	taps := 1
	for i := 0; i < n; i++ {
		var lo, hi int
		if scale >= 1 {
			a := start + float64(i)*scale
			lo, hi = int(math.Floor(a+1e-9)), int(math.Ceil(a+scale-1e-9))
		} else {
			c := start + (float64(i)+0.5)*scale - 0.5
			lo = int(math.Floor(c))
			hi = lo + 2
		}
		lo, hi = clampInt(lo, 0, srcLen-1), clampInt(hi-1, 0, srcLen-1)+1
		spans[i] = span{lo, hi}
		if hi-lo > taps {
			taps = hi - lo
		}
	}
	ax := axis{first: make([]int32, n), w: make([]float32, n*taps), taps: taps}
	for i := 0; i < n; i++ {
		first := spans[i].lo
		if first+taps > srcLen { // keep every tap inside the plane
			first = max(srcLen-taps, 0)
		}
		ax.first[i] = int32(first)
		ws := ax.w[i*taps : (i+1)*taps]
		add := func(j int, wt float64) {
			k := clampInt(j, 0, srcLen-1) - first
			if k >= 0 && k < taps {
				ws[k] += float32(wt)
			}
		}
		if scale >= 1 {
			a, b := start+float64(i)*scale, start+float64(i+1)*scale
			for j := int(math.Floor(a + 1e-9)); float64(j) < b-1e-9; j++ {
				ov := math.Min(b, float64(j+1)) - math.Max(a, float64(j))
				if ov > 0 {
					add(j, ov/scale)
				}
			}
		} else {
			c := start + (float64(i)+0.5)*scale - 0.5
			j := math.Floor(c)
			f := c - j
			add(int(j), 1-f)
			add(int(j)+1, f)
		}
	}
	return ax
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// plane is one 8-bit channel: sample (x, y) is pix[y*stride + x*step].
type plane struct {
	pix          []uint8
	stride, step int
	w, h         int
}

// resamplePlane writes the nx x ny resampling of p (per ax, ay) into out,
// using tmp as scratch; it returns the possibly grown scratch. It filters
// vertically first (a contiguous multiply-add over whole rows, which the
// compiler keeps tight) and then horizontally on the ny filtered rows.
func resamplePlane(out []float32, p plane, ax, ay axis, tmp []float32) []float32 {
	nx, ny := len(ax.first), len(ay.first)
	c0 := int(ax.first[0])
	cols := int(ax.first[nx-1]) + ax.taps - c0 // source columns needed
	if cap(tmp) < cols {
		tmp = make([]float32, cols)
	}
	acc := tmp[:cols]
	for o := 0; o < ny; o++ {
		// Vertical pass: acc[x] = sum_k w_k * p(c0+x, first+k).
		w := ay.w[o*ay.taps : (o+1)*ay.taps]
		if p.step != 1 || !uniformRows(p, w, int(ay.first[o]), c0, cols, acc) {
			weightedRows(p, w, int(ay.first[o]), c0, cols, acc)
		}
		// Horizontal pass.
		dst := out[o*nx : (o+1)*nx]
		t := ax.taps
		switch t {
		case 4:
			for i := range dst {
				f := int(ax.first[i]) - c0
				a := acc[f : f+4 : f+4]
				wi := ax.w[i*4 : i*4+4 : i*4+4]
				dst[i] = wi[0]*a[0] + wi[1]*a[1] + wi[2]*a[2] + wi[3]*a[3]
			}
		case 2:
			for i := range dst {
				f := int(ax.first[i]) - c0
				a := acc[f : f+2 : f+2]
				wi := ax.w[i*2 : i*2+2 : i*2+2]
				dst[i] = wi[0]*a[0] + wi[1]*a[1]
			}
		default:
			for i := range dst {
				f := int(ax.first[i]) - c0
				a := acc[f : f+t]
				var sum float32
				for k, wk := range ax.w[i*t : (i+1)*t] {
					sum += wk * a[k]
				}
				dst[i] = sum
			}
		}
	}
	return tmp
}

// uniformRows handles the common exact-box case: 2 or 4 equal vertical
// weights (integer shrink factors such as 256 -> 64). The rows are summed as
// integers and converted once, which is cheaper than a multiply-add per
// row. It reports false (doing nothing) for other weights.
func uniformRows(p plane, w []float32, first, c0, cols int, acc []float32) bool {
	if len(w) != 2 && len(w) != 4 {
		return false
	}
	for _, wk := range w[1:] {
		if wk != w[0] {
			return false
		}
	}
	wk := w[0]
	base := first*p.stride + c0
	r0 := p.pix[base : base+cols]
	r1 := p.pix[base+p.stride : base+p.stride+cols]
	if len(w) == 2 {
		for x := range acc {
			acc[x] = wk * float32(uint16(r0[x])+uint16(r1[x]))
		}
		return true
	}
	r2 := p.pix[base+2*p.stride : base+2*p.stride+cols]
	r3 := p.pix[base+3*p.stride : base+3*p.stride+cols]
	for x := range acc {
		acc[x] = wk * float32(uint16(r0[x])+uint16(r1[x])+uint16(r2[x])+uint16(r3[x]))
	}
	return true
}

// weightedRows sets acc[x] = sum_k w[k] * p(c0+x, first+k) for any weights.
func weightedRows(p plane, w []float32, first, c0, cols int, acc []float32) {
	clear(acc)
	for k, wk := range w {
		if wk == 0 {
			continue
		}
		base := (first+k)*p.stride + c0*p.step
		if p.step == 1 {
			row := p.pix[base : base+cols]
			for x, v := range row {
				acc[x] += wk * float32(v)
			}
			continue
		}
		row := p.pix[base : base+(cols-1)*p.step+1]
		for x := range acc {
			acc[x] += wk * float32(row[x*p.step])
		}
	}
}

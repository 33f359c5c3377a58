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
// using tmp as scratch; it returns the possibly grown scratch.
func resamplePlane(out []float32, p plane, ax, ay axis, tmp []float32) []float32 {
	nx, ny := len(ax.first), len(ay.first)
	r0 := int(ay.first[0])
	r1 := int(ay.first[ny-1]) + ay.taps
	rows := r1 - r0
	if cap(tmp) < rows*nx {
		tmp = make([]float32, rows*nx)
	}
	tmp = tmp[:rows*nx]
	// Horizontal pass over the source rows the vertical taps need.
	for r := 0; r < rows; r++ {
		src := p.pix[(r0+r)*p.stride:]
		dst := tmp[r*nx : (r+1)*nx]
		t := ax.taps
		switch {
		case p.step == 1 && t == 4:
			for i := range dst {
				s := src[ax.first[i]:]
				w := ax.w[i*4 : i*4+4]
				dst[i] = w[0]*float32(s[0]) + w[1]*float32(s[1]) + w[2]*float32(s[2]) + w[3]*float32(s[3])
			}
		case p.step == 1 && t == 2:
			for i := range dst {
				s := src[ax.first[i]:]
				w := ax.w[i*2 : i*2+2]
				dst[i] = w[0]*float32(s[0]) + w[1]*float32(s[1])
			}
		default:
			for i := range dst {
				base := int(ax.first[i]) * p.step
				w := ax.w[i*t : (i+1)*t]
				var acc float32
				for k, wk := range w {
					acc += wk * float32(src[base+k*p.step])
				}
				dst[i] = acc
			}
		}
	}
	// Vertical pass.
	for o := 0; o < ny; o++ {
		dst := out[o*nx : (o+1)*nx]
		w := ay.w[o*ay.taps : (o+1)*ay.taps]
		base := (int(ay.first[o]) - r0) * nx
		for i := range dst {
			dst[i] = 0
		}
		for k, wk := range w {
			if wk == 0 {
				continue
			}
			row := tmp[base+k*nx : base+(k+1)*nx]
			for i, v := range row {
				dst[i] += wk * v
			}
		}
	}
	return tmp
}

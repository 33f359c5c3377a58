package ir

import (
	"math"
	"runtime"
	"sync"
)

// parallel runs f(i) for i in [0,n) on up to GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) {
	w := min(runtime.GOMAXPROCS(0), n)
	if w <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	for range w {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	wg.Wait()
}

// conv2D: x [N,H,W,Cin], f [Cout,KH,KW,Cin]. Each output pixel gathers its
// (zero-padded) input patch once, then takes one dot product per channel.
func conv2D(x, f, bias *Tensor, a Attrs, out *Tensor) {
	n, h, w, cin := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	cout, kh, kw := f.Shape[0], f.Shape[1], f.Shape[2]
	oh, ow := out.Shape[1], out.Shape[2]
	sh, sw := stride(a.Strides)
	dh, dw := stride(a.Dilations)
	ph, pw := padBefore(h, kh, sh, dh, a.padding()), padBefore(w, kw, sw, dw, a.padding())
	k := kh * kw * cin
	parallel(n*oh, func(row int) {
		b, oy := row/oh, row%oh
		patch := make([]float32, k)
		for ox := range ow {
			clear(patch)
			for ky := range kh {
				iy := oy*sh - ph + ky*dh
				if iy < 0 || iy >= h {
					continue
				}
				for kx := range kw {
					ix := ox*sw - pw + kx*dw
					if ix < 0 || ix >= w {
						continue
					}
					src := x.Data[((b*h+iy)*w+ix)*cin:][:cin]
					copy(patch[(ky*kw+kx)*cin:], src)
				}
			}
			o := out.Data[((b*oh+oy)*ow+ox)*cout:][:cout]
			for co := range cout {
				o[co] = dot(patch, f.Data[co*k:(co+1)*k])
				if bias != nil {
					o[co] += bias.Data[co]
				}
			}
		}
	})
}

func dot(a, b []float32) float32 {
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// depthwise: x [N,H,W,C], f [1,KH,KW,C].
func depthwise(x, f, bias *Tensor, a Attrs, out *Tensor) {
	n, h, w, c := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	kh, kw := f.Shape[1], f.Shape[2]
	oh, ow := out.Shape[1], out.Shape[2]
	sh, sw := stride(a.Strides)
	dh, dw := stride(a.Dilations)
	ph, pw := padBefore(h, kh, sh, dh, a.padding()), padBefore(w, kw, sw, dw, a.padding())
	parallel(n*oh, func(row int) {
		b, oy := row/oh, row%oh
		for ox := range ow {
			o := out.Data[((b*oh+oy)*ow+ox)*c:][:c]
			if bias != nil {
				copy(o, bias.Data)
			}
			for ky := range kh {
				iy := oy*sh - ph + ky*dh
				if iy < 0 || iy >= h {
					continue
				}
				for kx := range kw {
					ix := ox*sw - pw + kx*dw
					if ix < 0 || ix >= w {
						continue
					}
					src := x.Data[((b*h+iy)*w+ix)*c:][:c]
					fw := f.Data[(ky*kw+kx)*c:][:c]
					for ch := range o {
						o[ch] += src[ch] * fw[ch]
					}
				}
			}
		}
	})
}

// pool is max or average pooling; padding cells are ignored (max) or not
// counted (average).
func pool(isMax bool, x *Tensor, a Attrs, out *Tensor) {
	n, h, w, c := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	kh, kw := a.Kernel[0], a.Kernel[1]
	oh, ow := out.Shape[1], out.Shape[2]
	sh, sw := stride(a.Strides)
	ph, pw := padBefore(h, kh, sh, 1, a.padding()), padBefore(w, kw, sw, 1, a.padding())
	parallel(n*oh, func(row int) {
		b, oy := row/oh, row%oh
		for ox := range ow {
			o := out.Data[((b*oh+oy)*ow+ox)*c:][:c]
			if isMax {
				for ch := range o {
					o[ch] = float32(math.Inf(-1))
				}
			}
			count := 0
			for ky := range kh {
				iy := oy*sh - ph + ky
				if iy < 0 || iy >= h {
					continue
				}
				for kx := range kw {
					ix := ox*sw - pw + kx
					if ix < 0 || ix >= w {
						continue
					}
					count++
					src := x.Data[((b*h+iy)*w+ix)*c:][:c]
					for ch := range o {
						if isMax {
							o[ch] = max(o[ch], src[ch])
						} else {
							o[ch] += src[ch]
						}
					}
				}
			}
			if !isMax && count > 0 {
				for ch := range o {
					o[ch] /= float32(count)
				}
			}
		}
	})
}

// SoftmaxRows returns the softmax of x over its last axis (e.g. class
// probabilities from logits [N,K]).
func SoftmaxRows(x *Tensor) *Tensor {
	out := NewTensor(x.Shape...)
	softmax(x, out)
	return out
}

func softmax(x, out *Tensor) {
	k := x.Shape[len(x.Shape)-1]
	for r := 0; r < len(x.Data); r += k {
		row, o := x.Data[r:r+k], out.Data[r:r+k]
		m := row[0]
		for _, v := range row {
			m = max(m, v)
		}
		var s float64
		for i, v := range row {
			e := math.Exp(float64(v - m))
			o[i] = float32(e)
			s += e
		}
		for i := range o {
			o[i] = float32(float64(o[i]) / s)
		}
	}
}

// broadcast applies op elementwise with NumPy broadcasting.
func broadcast(a, b, out *Tensor, op func(x, y float32) float32) {
	r := len(out.Shape)
	sa, sb := bstrides(a.Shape, r, out.Shape), bstrides(b.Shape, r, out.Shape)
	idx := make([]int, r)
	ia, ib := 0, 0
	for i := range out.Data {
		out.Data[i] = op(a.Data[ia], b.Data[ib])
		for d := r - 1; d >= 0; d-- {
			idx[d]++
			ia += sa[d]
			ib += sb[d]
			if idx[d] < out.Shape[d] {
				break
			}
			ia -= sa[d] * idx[d]
			ib -= sb[d] * idx[d]
			idx[d] = 0
		}
	}
}

// bstrides returns the element strides of shape s right-aligned to rank r,
// with 0 on broadcast dimensions.
func bstrides(s []int, r int, out []int) []int {
	st := make([]int, r)
	acc := 1
	for i := 1; i <= len(s); i++ {
		d := s[len(s)-i]
		if d != 1 || out[r-i] == 1 {
			st[r-i] = acc
		}
		acc *= d
	}
	return st
}

func concat(in []*Tensor, axis int, out *Tensor) {
	r := len(out.Shape)
	if axis < 0 {
		axis += r
	}
	outer := numElements(out.Shape[:axis])
	inner := numElements(out.Shape[axis+1:])
	pos := 0
	for o := range outer {
		for _, t := range in {
			blk := t.Shape[axis] * inner
			pos += copy(out.Data[pos:], t.Data[o*blk:(o+1)*blk])
		}
	}
}

func fullyConnected(x, w, bias *Tensor, out *Tensor) {
	n := x.Shape[0]
	no, ni := w.Shape[0], w.Shape[1]
	for b := range n {
		row := x.Data[b*ni : (b+1)*ni]
		o := out.Data[b*no : (b+1)*no]
		for j := range o {
			o[j] = dot(row, w.Data[j*ni:(j+1)*ni])
			if bias != nil {
				o[j] += bias.Data[j]
			}
		}
	}
}

package kernels

import (
	"fmt"
	"math"
	"slices"
)

// BroadcastIndex returns, for every element of out, the index of the element of
// in that NumPy-style broadcasting maps to it, or nil when the shapes are equal.
func BroadcastIndex(in, out []int) ([]int32, error) {
	if slices.Equal(in, out) {
		return nil, nil
	}
	if len(in) > len(out) {
		return nil, fmt.Errorf("cannot broadcast %v to %v", in, out)
	}
	r := len(out)
	ext := make([]int, r)
	for d := range ext {
		ext[d] = 1
	}
	copy(ext[r-len(in):], in)
	stride := make([]int, r)
	s := 1
	for d := r - 1; d >= 0; d-- {
		if ext[d] != out[d] && ext[d] != 1 {
			return nil, fmt.Errorf("cannot broadcast %v to %v", in, out)
		}
		if ext[d] != 1 {
			stride[d] = s
		}
		s *= ext[d]
	}
	n := 1
	for _, d := range out {
		n *= d
	}
	idx := make([]int32, n)
	pos := make([]int, r)
	for i := range idx {
		o := 0
		for d := range pos {
			o += pos[d] * stride[d]
		}
		idx[i] = int32(o)
		for d := r - 1; d >= 0; d-- {
			if pos[d]++; pos[d] < out[d] {
				break
			}
			pos[d] = 0
		}
	}
	return idx, nil
}

func at(idx []int32, i int) int {
	if idx == nil {
		return i
	}
	return int(idx[i])
}

// BinaryFloat computes out = clamp(a+b) (add) or clamp(a*b), with broadcast
// index maps ia, ib from BroadcastIndex.
func BinaryFloat(add bool, a, b, out []float32, ia, ib []int32, lo, hi float32) {
	for i := range out {
		x, y := a[at(ia, i)], b[at(ib, i)]
		r := x * y
		if add {
			r = x + y
		}
		out[i] = ClampF32(r, lo, hi)
	}
}

// MulInt8 holds TFLite's int8 MUL parameters.
type MulInt8 struct {
	ZpA, ZpB, ZpOut int32
	Mul             int32
	Shift           int
	Lo, Hi          int32
}

// Run computes out = a*b like TFLite's reference int8 MUL.
func (p *MulInt8) Run(a, b, out []int8, ia, ib []int32) {
	for i := range out {
		x := int32(a[at(ia, i)]) - p.ZpA
		y := int32(b[at(ib, i)]) - p.ZpB
		v := MultiplyByQuantizedMultiplier(x*y, p.Mul, p.Shift) + p.ZpOut
		out[i] = int8(ClampI32(v, p.Lo, p.Hi))
	}
}

// AddInt8 holds TFLite's int8 ADD parameters: both inputs are rescaled to a
// common 2*max(scale) after a left shift of 20 bits.
type AddInt8 struct {
	ZpA, ZpB, ZpOut int32
	M1, M2, MO      int32
	S1, S2, SO      int
	Lo, Hi          int32
}

const addLeftShift = 20

// NewAddInt8 computes the ADD parameters from the scales and zero points.
func NewAddInt8(sa, sb, so float32, za, zb, zo, lo, hi int32) (*AddInt8, error) {
	twiceMax := 2 * float64(max(sa, sb))
	p := &AddInt8{ZpA: za, ZpB: zb, ZpOut: zo, Lo: lo, Hi: hi}
	p.M1, p.S1 = QuantizeMultiplier(float64(sa) / twiceMax)
	p.M2, p.S2 = QuantizeMultiplier(float64(sb) / twiceMax)
	p.MO, p.SO = QuantizeMultiplier(twiceMax / (float64(int32(1)<<addLeftShift) * float64(so)))
	if p.S1 > 0 || p.S2 > 0 || p.SO > 0 {
		return nil, fmt.Errorf("int8 ADD output scale %g too small for input scales %g, %g", so, sa, sb)
	}
	return p, nil
}

// Run computes out = a+b like TFLite's reference int8 ADD.
func (p *AddInt8) Run(a, b, out []int8, ia, ib []int32) {
	for i := range out {
		x := (int32(a[at(ia, i)]) - p.ZpA) * (1 << addLeftShift)
		y := (int32(b[at(ib, i)]) - p.ZpB) * (1 << addLeftShift)
		sx := MultiplyByQuantizedMultiplierSmallerThanOneExp(x, p.M1, p.S1)
		sy := MultiplyByQuantizedMultiplierSmallerThanOneExp(y, p.M2, p.S2)
		v := MultiplyByQuantizedMultiplierSmallerThanOneExp(sx+sy, p.MO, p.SO) + p.ZpOut
		out[i] = int8(ClampI32(v, p.Lo, p.Hi))
	}
}

// Softmax computes y = softmax(beta*x) over one row (x and y may alias).
func Softmax(x, y []float32, beta float32) {
	m := x[0]
	for _, v := range x {
		m = max(m, v)
	}
	var sum float32
	for i, v := range x {
		e := float32(math.Exp(float64((v - m) * beta)))
		y[i] = e
		sum += e
	}
	for i := range y {
		y[i] /= sum
	}
}

// FCInt8 holds the parameters of TFLite's int8 FULLY_CONNECTED.
type FCInt8 struct {
	NIn, NOut   int
	InOff, ZOut int32
	Bias, WSum  []int32 // WSum[j] = Σ weights of output j
	Mul         []int32
	Shift       []int
	Lo, Hi      int32
}

// Run computes out[n, j] = requant(bias[j] + Σ w[j,:]*(x[n,:] - zp)).
func (p *FCInt8) Run(in, w, out []int8) {
	for n := 0; n*p.NIn < len(in); n++ {
		x := in[n*p.NIn : (n+1)*p.NIn]
		for j := 0; j < p.NOut; j++ {
			acc := p.Bias[j] + DotI8(w[j*p.NIn:(j+1)*p.NIn], x) + p.InOff*p.WSum[j]
			acc = MultiplyByQuantizedMultiplier(acc, p.Mul[j], p.Shift[j]) + p.ZOut
			out[n*p.NOut+j] = int8(ClampI32(acc, p.Lo, p.Hi))
		}
	}
}

// FCFloat computes a float FULLY_CONNECTED: out[n, j] = clamp(bias[j] + w[j,:]·x[n,:]).
func FCFloat(in, w, bias, out []float32, nIn, nOut int, lo, hi float32) {
	for n := 0; n*nIn < len(in); n++ {
		x := in[n*nIn : (n+1)*nIn]
		for j := 0; j < nOut; j++ {
			out[n*nOut+j] = ClampF32(bias[j]+DotF32(w[j*nIn:(j+1)*nIn], x), lo, hi)
		}
	}
}

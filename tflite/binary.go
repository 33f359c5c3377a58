package tflite

import (
	"errors"
	"fmt"
	"slices"

	"github.com/trapnet/trapnet/tflite/internal/kernels"
)

// broadcastIndex returns, for every element of out, the index of the element of
// in that NumPy-style broadcasting maps to it, or nil when the shapes are equal.
func broadcastIndex(in, out []int) ([]int32, error) {
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
	idx := make([]int32, numel(out))
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

func (it *Interpreter) compileBinary(op *Operator) (func(), error) {
	var act Activation
	switch o := op.Options.(type) {
	case *AddOptions:
		if o != nil && op.Op == OpAdd {
			act = o.Activation
		}
	case *MulOptions:
		if o != nil && op.Op == OpMul {
			act = o.Activation
		}
	case nil:
	default:
		return nil, errors.New("options do not match the operator")
	}
	if err := checkActivation(act); err != nil {
		return nil, err
	}
	ins, out, err := it.operands(op, 2, 2)
	if err != nil {
		return nil, err
	}
	a, b := ins[0], ins[1]
	typ, err := sameType(a, b, out)
	if err != nil {
		return nil, err
	}
	if err := it.reserve(int64(8 * out.numel())); err != nil {
		return nil, err
	}
	ia, err := broadcastIndex(a.shape, out.shape)
	if err != nil {
		return nil, err
	}
	ib, err := broadcastIndex(b.shape, out.shape)
	if err != nil {
		return nil, err
	}
	at := func(idx []int32, i int) int {
		if idx == nil {
			return i
		}
		return int(idx[i])
	}
	isAdd := op.Op == OpAdd
	if typ == Float32 {
		lo, hi := activationRangeFloat(act)
		return func() {
			for i := range out.f32 {
				x, y := a.f32[at(ia, i)], b.f32[at(ib, i)]
				r := x * y
				if isAdd {
					r = x + y
				}
				out.f32[i] = kernels.ClampF32(r, lo, hi)
			}
		}, nil
	}
	if err := perTensor(a, b, out); err != nil {
		return nil, err
	}
	lo, hi := activationRangeInt8(act, out.scale, out.zp)
	if !isAdd {
		mul, shift := kernels.QuantizeMultiplier(float64(a.scale) * float64(b.scale) / float64(out.scale))
		return func() {
			for i := range out.i8 {
				x := int32(a.i8[at(ia, i)]) - a.zp
				y := int32(b.i8[at(ib, i)]) - b.zp
				v := kernels.MultiplyByQuantizedMultiplier(x*y, mul, shift) + out.zp
				out.i8[i] = int8(kernels.ClampI32(v, lo, hi))
			}
		}, nil
	}
	// TFLite's int8 ADD: inputs rescaled to a common 2*max(scale) with a left shift of 20.
	const leftShift = 20
	twiceMax := 2 * float64(max(a.scale, b.scale))
	m1, s1 := kernels.QuantizeMultiplier(float64(a.scale) / twiceMax)
	m2, s2 := kernels.QuantizeMultiplier(float64(b.scale) / twiceMax)
	mo, so := kernels.QuantizeMultiplier(twiceMax / (float64(int32(1)<<leftShift) * float64(out.scale)))
	if s1 > 0 || s2 > 0 || so > 0 {
		return nil, errors.New("int8 ADD output scale too small for the input scales")
	}
	return func() {
		for i := range out.i8 {
			x := (int32(a.i8[at(ia, i)]) - a.zp) * (1 << leftShift)
			y := (int32(b.i8[at(ib, i)]) - b.zp) * (1 << leftShift)
			sx := kernels.MultiplyByQuantizedMultiplierSmallerThanOneExp(x, m1, s1)
			sy := kernels.MultiplyByQuantizedMultiplierSmallerThanOneExp(y, m2, s2)
			v := kernels.MultiplyByQuantizedMultiplierSmallerThanOneExp(sx+sy, mo, so) + out.zp
			out.i8[i] = int8(kernels.ClampI32(v, lo, hi))
		}
	}, nil
}

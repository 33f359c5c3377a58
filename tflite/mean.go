package tflite

import (
	"fmt"
	"math/bits"
	"slices"

	"github.com/trapnet/trapnet/tflite/internal/kernels"
)

func (it *Interpreter) compileMean(op *Operator) (func(), error) {
	ins, out, err := it.operands(op, 2, 2)
	if err != nil {
		return nil, err
	}
	in, ax := ins[0], ins[1]
	typ, err := sameType(in, out)
	if err != nil {
		return nil, err
	}
	if err := needConst(ax, "axis"); err != nil {
		return nil, err
	}
	if ax.typ != Int32 {
		return nil, fmt.Errorf("axis %q has type %v, want INT32", ax.name, ax.typ)
	}
	keep := false
	if o, ok := op.Options.(*ReducerOptions); ok && o != nil {
		keep = o.KeepDims
	}
	r := len(in.shape)
	reduce := make([]bool, r)
	for _, a := range ax.i32 {
		if a < 0 {
			a += int32(r)
		}
		if a < 0 || int(a) >= r {
			return nil, fmt.Errorf("axis %d out of range for rank %d", a, r)
		}
		reduce[a] = true
	}
	var want []int
	count := 1
	for d, n := range in.shape {
		switch {
		case reduce[d]:
			count *= n
			if keep {
				want = append(want, 1)
			}
		default:
			want = append(want, n)
		}
	}
	if !slices.Equal(out.shape, want) && !(len(want) == 0 && out.numel() == 1) {
		return nil, fmt.Errorf("output %q has shape %v, want %v", out.name, out.shape, want)
	}
	// index[i] is the output element that input element i is summed into.
	if err := it.reserve(int64(4*in.numel() + 4*out.numel())); err != nil {
		return nil, err
	}
	index := make([]int32, in.numel())
	pos := make([]int, r)
	for i := range index {
		o := 0
		for d := 0; d < r; d++ {
			if !reduce[d] {
				o = o*in.shape[d] + pos[d]
			}
		}
		index[i] = int32(o)
		for d := r - 1; d >= 0; d-- {
			if pos[d]++; pos[d] < in.shape[d] {
				break
			}
			pos[d] = 0
		}
	}
	if typ == Float32 {
		return func() {
			o := out.f32
			clear(o)
			for i, v := range in.f32 {
				o[index[i]] += v
			}
			for k := range o {
				o[k] /= float32(count)
			}
		}, nil
	}
	if err := perTensor(in, out); err != nil {
		return nil, err
	}
	// TFLite reference QuantizedMeanOrSum: fold 1/count into the multiplier.
	mul, shift := kernels.QuantizeMultiplier(float64(in.scale) / float64(out.scale))
	s := min(63-bits.LeadingZeros64(uint64(count)), 32, 31+shift)
	mul = int32((int64(mul) << s) / int64(count))
	shift -= s
	sum := make([]int32, out.numel())
	inZp, outZp := in.zp, out.zp
	return func() {
		clear(sum)
		for i, v := range in.i8 {
			sum[index[i]] += int32(v)
		}
		for k, t := range sum {
			v := kernels.MultiplyByQuantizedMultiplier(t-inZp*int32(count), mul, shift) + outZp
			out.i8[k] = int8(kernels.ClampI32(v, -128, 127))
		}
	}, nil
}

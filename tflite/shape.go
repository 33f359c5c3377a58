package tflite

import (
	"errors"
	"fmt"

	"github.com/trapnet/trapnet/tflite/internal/kernels"
)

func (it *Interpreter) compileConcat(op *Operator) (func(), error) {
	o, ok := op.Options.(*ConcatenationOptions)
	if !ok || o == nil {
		return nil, errors.New("missing ConcatenationOptions")
	}
	if o.Activation != ActNone {
		return nil, errors.New("fused activation on CONCATENATION not supported")
	}
	ins, out, err := it.operands(op, 1, 64)
	if err != nil {
		return nil, err
	}
	typ, err := sameType(append(ins[:len(ins):len(ins)], out)...)
	if err != nil {
		return nil, err
	}
	r := len(out.shape)
	axis := int(o.Axis)
	if axis < 0 {
		axis += r
	}
	if axis < 0 || axis >= r {
		return nil, fmt.Errorf("axis %d out of range for rank %d", o.Axis, r)
	}
	want := append([]int(nil), ins[0].shape...)
	if len(want) != r {
		return nil, fmt.Errorf("input %q rank %d, output rank %d", ins[0].name, len(want), r)
	}
	want[axis] = 0
	for _, t := range ins {
		if len(t.shape) != r {
			return nil, fmt.Errorf("input %q has shape %v, output %v", t.name, t.shape, out.shape)
		}
		for d := range t.shape {
			if d != axis && t.shape[d] != out.shape[d] {
				return nil, fmt.Errorf("input %q has shape %v, output %v", t.name, t.shape, out.shape)
			}
		}
		want[axis] += t.shape[axis]
	}
	if err := needShape(out, want); err != nil {
		return nil, err
	}
	outer := numel(out.shape[:axis])
	inner := numel(out.shape[axis+1:])
	chunk := make([]int, len(ins))
	for k, t := range ins {
		chunk[k] = t.shape[axis] * inner
	}
	if typ == Float32 {
		return func() {
			p := 0
			for i := 0; i < outer; i++ {
				for k, t := range ins {
					p += copy(out.f32[p:], t.f32[i*chunk[k]:(i+1)*chunk[k]])
				}
			}
		}, nil
	}
	if err := perTensor(append(ins[:len(ins):len(ins)], out)...); err != nil {
		return nil, err
	}
	// Inputs whose quantisation differs from the output's are requantised like
	// TFLite's ConcatenationWithScaling (float scale and bias, rounded).
	luts := make([]*[256]int8, len(ins))
	for k, t := range ins {
		if t.scale == out.scale && t.zp == out.zp {
			continue
		}
		scale := t.scale / out.scale
		bias := -float32(t.zp) * scale
		lut := new([256]int8)
		for q := -128; q < 128; q++ {
			v := kernels.RoundToI32(float64(float32(q)*scale+bias)) + out.zp
			lut[q+128] = int8(kernels.ClampI32(v, -128, 127))
		}
		luts[k] = lut
	}
	return func() {
		p := 0
		for i := 0; i < outer; i++ {
			for k, t := range ins {
				src := t.i8[i*chunk[k] : (i+1)*chunk[k]]
				if luts[k] == nil {
					p += copy(out.i8[p:], src)
					continue
				}
				for j, v := range src {
					out.i8[p+j] = luts[k][int(v)+128]
				}
				p += len(src)
			}
		}
	}, nil
}

func (it *Interpreter) compileReshape(op *Operator) (func(), error) {
	ins, out, err := it.operands(op, 1, 2)
	if err != nil {
		return nil, err
	}
	in := ins[0]
	typ, err := sameType(in, out)
	if err != nil {
		return nil, err
	}
	if in.numel() != out.numel() {
		return nil, fmt.Errorf("cannot reshape %v to %v", in.shape, out.shape)
	}
	if typ == Float32 {
		return func() { copy(out.f32, in.f32) }, nil
	}
	if in.scale != out.scale || in.zp != out.zp {
		return nil, errors.New("int8 RESHAPE needs equal input and output quantisation")
	}
	return func() { copy(out.i8, in.i8) }, nil
}

func (it *Interpreter) compilePad(op *Operator) (func(), error) {
	ins, out, err := it.operands(op, 2, 2)
	if err != nil {
		return nil, err
	}
	in, pads := ins[0], ins[1]
	typ, err := sameType(in, out)
	if err != nil {
		return nil, err
	}
	r := len(in.shape)
	if err := needConst(pads, "paddings"); err != nil {
		return nil, err
	}
	if pads.typ != Int32 || pads.numel() != 2*r {
		return nil, fmt.Errorf("paddings %q must be INT32 [%d,2]", pads.name, r)
	}
	if r > 4 || r == 0 {
		return nil, fmt.Errorf("PAD of rank %d not supported", r)
	}
	// Work in 4D: leading dimensions of size 1.
	var in4, out4, before [4]int
	for d := 0; d < 4; d++ {
		in4[d], out4[d] = 1, 1
	}
	want := make([]int, r)
	for d := 0; d < r; d++ {
		b, a := int(pads.i32[2*d]), int(pads.i32[2*d+1])
		if b < 0 || a < 0 || b > 1<<20 || a > 1<<20 {
			return nil, fmt.Errorf("invalid paddings %v", pads.i32)
		}
		want[d] = in.shape[d] + b + a
		k := 4 - r + d
		in4[k], out4[k], before[k] = in.shape[d], want[d], b
	}
	if err := needShape(out, want); err != nil {
		return nil, err
	}
	rowOff := func(i0, i1, i2 int) (src, dst int) {
		src = ((i0*in4[1]+i1)*in4[2] + i2) * in4[3]
		dst = (((i0+before[0])*out4[1]+i1+before[1])*out4[2]+i2+before[2])*out4[3] + before[3]
		return
	}
	if typ == Float32 {
		return func() {
			clear(out.f32)
			for i0 := 0; i0 < in4[0]; i0++ {
				for i1 := 0; i1 < in4[1]; i1++ {
					for i2 := 0; i2 < in4[2]; i2++ {
						s, d := rowOff(i0, i1, i2)
						copy(out.f32[d:d+in4[3]], in.f32[s:s+in4[3]])
					}
				}
			}
		}, nil
	}
	if in.scale != out.scale || in.zp != out.zp {
		return nil, errors.New("int8 PAD needs equal input and output quantisation")
	}
	zp := int8(out.zp)
	return func() {
		for i := range out.i8 {
			out.i8[i] = zp
		}
		for i0 := 0; i0 < in4[0]; i0++ {
			for i1 := 0; i1 < in4[1]; i1++ {
				for i2 := 0; i2 < in4[2]; i2++ {
					s, d := rowOff(i0, i1, i2)
					copy(out.i8[d:d+in4[3]], in.i8[s:s+in4[3]])
				}
			}
		}
	}, nil
}

package tflite

import (
	"errors"

	"github.com/trapnet/trapnet/tflite/internal/kernels"
)

func (it *Interpreter) compileDepthwise(op *Operator) (func(), error) {
	o, ok := op.Options.(*DepthwiseConv2DOptions)
	if !ok || o == nil {
		return nil, errors.New("missing DepthwiseConv2DOptions")
	}
	g, ins, out, err := it.convCommon(op, o.Padding, o.StrideW, o.StrideH, o.DilationW, o.DilationH, o.Activation, true)
	if err != nil {
		return nil, err
	}
	if o.DepthMultiplier != 0 && int(o.DepthMultiplier) != g.DepthMul {
		return nil, errors.New("depth_multiplier does not match the filter and input channels")
	}
	in, f := ins[0], ins[1]
	if err := it.addWork(g.N, g.OH, g.OW, g.Cout, g.KH, g.KW); err != nil {
		return nil, err
	}
	if err := it.reserve(int64(4 * g.Cout * it.threads)); err != nil {
		return nil, err
	}
	if out.typ == Float32 {
		acc := make([][]float32, it.threads)
		for t := range acc {
			acc[t] = make([]float32, g.Cout)
		}
		return it.parallel(g.OH, func(t, oy0, oy1 int) {
			kernels.DepthwiseFloat(g, in.f32, f.f32, out.f32, acc[t], oy0, oy1)
		}), nil
	}
	acc := make([][]int32, it.threads)
	for t := range acc {
		acc[t] = make([]int32, g.Cout)
	}
	return it.parallel(g.OH, func(t, oy0, oy1 int) {
		kernels.DepthwiseInt8(g, in.i8, f.i8, out.i8, acc[t], oy0, oy1)
	}), nil
}

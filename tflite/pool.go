package tflite

import (
	"errors"
	"fmt"

	"github.com/trapnet/trapnet/tflite/internal/kernels"
)

func (it *Interpreter) compilePool(op *Operator) (func(), error) {
	o, ok := op.Options.(*Pool2DOptions)
	if !ok || o == nil {
		return nil, errors.New("missing Pool2DOptions")
	}
	ins, out, err := it.operands(op, 1, 1)
	if err != nil {
		return nil, err
	}
	in := ins[0]
	typ, err := sameType(in, out)
	if err != nil {
		return nil, err
	}
	if err := needRank(in, 4); err != nil {
		return nil, err
	}
	if err := checkActivation(o.Activation); err != nil {
		return nil, err
	}
	g := &kernels.Geom{N: in.shape[0], H: in.shape[1], W: in.shape[2], Cin: in.shape[3], Cout: in.shape[3],
		KH: int(o.FilterHeight), KW: int(o.FilterWidth), SH: int(o.StrideH), SW: int(o.StrideW), DH: 1, DW: 1}
	if g.OH, g.PadT, err = window(o.Padding, g.H, g.KH, g.SH, 1); err != nil {
		return nil, err
	}
	if g.OW, g.PadL, err = window(o.Padding, g.W, g.KW, g.SW, 1); err != nil {
		return nil, err
	}
	if err := needShape(out, []int{g.N, g.OH, g.OW, g.Cout}); err != nil {
		return nil, err
	}
	isMax := op.Op == OpMaxPool2D
	// Taps outside the input are skipped, so a window reads at most the
	// input's extent per axis.
	if err := it.addWork(g.N, g.OH, g.OW, g.Cin, min(g.KH, g.H), min(g.KW, g.W)); err != nil {
		return nil, err
	}
	if err := it.reserve(int64(4 * g.Cin)); err != nil {
		return nil, err
	}
	if typ == Float32 {
		g.LoF, g.HiF = activationRangeFloat(o.Activation)
		acc := make([]float32, g.Cin)
		return func() { kernels.PoolFloat(g, isMax, in.f32, out.f32, acc) }, nil
	}
	if err := perTensor(in, out); err != nil {
		return nil, err
	}
	if in.scale != out.scale || in.zp != out.zp {
		return nil, fmt.Errorf("int8 pooling needs equal input and output quantisation (%v,%d vs %v,%d)", in.scale, in.zp, out.scale, out.zp)
	}
	g.LoQ, g.HiQ = activationRangeInt8(o.Activation, out.scale, out.zp)
	acc := make([]int32, g.Cin)
	return func() { kernels.PoolInt8(g, isMax, in.i8, out.i8, acc) }, nil
}

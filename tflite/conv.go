package tflite

import (
	"errors"
	"fmt"

	"github.com/trapnet/trapnet/tflite/internal/kernels"
)

func (it *Interpreter) convCommon(op *Operator, pad Padding, sw, sh, dw, dh int32, act Activation, depthwise bool) (*kernels.Geom, []*tensorBuf, *tensorBuf, error) {
	ins, out, err := it.operands(op, 2, 3)
	if err != nil {
		return nil, nil, nil, err
	}
	in, f := ins[0], ins[1]
	var bias *tensorBuf
	if len(ins) == 3 {
		bias = ins[2]
	}
	typ, err := sameType(in, f, out)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, t := range []*tensorBuf{in, f, out} {
		if err := needRank(t, 4); err != nil {
			return nil, nil, nil, err
		}
	}
	if err := needConst(f, "filter"); err != nil {
		return nil, nil, nil, err
	}
	if err := checkActivation(act); err != nil {
		return nil, nil, nil, err
	}
	g := &kernels.Geom{N: in.shape[0], H: in.shape[1], W: in.shape[2], Cin: in.shape[3],
		KH: f.shape[1], KW: f.shape[2], SH: int(sh), SW: int(sw), DH: int(orOne(dh)), DW: int(orOne(dw))}
	if depthwise {
		if f.shape[0] != 1 {
			return nil, nil, nil, fmt.Errorf("depthwise filter shape %v, want [1,KH,KW,C]", f.shape)
		}
		g.Cout = f.shape[3]
		if g.Cout%g.Cin != 0 {
			return nil, nil, nil, fmt.Errorf("depthwise filter channels %d not a multiple of input channels %d", g.Cout, g.Cin)
		}
		g.DepthMul = g.Cout / g.Cin
	} else {
		g.Cout = f.shape[0]
		if f.shape[3] != g.Cin {
			return nil, nil, nil, fmt.Errorf("filter shape %v does not match %d input channels", f.shape, g.Cin)
		}
	}
	if g.OH, g.PadT, err = window(pad, g.H, g.KH, g.SH, g.DH); err != nil {
		return nil, nil, nil, err
	}
	if g.OW, g.PadL, err = window(pad, g.W, g.KW, g.SW, g.DW); err != nil {
		return nil, nil, nil, err
	}
	if err := needShape(out, []int{g.N, g.OH, g.OW, g.Cout}); err != nil {
		return nil, nil, nil, err
	}
	if err := biasCheck(bias, typ, g.Cout); err != nil {
		return nil, nil, nil, err
	}
	if typ == Float32 {
		g.LoF, g.HiF = activationRangeFloat(act)
		g.BiasF = make([]float32, g.Cout)
		if bias != nil {
			copy(g.BiasF, bias.f32)
		}
		return g, ins, out, nil
	}
	if err := perTensor(in, out); err != nil {
		return nil, nil, nil, err
	}
	dim := 0
	if depthwise {
		dim = 3
	}
	fs, err := filterScales(f, g.Cout, dim)
	if err != nil {
		return nil, nil, nil, err
	}
	g.Mul, g.Shift = channelMultipliers(in, fs, out)
	g.LoQ, g.HiQ = activationRangeInt8(act, out.scale, out.zp)
	g.InOff, g.OutOff = -in.zp, out.zp
	g.BiasQ = make([]int32, g.Cout)
	if bias != nil {
		copy(g.BiasQ, bias.i32)
	}
	return g, ins, out, nil
}

func (it *Interpreter) compileConv(op *Operator) (func(), error) {
	o, ok := op.Options.(*Conv2DOptions)
	if !ok || o == nil {
		return nil, errors.New("missing Conv2DOptions")
	}
	g, ins, out, err := it.convCommon(op, o.Padding, o.StrideW, o.StrideH, o.DilationW, o.DilationH, o.Activation, false)
	if err != nil {
		return nil, err
	}
	in, f := ins[0], ins[1]
	k := g.KH * g.KW * g.Cin
	if err := it.addWork(g.N, g.OH, g.OW, g.Cout, k); err != nil {
		return nil, err
	}
	if err := it.reserve(int64(4 * k * it.threads)); err != nil {
		return nil, err
	}
	if out.typ == Float32 {
		patch := make([][]float32, it.threads)
		for t := range patch {
			patch[t] = make([]float32, k)
		}
		return it.parallel(g.OH, func(t, oy0, oy1 int) {
			kernels.ConvFloat(g, in.f32, f.f32, out.f32, patch[t], oy0, oy1)
		}), nil
	}
	// The bias and the input offset's share (InOff times Σw per output
	// channel) fold into one constant per channel, out of the inner loop.
	base := make([]int32, g.Cout)
	for oc := range base {
		var wsum int32
		for _, v := range f.i8[oc*k : (oc+1)*k] {
			wsum += int32(v)
		}
		base[oc] = g.BiasQ[oc] + g.InOff*wsum
	}
	patch := make([][]int8, it.threads)
	for t := range patch {
		patch[t] = make([]int8, k)
	}
	if kernels.SIMD || k > kernels.MaxPackedTaps {
		return it.parallel(g.OH, func(t, oy0, oy1 int) {
			kernels.ConvInt8(g, in.i8, f.i8, base, out.i8, patch[t], oy0, oy1)
		}), nil
	}
	// Without SIMD two output channels share each multiply-add (packed.go);
	// the packed filter is 4 times the int8 one, counted against the limit.
	if err := it.reserve(int64(8 * (g.Cout + 1) / 2 * k)); err != nil {
		return nil, err
	}
	pk := kernels.PackPairs(f.i8, g.Cout, k)
	return it.parallel(g.OH, func(t, oy0, oy1 int) {
		kernels.ConvInt8Packed(g, in.i8, pk, base, out.i8, patch[t], oy0, oy1)
	}), nil
}

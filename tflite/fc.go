package tflite

import (
	"errors"
	"fmt"

	"github.com/trapnet/trapnet/tflite/internal/kernels"
)

func (it *Interpreter) compileFC(op *Operator) (func(), error) {
	o, ok := op.Options.(*FullyConnectedOptions)
	if !ok || o == nil {
		return nil, errors.New("missing FullyConnectedOptions")
	}
	if err := checkActivation(o.Activation); err != nil {
		return nil, err
	}
	ins, out, err := it.operands(op, 2, 3)
	if err != nil {
		return nil, err
	}
	in, w := ins[0], ins[1]
	var bias *tensorBuf
	if len(ins) == 3 {
		bias = ins[2]
	}
	typ, err := sameType(in, w, out)
	if err != nil {
		return nil, err
	}
	if err := needConst(w, "weights"); err != nil {
		return nil, err
	}
	if err := needRank(w, 2); err != nil {
		return nil, err
	}
	nOut, nIn := w.shape[0], w.shape[1]
	if nOut < 1 || nIn < 1 {
		return nil, fmt.Errorf("weights %q have shape %v", w.name, w.shape)
	}
	if in.numel()%nIn != 0 {
		return nil, fmt.Errorf("input %q shape %v is not a multiple of %d", in.name, in.shape, nIn)
	}
	batch := in.numel() / nIn
	if len(out.shape) == 0 || out.numel() != batch*nOut || out.shape[len(out.shape)-1] != nOut {
		return nil, fmt.Errorf("output %q has shape %v, want %d x %d", out.name, out.shape, batch, nOut)
	}
	if err := biasCheck(bias, typ, nOut); err != nil {
		return nil, err
	}
	if err := it.addWork(batch, nOut, nIn); err != nil {
		return nil, err
	}
	if typ == Float32 {
		lo, hi := activationRangeFloat(o.Activation)
		b := make([]float32, nOut)
		if bias != nil {
			copy(b, bias.f32)
		}
		return func() { kernels.FCFloat(in.f32, w.f32, b, out.f32, nIn, nOut, lo, hi) }, nil
	}
	if err := perTensor(in, out); err != nil {
		return nil, err
	}
	fs, err := filterScales(w, nOut, 0)
	if err != nil {
		return nil, err
	}
	p := &kernels.FCInt8{NIn: nIn, NOut: nOut, InOff: -in.zp, ZOut: out.zp, Bias: make([]int32, nOut), WSum: make([]int32, nOut)}
	p.Mul, p.Shift = channelMultipliers(in, fs, out)
	p.Lo, p.Hi = activationRangeInt8(o.Activation, out.scale, out.zp)
	if bias != nil {
		copy(p.Bias, bias.i32)
	}
	for j := range p.WSum {
		for _, v := range w.i8[j*nIn : (j+1)*nIn] {
			p.WSum[j] += int32(v)
		}
	}
	return func() { p.Run(in.i8, w.i8, out.i8) }, nil
}

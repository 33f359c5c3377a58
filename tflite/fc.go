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
	if typ == Float32 {
		lo, hi := activationRangeFloat(o.Activation)
		b := make([]float32, nOut)
		if bias != nil {
			copy(b, bias.f32)
		}
		return func() {
			for n := 0; n < batch; n++ {
				x := in.f32[n*nIn : (n+1)*nIn]
				for j := 0; j < nOut; j++ {
					out.f32[n*nOut+j] = kernels.ClampF32(b[j]+kernels.DotF32(w.f32[j*nIn:(j+1)*nIn], x), lo, hi)
				}
			}
		}, nil
	}
	if err := perTensor(in, out); err != nil {
		return nil, err
	}
	fs, err := filterScales(w, nOut, 0)
	if err != nil {
		return nil, err
	}
	mul, shift := channelMultipliers(in, fs, out)
	lo, hi := activationRangeInt8(o.Activation, out.scale, out.zp)
	b := make([]int32, nOut)
	if bias != nil {
		copy(b, bias.i32)
	}
	wsum := make([]int32, nOut)
	for j := range wsum {
		for _, v := range w.i8[j*nIn : (j+1)*nIn] {
			wsum[j] += int32(v)
		}
	}
	inOff := -in.zp
	return func() {
		for n := 0; n < batch; n++ {
			x := in.i8[n*nIn : (n+1)*nIn]
			for j := 0; j < nOut; j++ {
				acc := b[j] + kernels.DotI8(w.i8[j*nIn:(j+1)*nIn], x) + inOff*wsum[j]
				acc = kernels.MultiplyByQuantizedMultiplier(acc, mul[j], shift[j]) + out.zp
				out.i8[n*nOut+j] = int8(kernels.ClampI32(acc, lo, hi))
			}
		}
	}, nil
}

package tflite

import (
	"errors"
	"math"

	"github.com/trapnet/trapnet/tflite/internal/kernels"
)

func (it *Interpreter) compileUnary(op *Operator) (func(), error) {
	ins, out, err := it.operands(op, 1, 1)
	if err != nil {
		return nil, err
	}
	in := ins[0]
	typ, err := sameType(in, out)
	if err != nil {
		return nil, err
	}
	if err := needShape(out, in.shape); err != nil {
		return nil, err
	}
	lo, hi := float32(0), float32(math.Inf(1))
	if op.Op == OpRelu6 {
		hi = 6
	}
	if typ == Float32 {
		if op.Op == OpLogistic {
			return func() {
				for i, v := range in.f32 {
					out.f32[i] = float32(1 / (1 + math.Exp(-float64(v))))
				}
			}, nil
		}
		return func() {
			for i, v := range in.f32 {
				out.f32[i] = kernels.ClampF32(v, lo, hi)
			}
		}, nil
	}
	if err := perTensor(in, out); err != nil {
		return nil, err
	}
	var lut [256]int8
	if op.Op == OpLogistic {
		// Float in the middle, like TFLite's LUTPopulate-based int8 LOGISTIC.
		populateLUT(&lut, in, out, func(x float32) float32 { return float32(1 / (1 + math.Exp(-float64(x)))) })
	} else {
		// TFLite's QuantizedReluX: requantise, then clamp to the quantised range.
		qlo := max(-128, out.zp+int32(math.Round(float64(lo/out.scale))))
		qhi := int32(127)
		if op.Op == OpRelu6 {
			qhi = min(127, out.zp+int32(math.Round(float64(hi/out.scale))))
		}
		mul, shift := kernels.QuantizeMultiplier(float64(in.scale) / float64(out.scale))
		for q := -128; q < 128; q++ {
			v := out.zp + kernels.MultiplyByQuantizedMultiplier(int32(q)-in.zp, mul, shift)
			lut[q+128] = int8(kernels.ClampI32(v, qlo, qhi))
		}
	}
	return func() {
		for i, v := range in.i8 {
			out.i8[i] = lut[int(v)+128]
		}
	}, nil
}

// populateLUT fills an int8 lookup table like TFLite's LUTPopulate.
func populateLUT(lut *[256]int8, in, out *tensorBuf, f func(float32) float32) {
	inv := 1 / out.scale
	for q := -128; q < 128; q++ {
		x := in.scale * float32(int32(q)-in.zp)
		r := float32(math.Round(float64(f(x) * inv)))
		lut[q+128] = int8(kernels.ClampI32(int32(r)+out.zp, -128, 127))
	}
}

func (it *Interpreter) compileSoftmax(op *Operator) (func(), error) {
	ins, out, err := it.operands(op, 1, 1)
	if err != nil {
		return nil, err
	}
	in := ins[0]
	typ, err := sameType(in, out)
	if err != nil {
		return nil, err
	}
	if err := needShape(out, in.shape); err != nil {
		return nil, err
	}
	if len(in.shape) == 0 {
		return nil, errors.New("softmax of a scalar")
	}
	beta := float32(1)
	if o, ok := op.Options.(*SoftmaxOptions); ok && o != nil && o.Beta != 0 {
		beta = o.Beta
	}
	k := in.shape[len(in.shape)-1]
	if err := it.reserve(int64(4 * k)); err != nil {
		return nil, err
	}
	row := make([]float32, k)
	if typ == Float32 {
		return func() {
			for r := 0; r < len(in.f32); r += k {
				kernels.Softmax(in.f32[r:r+k], out.f32[r:r+k], beta)
			}
		}, nil
	}
	if err := perTensor(in, out); err != nil {
		return nil, err
	}
	// Float in the middle, like TFLite's optimized int8 softmax.
	return func() {
		for r := 0; r < len(in.i8); r += k {
			for j, v := range in.i8[r : r+k] {
				row[j] = in.scale * float32(int32(v)-in.zp)
			}
			kernels.Softmax(row, row, beta)
			for j, p := range row {
				q := int32(math.Round(float64(p/out.scale))) + out.zp
				out.i8[r+j] = int8(kernels.ClampI32(q, -128, 127))
			}
		}
	}, nil
}

func (it *Interpreter) compileQuantize(op *Operator) (func(), error) {
	ins, out, err := it.operands(op, 1, 1)
	if err != nil {
		return nil, err
	}
	in := ins[0]
	if err := needShape(out, in.shape); err != nil {
		return nil, err
	}
	if err := perTensor(in, out); err != nil {
		return nil, err
	}
	switch {
	case op.Op == OpDequantize && in.typ == Int8 && out.typ == Float32:
		return func() {
			for i, v := range in.i8 {
				out.f32[i] = float32(float64(in.scale) * float64(int32(v)-in.zp))
			}
		}, nil
	case op.Op == OpQuantize && in.typ == Float32 && out.typ == Int8:
		return func() {
			for i, v := range in.f32 {
				q := kernels.RoundToI32(float64(v)/float64(out.scale)) + out.zp
				out.i8[i] = int8(kernels.ClampI32(q, -128, 127))
			}
		}, nil
	case op.Op == OpQuantize && in.typ == Int8 && out.typ == Int8:
		mul, shift := kernels.QuantizeMultiplier(float64(in.scale) / float64(out.scale))
		var lut [256]int8
		for q := -128; q < 128; q++ {
			v := kernels.MultiplyByQuantizedMultiplier(int32(q)-in.zp, mul, shift) + out.zp
			lut[q+128] = int8(kernels.ClampI32(v, -128, 127))
		}
		return func() {
			for i, v := range in.i8 {
				out.i8[i] = lut[int(v)+128]
			}
		}, nil
	}
	return nil, errors.New("unsupported input/output types (want QUANTIZE float32->int8 or int8->int8, DEQUANTIZE int8->float32)")
}

package tflite

import (
	"fmt"
	"slices"

	"github.com/trapnet/trapnet/tflite/internal/kernels"
)

// compile validates op and returns the closure that executes it.
func (it *Interpreter) compile(op *Operator) (func(), error) {
	if op.Options != nil && op.Options.unionType() != expectedUnion(op.Op) {
		return nil, fmt.Errorf("options %T do not belong to %v", op.Options, op.Op)
	}
	switch op.Op {
	case OpConv2D:
		return it.compileConv(op)
	case OpDepthwiseConv2D:
		return it.compileDepthwise(op)
	case OpAveragePool2D, OpMaxPool2D:
		return it.compilePool(op)
	case OpMean:
		return it.compileMean(op)
	case OpAdd, OpMul:
		return it.compileBinary(op)
	case OpRelu, OpRelu6, OpLogistic:
		return it.compileUnary(op)
	case OpSoftmax:
		return it.compileSoftmax(op)
	case OpQuantize, OpDequantize:
		return it.compileQuantize(op)
	case OpConcatenation:
		return it.compileConcat(op)
	case OpReshape:
		return it.compileReshape(op)
	case OpPad:
		return it.compilePad(op)
	case OpFullyConnected:
		return it.compileFC(op)
	}
	return nil, fmt.Errorf("operator %v not supported by the interpreter", op.Op)
}

// operands checks the operand counts of op and returns its input tensors (nil
// for an absent optional input) and its first output.
func (it *Interpreter) operands(op *Operator, minIn, maxIn int) ([]*tensorBuf, *tensorBuf, error) {
	if len(op.Inputs) < minIn || len(op.Inputs) > maxIn {
		return nil, nil, fmt.Errorf("%d inputs, want %d to %d", len(op.Inputs), minIn, maxIn)
	}
	if len(op.Outputs) != 1 {
		return nil, nil, fmt.Errorf("%d outputs, want 1", len(op.Outputs))
	}
	ins := make([]*tensorBuf, len(op.Inputs))
	for k, x := range op.Inputs {
		if x >= 0 {
			ins[k] = &it.t[x]
		} else if k < minIn {
			return nil, nil, fmt.Errorf("input %d is required", k)
		}
	}
	return ins, &it.t[op.Outputs[0]], nil
}

// sameType checks that every tensor has type float32 or int8 and all agree.
func sameType(ts ...*tensorBuf) (TensorType, error) {
	typ := ts[0].typ
	for _, t := range ts {
		if t.typ != typ {
			return 0, fmt.Errorf("tensor %q has type %v, want %v", t.name, t.typ, typ)
		}
	}
	if typ != Float32 && typ != Int8 {
		return 0, fmt.Errorf("type %v not supported", typ)
	}
	return typ, nil
}

func needRank(t *tensorBuf, r int) error {
	if len(t.shape) != r {
		return fmt.Errorf("tensor %q has shape %v, want rank %d", t.name, t.shape, r)
	}
	return nil
}

func needShape(t *tensorBuf, want []int) error {
	if !slices.Equal(t.shape, want) {
		return fmt.Errorf("tensor %q has shape %v, want %v", t.name, t.shape, want)
	}
	return nil
}

func needConst(t *tensorBuf, what string) error {
	if !t.isConst {
		return fmt.Errorf("%s %q must be a constant tensor", what, t.name)
	}
	return nil
}

// perTensor checks that an int8 activation has per-tensor quantisation.
func perTensor(ts ...*tensorBuf) error {
	for _, t := range ts {
		if t.typ == Int8 && len(t.scales) != 1 {
			return fmt.Errorf("tensor %q needs per-tensor quantisation", t.name)
		}
	}
	return nil
}

func checkActivation(a Activation) error {
	switch a {
	case ActNone, ActRelu, ActRelu6, ActReluN1To1:
		return nil
	}
	return fmt.Errorf("fused activation %d not supported", a)
}

// window computes TFLite's output size and leading padding for one spatial dimension.
func window(p Padding, in, k, stride, dil int) (out, before int, err error) {
	if err := checkWindowParams(in, k, stride, dil); err != nil {
		return 0, 0, err
	}
	eff := (k-1)*dil + 1
	switch p {
	case PaddingSame:
		out = (in + stride - 1) / stride
		before = max((out-1)*stride+eff-in, 0) / 2
	case PaddingValid:
		out = (in - eff + stride) / stride
	default:
		return 0, 0, fmt.Errorf("unknown padding %d", p)
	}
	if out < 1 {
		return 0, 0, fmt.Errorf("filter %d larger than input %d", eff, in)
	}
	return out, before, nil
}

// filterScales returns per-output-channel filter scales (len n) and checks zero points are 0.
func filterScales(f *tensorBuf, n, dim int) ([]float32, error) {
	for _, z := range f.zps {
		if z != 0 {
			return nil, fmt.Errorf("filter %q zero point %d, want 0", f.name, z)
		}
	}
	if len(f.scales) == 1 {
		s := make([]float32, n)
		for i := range s {
			s[i] = f.scales[0]
		}
		return s, nil
	}
	if f.qdim != dim || len(f.scales) != n {
		return nil, fmt.Errorf("filter %q: %d scales on dimension %d, want %d on dimension %d", f.name, len(f.scales), f.qdim, n, dim)
	}
	return f.scales, nil
}

// biasCheck validates an optional bias of n elements: float32 for float ops,
// int32 for int8 ops.
func biasCheck(b *tensorBuf, typ TensorType, n int) error {
	if b == nil {
		return nil
	}
	if err := needConst(b, "bias"); err != nil {
		return err
	}
	want := Float32
	if typ == Int8 {
		want = Int32
	}
	if b.typ != want {
		return fmt.Errorf("bias %q has type %v, want %v", b.name, b.typ, want)
	}
	if b.numel() != n {
		return fmt.Errorf("bias %q has %d elements, want %d", b.name, b.numel(), n)
	}
	return nil
}

// channelMultipliers returns QuantizeMultiplier(inScale*filterScale[c]/outScale) per channel.
func channelMultipliers(in *tensorBuf, fs []float32, out *tensorBuf) ([]int32, []int) {
	mul := make([]int32, len(fs))
	sh := make([]int, len(fs))
	for c, s := range fs {
		mul[c], sh[c] = kernels.QuantizeMultiplier(float64(in.scale) * float64(s) / float64(out.scale))
	}
	return mul, sh
}

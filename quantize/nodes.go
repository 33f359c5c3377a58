package quantize

import (
	"errors"
	"fmt"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/tflite"
)

func padding(p ir.Padding) tflite.Padding {
	if p == ir.Valid {
		return tflite.PaddingValid
	}
	return tflite.PaddingSame
}

func or1(v int) int32 {
	if v == 0 {
		return 1
	}
	return int32(v)
}

// node emits the TFLite operator(s) of one ir node.
func (e *emitter) node(n *ir.Node) error {
	act := tflite.ActNone
	if e.p.fused[n] != nil {
		act = tflite.ActRelu
	}
	outName := e.p.output(n)
	outShape := e.shapes[n.Output]
	in := func(i int) (int32, error) {
		t, ok := e.idx[n.Inputs[i]]
		if !ok {
			return 0, fmt.Errorf("operand %q is not a computed tensor", n.Inputs[i])
		}
		return t, nil
	}
	x, err := in(0)
	if err != nil && n.Op != ir.Add && n.Op != ir.Mul {
		return err
	}
	a := n.Attrs
	var (
		code tflite.BuiltinOperator
		opts tflite.Options
		ins  = []int32{x}
	)
	switch n.Op {
	case ir.Conv2D, ir.DepthwiseConv2D, ir.FullyConnected:
		w, b, err := e.weights(n)
		if err != nil {
			return err
		}
		ins = append(ins, w)
		if b >= 0 {
			ins = append(ins, b)
		}
		switch n.Op {
		case ir.Conv2D:
			code = tflite.OpConv2D
			opts = &tflite.Conv2DOptions{Padding: padding(a.Padding), StrideH: or1(a.Strides[0]), StrideW: or1(a.Strides[1]),
				DilationH: or1(a.Dilations[0]), DilationW: or1(a.Dilations[1]), Activation: act}
		case ir.DepthwiseConv2D:
			code = tflite.OpDepthwiseConv2D
			opts = &tflite.DepthwiseConv2DOptions{Padding: padding(a.Padding), StrideH: or1(a.Strides[0]), StrideW: or1(a.Strides[1]),
				DilationH: or1(a.Dilations[0]), DilationW: or1(a.Dilations[1]), DepthMultiplier: 1, Activation: act}
		default:
			code = tflite.OpFullyConnected
			opts = &tflite.FullyConnectedOptions{Activation: act}
		}
	case ir.ReLU:
		code = tflite.OpRelu
	case ir.AvgPool, ir.MaxPool:
		code = tflite.OpAveragePool2D
		if n.Op == ir.MaxPool {
			code = tflite.OpMaxPool2D
		}
		opts = &tflite.Pool2DOptions{Padding: padding(a.Padding), StrideH: or1(a.Strides[0]), StrideW: or1(a.Strides[1]),
			FilterHeight: int32(a.Kernel[0]), FilterWidth: int32(a.Kernel[1])}
	case ir.GlobalMean:
		code = tflite.OpMean
		opts = &tflite.ReducerOptions{KeepDims: a.KeepDims}
		ins = append(ins, e.constI32(n.Output+"/axes", []int{2}, []int32{1, 2}, nil))
	case ir.Add, ir.Mul:
		ins = []int32{e.operand(n.Inputs[0]), e.operand(n.Inputs[1])}
		code, opts = tflite.OpAdd, &tflite.AddOptions{Activation: act}
		if n.Op == ir.Mul {
			code, opts = tflite.OpMul, &tflite.MulOptions{Activation: act}
		}
	case ir.Concat:
		ins = ins[:0]
		for i := range n.Inputs {
			t, err := in(i)
			if err != nil {
				return err
			}
			ins = append(ins, t)
		}
		code, opts = tflite.OpConcatenation, &tflite.ConcatenationOptions{Axis: int32(a.Axis)}
	case ir.Sigmoid:
		code = tflite.OpLogistic
	case ir.Softmax:
		code, opts = tflite.OpSoftmax, &tflite.SoftmaxOptions{Beta: 1}
	case ir.Reshape:
		code, opts = tflite.OpReshape, &tflite.ReshapeOptions{NewShape: i32(outShape)}
		ins = append(ins, e.constI32(n.Output+"/shape", []int{len(outShape)}, i32(outShape), nil))
	case ir.BatchNorm:
		return errors.New("batch norm must be folded first (FoldBatchNorm)")
	default:
		return fmt.Errorf("op %q has no TFLite lowering", n.Op)
	}
	out := e.activation(outName, outShape)
	e.op(code, opts, ins, out)
	return nil
}

// weights emits the filter/weights and bias of a conv, depthwise or fully
// connected node: float32, or int8 symmetric (per output channel along
// dimension 0 for CONV_2D, 3 for DEPTHWISE_CONV_2D; per tensor for
// FULLY_CONNECTED) with an int32 bias of scale input_scale*weight_scale.
// A node without bias (e.g. the depthwise half of a separable conv, whose
// batch norm follows the pointwise conv) gets none: b is -1 and the operator
// has two inputs, which TFLite accepts for all three ops. This saves the
// bias data and its per-channel quantisation parameters.
func (e *emitter) weights(n *ir.Node) (w, b int32, err error) {
	wt := e.g.Consts[n.Inputs[1]]
	cout := wt.Shape[0]
	axis := 0
	if n.Op == ir.DepthwiseConv2D {
		cout, axis = wt.Shape[3], 3
	}
	var bias []float32
	if len(n.Inputs) == 3 {
		bias = e.g.Consts[n.Inputs[2]].Data
	}
	wName, bName := n.Output+"/weights", n.Output+"/bias"
	if !e.quant {
		w = e.constF32(wName, wt.Shape, wt.Data)
		if bias == nil {
			return w, -1, nil
		}
		return w, e.constF32(bName, []int{cout}, bias), nil
	}
	var (
		q      []int8
		scales []float32
		wq     *tflite.Quantization
	)
	if n.Op == ir.FullyConnected {
		s := SymmetricScale(wt.Data)
		q = make([]int8, len(wt.Data))
		quantizeSym(q, wt.Data, s)
		scales = []float32{s}
		wq = &tflite.Quantization{Scale: scales, ZeroPoint: []int64{0}}
	} else {
		q, scales, err = PerChannel(wt.Data, wt.Shape, axis)
		if err != nil {
			return 0, 0, err
		}
		wq = &tflite.Quantization{Scale: scales, ZeroPoint: make([]int64, len(scales)), QuantizedDimension: int32(axis)}
	}
	w = e.constI8(wName, wt.Shape, q, wq)
	if bias == nil {
		return w, -1, nil
	}
	inScale := e.p.params[n.Inputs[0]].Scale
	bq, bScales := QuantizeBias(bias, inScale, scales)
	bQuant := &tflite.Quantization{Scale: bScales, ZeroPoint: make([]int64, len(bScales))}
	if n.Op == ir.FullyConnected {
		bQuant = &tflite.Quantization{Scale: bScales[:1], ZeroPoint: []int64{0}}
	}
	return w, e.constI32(bName, []int{cout}, bq, bQuant), nil
}

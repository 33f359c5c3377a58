package testmodel

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/trapnet/trapnet/tflite"
)

// QuantizeOptions configure Quantize.
type QuantizeOptions struct {
	// Int8IO keeps int8 graph inputs and outputs; otherwise QUANTIZE and
	// DEQUANTIZE operators give the model float32 inputs and outputs.
	Int8IO bool
	// PerTensor uses one scale per weight tensor instead of per output channel.
	PerTensor bool
	// SeparateConcatScales gives CONCATENATION inputs their own quantisation
	// (the interpreter and Arm NN requantise); by default inputs and output
	// share one, as TFLite's int8 kernel and XNNPACK require.
	SeparateConcatScales bool
}

type qparam struct {
	scale float32
	zp    int64
}

// Calibrate runs the float model on the samples (one []float32 per graph input
// per sample) and returns the min and max seen by every activation tensor.
func Calibrate(m *tflite.Model, samples [][][]float32) (lo, hi []float32, err error) {
	probe := *m
	probe.Outputs = nil
	probe.Outputs = append(probe.Outputs, m.Inputs...)
	for _, op := range m.Operators {
		probe.Outputs = append(probe.Outputs, op.Outputs...)
	}
	it, err := tflite.NewInterpreter(&probe, tflite.InterpreterOptions{})
	if err != nil {
		return nil, nil, err
	}
	lo, hi = make([]float32, len(m.Tensors)), make([]float32, len(m.Tensors))
	for _, s := range samples {
		for i, x := range s {
			if err := it.SetInputFloat32(i, x); err != nil {
				return nil, nil, err
			}
		}
		if err := it.Invoke(); err != nil {
			return nil, nil, err
		}
		for k, t := range probe.Outputs {
			v, err := it.OutputFloat32(k)
			if err != nil {
				return nil, nil, err
			}
			for _, f := range v {
				lo[t], hi[t] = min(lo[t], f), max(hi[t], f)
			}
		}
	}
	return lo, hi, nil
}

func rangeParam(lo, hi float32) qparam {
	lo, hi = min(lo, 0), max(hi, 0)
	if hi-lo < 1e-6 {
		hi = lo + 1e-6
	}
	s := (hi - lo) / 255
	zp := int64(math.Round(float64(-128 - lo/s)))
	return qparam{s, max(-128, min(127, zp))}
}

// Quantize converts a float model built by Builder into an int8 model, with
// activation ranges from Calibrate on samples.
func Quantize(m *tflite.Model, samples [][][]float32, opts QuantizeOptions) (*tflite.Model, error) {
	lo, hi, err := Calibrate(m, samples)
	if err != nil {
		return nil, err
	}
	// Tensors that must share quantisation form groups (union-find); a group's
	// range is the union of its members' ranges.
	parent := make([]int32, len(m.Tensors))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b int32) { parent[find(a)] = find(b) }
	for _, op := range m.Operators {
		switch op.Op {
		case tflite.OpAveragePool2D, tflite.OpMaxPool2D, tflite.OpReshape, tflite.OpPad:
			union(op.Inputs[0], op.Outputs[0])
		case tflite.OpConcatenation:
			if !opts.SeparateConcatScales {
				for _, x := range op.Inputs {
					union(x, op.Outputs[0])
				}
			}
		}
	}
	for i := range m.Tensors {
		r := find(int32(i))
		lo[r], hi[r] = min(lo[r], lo[i]), max(hi[r], hi[i])
	}
	q := make([]qparam, len(m.Tensors))
	for i := range m.Tensors {
		r := find(int32(i))
		q[i] = rangeParam(lo[r], hi[r])
	}
	for _, op := range m.Operators {
		if op.Op == tflite.OpLogistic || op.Op == tflite.OpSoftmax {
			q[op.Outputs[0]] = qparam{1.0 / 256, -128}
		}
	}
	qm := tflite.NewModel()
	qm.Description, qm.Metadata = m.Description, m.Metadata
	qm.Tensors = make([]tflite.Tensor, len(m.Tensors))
	done := make([]bool, len(m.Tensors))
	for _, op := range m.Operators {
		for k, x := range op.Inputs {
			if x < 0 || done[x] || m.Tensors[x].Buffer == 0 {
				continue
			}
			done[x] = true
			if err := quantizeConst(m, qm, op, k, q, opts.PerTensor); err != nil {
				return nil, fmt.Errorf("operator %v input %d: %w", op.Op, k, err)
			}
		}
	}
	for i, t := range m.Tensors {
		if t.Buffer == 0 {
			qm.Tensors[i] = tflite.Tensor{Name: t.Name, Shape: t.Shape, Type: tflite.Int8,
				Quant: &tflite.Quantization{Scale: []float32{q[i].scale}, ZeroPoint: []int64{q[i].zp}}}
		}
	}
	qm.Operators = append(qm.Operators, m.Operators...)
	qm.Inputs, qm.Outputs = m.Inputs, m.Outputs
	if opts.Int8IO {
		return qm, nil
	}
	var pre []tflite.Operator
	qm.Inputs = nil
	for _, x := range m.Inputs {
		f := qm.AddTensor(tflite.Tensor{Name: m.Tensors[x].Name + "_float", Shape: m.Tensors[x].Shape, Type: tflite.Float32})
		qm.Inputs = append(qm.Inputs, f)
		pre = append(pre, tflite.Operator{Op: tflite.OpQuantize, Inputs: []int32{f}, Outputs: []int32{x}, Options: &tflite.QuantizeOptions{}})
	}
	qm.Operators = append(pre, qm.Operators...)
	qm.Outputs = nil
	for _, x := range m.Outputs {
		f := qm.AddTensor(tflite.Tensor{Name: m.Tensors[x].Name + "_float", Shape: m.Tensors[x].Shape, Type: tflite.Float32})
		qm.Outputs = append(qm.Outputs, f)
		qm.AddOperator(tflite.Operator{Op: tflite.OpDequantize, Inputs: []int32{x}, Outputs: []int32{f}, Options: &tflite.DequantizeOptions{}})
	}
	return qm, nil
}

func floats(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}

// quantizeConst converts constant input k of op into qm.
func quantizeConst(m, qm *tflite.Model, op tflite.Operator, k int, q []qparam, perTensor bool) error {
	x := op.Inputs[k]
	t := m.Tensors[x]
	data := m.Buffers[t.Buffer].Data
	if t.Type != tflite.Float32 {
		t.Buffer = qm.AddBuffer(data)
		qm.Tensors[x] = t
		return nil
	}
	v := floats(data)
	isWeight := k == 1 && (op.Op == tflite.OpConv2D || op.Op == tflite.OpDepthwiseConv2D || op.Op == tflite.OpFullyConnected)
	isBias := k == 2 && (op.Op == tflite.OpConv2D || op.Op == tflite.OpDepthwiseConv2D || op.Op == tflite.OpFullyConnected)
	switch {
	case isWeight:
		dim := 0
		if op.Op == tflite.OpDepthwiseConv2D {
			dim = 3
		}
		nch := int(t.Shape[dim])
		if op.Op == tflite.OpFullyConnected || perTensor {
			nch = 1
		}
		scales := symmetricScales(v, t.Shape, dim, nch)
		out := make([]byte, len(v))
		for i, f := range v {
			s := scales[channelOf(i, t.Shape, dim)%len(scales)]
			out[i] = byte(int8(max(-127, min(127, math.Round(float64(f/s))))))
		}
		zp := make([]int64, len(scales))
		t.Type, t.Buffer = tflite.Int8, qm.AddBuffer(out)
		t.Quant = &tflite.Quantization{Scale: scales, ZeroPoint: zp, QuantizedDimension: int32(dim)}
		if len(scales) == 1 {
			t.Quant.QuantizedDimension = 0
		}
	case isBias:
		in := q[op.Inputs[0]].scale
		ws := qm.Tensors[op.Inputs[1]].Quant.Scale
		out := make([]int32, len(v))
		scales := make([]float32, len(v))
		for i, f := range v {
			scales[i] = in * ws[i%len(ws)]
			out[i] = int32(math.Round(float64(f / scales[i])))
		}
		t.Type, t.Buffer = tflite.Int32, qm.AddBuffer(I32Bytes(out))
		if len(ws) == 1 {
			scales = scales[:1]
		}
		t.Quant = &tflite.Quantization{Scale: scales, ZeroPoint: make([]int64, len(scales))}
	default:
		lo, hi := float32(0), float32(0)
		for _, f := range v {
			lo, hi = min(lo, f), max(hi, f)
		}
		p := rangeParam(lo, hi)
		out := make([]byte, len(v))
		for i, f := range v {
			out[i] = byte(int8(max(-128, min(127, math.Round(float64(f/p.scale))+float64(p.zp)))))
		}
		t.Type, t.Buffer = tflite.Int8, qm.AddBuffer(out)
		t.Quant = &tflite.Quantization{Scale: []float32{p.scale}, ZeroPoint: []int64{p.zp}}
	}
	qm.Tensors[x] = t
	return nil
}

func channelOf(i int, shape []int32, dim int) int {
	inner := 1
	for _, d := range shape[dim+1:] {
		inner *= int(d)
	}
	return (i / inner) % int(shape[dim])
}

func symmetricScales(v []float32, shape []int32, dim, nch int) []float32 {
	s := make([]float32, nch)
	for i, f := range v {
		c := 0
		if nch > 1 {
			c = channelOf(i, shape, dim)
		}
		s[c] = max(s[c], float32(math.Abs(float64(f))))
	}
	for c := range s {
		s[c] = max(s[c], 1e-6) / 127
	}
	return s
}

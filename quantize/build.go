package quantize

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/tflite"
)

// IO selects the element type of the model's inputs and output.
type IO string

// The I/O modes.
const (
	// IOFloat: float32 inputs (QUANTIZE after them) and a float32 output
	// (DEQUANTIZE after the int8 SOFTMAX). The default.
	IOFloat IO = "float"
	// IOInt8: int8 inputs and output with their quantisation parameters.
	IOInt8 IO = "int8"
)

// OutputName is the name of the model's output tensor (class probabilities).
const OutputName = "probabilities"

// Options control Build and BuildFloat.
type Options struct {
	// IO is the input/output type of an int8 model ("" means IOFloat).
	IO IO
	// Description is written as the model description.
	Description string
	// Metadata are the named metadata buffers (see ReadModelDir).
	Metadata map[string][]byte
}

// emitter writes one tflite.Model from a folded graph.
type emitter struct {
	g      *ir.Graph
	m      *tflite.Model
	p      *plan
	quant  bool
	shapes map[string][]int
	idx    map[string]int32 // ir tensor name -> tflite tensor index
}

// Build returns the int8 model of g, which must be free of BatchNorm (see
// FoldBatchNorm), using the calibrated ranges of its tensors. Inputs keep
// the graph's order (image, then metadata); the output is OutputName, the
// SOFTMAX class probabilities [1,K] (a SOFTMAX is appended when the graph
// outputs logits).
func Build(g *ir.Graph, ranges map[string]Range, opt Options) (*tflite.Model, error) {
	if opt.IO == "" {
		opt.IO = IOFloat
	}
	if opt.IO != IOFloat && opt.IO != IOInt8 {
		return nil, fmt.Errorf("quantize: io %q, want %q or %q", opt.IO, IOFloat, IOInt8)
	}
	return build(g, ranges, opt, true)
}

// BuildFloat returns the float32 model of g (batch norm must be folded),
// with the same structure and fused activations as Build's.
func BuildFloat(g *ir.Graph, opt Options) (*tflite.Model, error) {
	return build(g, nil, opt, false)
}

func build(g *ir.Graph, ranges map[string]Range, opt Options, quant bool) (*tflite.Model, error) {
	shapes, err := g.InferShapes(1)
	if err != nil {
		return nil, err
	}
	if len(g.Outputs) != 1 || len(shapes[g.Outputs[0]]) != 2 {
		return nil, fmt.Errorf("quantize: want one output [1,K], graph has %v", g.Outputs)
	}
	e := &emitter{g: g, m: tflite.NewModel(), p: newPlan(g), quant: quant, shapes: shapes, idx: map[string]int32{}}
	e.m.Description = opt.Description
	for k, v := range opt.Metadata {
		e.m.SetMetadata(k, v)
	}
	appendSoftmax := g.OutputKind == ir.Logits
	if quant {
		var extra []string
		if appendSoftmax {
			extra = append(extra, OutputName)
		}
		if err := e.p.quantParams(g, ranges, extra); err != nil {
			return nil, err
		}
	}
	for _, in := range g.Inputs {
		e.input(in, opt.IO)
	}
	for _, n := range g.Nodes {
		if e.p.skip[n] {
			continue
		}
		if err := e.node(n); err != nil {
			return nil, fmt.Errorf("quantize: node %q (%s): %w", n.Output, n.Op, err)
		}
	}
	out := g.Outputs[0]
	last := e.idx[out]
	if appendSoftmax {
		last = e.activation(OutputName, shapes[g.Outputs[0]])
		e.op(tflite.OpSoftmax, &tflite.SoftmaxOptions{Beta: 1}, []int32{e.idx[out]}, last)
	}
	if quant && opt.IO == IOFloat {
		f := e.m.AddTensor(tflite.Tensor{Name: OutputName + "_float", Shape: i32(shapes[g.Outputs[0]]), Type: tflite.Float32})
		e.op(tflite.OpDequantize, nil, []int32{last}, f)
		last = f
	}
	e.m.Outputs = []int32{last}
	return e.m, nil
}

func i32(s []int) []int32 {
	out := make([]int32, len(s))
	for i, v := range s {
		out[i] = int32(v)
	}
	return out
}

func (e *emitter) op(code tflite.BuiltinOperator, opts tflite.Options, in []int32, out int32) {
	e.m.AddOperator(tflite.Operator{Op: code, Inputs: in, Outputs: []int32{out}, Options: opts})
}

// activation adds the (float or int8) activation tensor for an ir name.
func (e *emitter) activation(name string, shape []int) int32 {
	t := tflite.Tensor{Name: name, Shape: i32(shape), Type: tflite.Float32}
	if e.quant {
		p := e.p.params[name]
		t.Type = tflite.Int8
		t.Quant = &tflite.Quantization{Scale: []float32{p.Scale}, ZeroPoint: []int64{int64(p.ZeroPoint)}}
	}
	i := e.m.AddTensor(t)
	e.idx[name] = i
	return i
}

func (e *emitter) input(in ir.Input, io IO) {
	if !e.quant {
		e.m.Inputs = append(e.m.Inputs, e.activation(in.Name, in.Shape))
		return
	}
	if io == IOInt8 {
		e.m.Inputs = append(e.m.Inputs, e.activation(in.Name, in.Shape))
		return
	}
	f := e.m.AddTensor(tflite.Tensor{Name: in.Name, Shape: i32(in.Shape), Type: tflite.Float32})
	e.m.Inputs = append(e.m.Inputs, f)
	q := e.activation(in.Name, in.Shape)
	e.m.Tensors[q].Name = in.Name + "_int8"
	e.op(tflite.OpQuantize, nil, []int32{f}, q)
}

// constF32 adds a float32 constant.
func (e *emitter) constF32(name string, shape []int, data []float32) int32 {
	b := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return e.m.AddTensor(tflite.Tensor{Name: name, Shape: i32(shape), Type: tflite.Float32, Buffer: e.m.AddBuffer(b)})
}

// constI32 adds an int32 constant (quant may be nil).
func (e *emitter) constI32(name string, shape []int, data []int32, q *tflite.Quantization) int32 {
	b := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(v))
	}
	return e.m.AddTensor(tflite.Tensor{Name: name, Shape: i32(shape), Type: tflite.Int32, Buffer: e.m.AddBuffer(b), Quant: q})
}

// constI8 adds an int8 constant.
func (e *emitter) constI8(name string, shape []int, data []int8, q *tflite.Quantization) int32 {
	b := make([]byte, len(data))
	for i, v := range data {
		b[i] = byte(v)
	}
	return e.m.AddTensor(tflite.Tensor{Name: name, Shape: i32(shape), Type: tflite.Int8, Buffer: e.m.AddBuffer(b), Quant: q})
}

// operand returns the tflite tensor of an ir operand of ADD or MUL: an
// activation, or a constant quantised per tensor from its own range.
func (e *emitter) operand(name string) int32 {
	if i, ok := e.idx[name]; ok {
		return i
	}
	c := e.g.Consts[name]
	var i int32
	if !e.quant {
		i = e.constF32(name, c.Shape, c.Data)
	} else {
		lo, hi := c.Data[0], c.Data[0]
		for _, v := range c.Data {
			lo, hi = min(lo, v), max(hi, v)
		}
		p := FromRange(lo, hi)
		q := make([]int8, len(c.Data))
		for j, v := range c.Data {
			q[j] = p.Quantize(v)
		}
		i = e.constI8(name, c.Shape, q, &tflite.Quantization{Scale: []float32{p.Scale}, ZeroPoint: []int64{int64(p.ZeroPoint)}})
	}
	e.idx[name] = i
	return i
}

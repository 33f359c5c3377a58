// Package ir is trapnet's float inference graph: the hand-off between
// training (GoMLX) and int8 quantisation (TFLite).
//
// A Graph is a list of named float32 tensors and nodes in topological order.
// Every op maps one-to-one (or nearly) to a TFLite builtin, all tensors are
// NHWC row-major, and spatial padding is TensorFlow "SAME" or "VALID" (see
// docs/CONTRACTS.md).
//
// Tensor names live in one namespace: the graph inputs (Graph.Inputs), the
// constants (Graph.Consts: weights, biases, batch-norm statistics, constant
// operands of add/mul) and the node outputs (Node.Output). A node's Inputs
// refer to any of them; its operand order is documented on each Op.
//
// Shapes carry the batch as dimension 0. In the graph they are written with
// batch 1; the executor accepts any batch N >= 1 for all inputs alike.
//
// On disk (Save/Load) a graph is a directory with graph.json (structure) and
// weights.bin (all constants as little-endian float32, each referenced from
// graph.json by byte offset and length).
package ir

import "fmt"

// Op is the kind of a node.
type Op string

// The ops. Operand order (Node.Inputs) and attributes are given for each.
const (
	// Conv2D: [x [N,H,W,Cin], filter [Cout,KH,KW,Cin], bias [Cout] (optional)].
	// Attrs: Strides, Dilations, Padding. TFLite CONV_2D.
	Conv2D Op = "conv2d"
	// DepthwiseConv2D: [x [N,H,W,C], filter [1,KH,KW,C], bias [C] (optional)],
	// depth multiplier 1. Attrs: Strides, Dilations, Padding.
	// TFLite DEPTHWISE_CONV_2D.
	DepthwiseConv2D Op = "depthwise_conv2d"
	// BatchNorm (inference): [x [...,C], gamma [C], beta [C], mean [C], var [C]].
	// y = gamma*(x-mean)/sqrt(var+Eps) + beta. Attrs: Eps. No TFLite
	// equivalent: quantize folds it or lowers it to MUL+ADD.
	BatchNorm Op = "batchnorm"
	// ReLU: [x]. TFLite RELU (usually fused into the producer).
	ReLU Op = "relu"
	// AvgPool: [x [N,H,W,C]]. Attrs: Kernel, Strides, Padding. Padding cells
	// are excluded from the divisor. TFLite AVERAGE_POOL_2D.
	AvgPool Op = "avg_pool"
	// MaxPool: [x [N,H,W,C]]. Attrs: Kernel, Strides, Padding. Padding cells
	// are ignored. TFLite MAX_POOL_2D.
	MaxPool Op = "max_pool"
	// GlobalMean: [x [N,H,W,C]] -> [N,C] (or [N,1,1,C] with KeepDims), the
	// mean over H and W. TFLite MEAN with axes [1,2].
	GlobalMean Op = "global_mean"
	// Add: [a, b], elementwise with NumPy broadcasting (dimensions aligned
	// from the right; a [N,C] vector over [N,H,W,C] must first be reshaped to
	// [N,1,1,C]). TFLite ADD.
	Add Op = "add"
	// Mul: [a, b], like Add. TFLite MUL.
	Mul Op = "mul"
	// Concat: [x0, x1, ...] along Attrs.Axis (negative counts from the end).
	// TFLite CONCATENATION.
	Concat Op = "concat"
	// FullyConnected: [x [N,...], weights [Out,In], bias [Out] (optional)].
	// x is flattened to [N,In]. Output [N,Out]. TFLite FULLY_CONNECTED.
	FullyConnected Op = "fully_connected"
	// Sigmoid: [x]. TFLite LOGISTIC.
	Sigmoid Op = "sigmoid"
	// Softmax: [x [N,K]] over the last axis. TFLite SOFTMAX (beta 1).
	Softmax Op = "softmax"
	// Reshape: [x] to Attrs.Shape, whose dimension 0 (the batch) is replaced
	// by N; one other dimension may be -1. TFLite RESHAPE.
	Reshape Op = "reshape"
)

// ops is the set of known ops with their operand counts (min, max; max -1:
// unbounded).
var ops = map[Op][2]int{
	Conv2D: {2, 3}, DepthwiseConv2D: {2, 3}, BatchNorm: {5, 5}, ReLU: {1, 1},
	AvgPool: {1, 1}, MaxPool: {1, 1}, GlobalMean: {1, 1}, Add: {2, 2}, Mul: {2, 2},
	Concat: {1, -1}, FullyConnected: {2, 3}, Sigmoid: {1, 1}, Softmax: {1, 1},
	Reshape: {1, 1},
}

// Padding is a spatial padding mode.
type Padding string

// The padding modes (TensorFlow semantics).
const (
	Same  Padding = "SAME"
	Valid Padding = "VALID"
)

// OutputKind says what the graph's output holds.
type OutputKind string

// The output kinds.
const (
	// Logits: unnormalised scores; quantize appends a SOFTMAX.
	Logits OutputKind = "logits"
	// Probabilities: the graph already ends in a Softmax.
	Probabilities OutputKind = "probabilities"
)

// Attrs are a node's attributes; each op reads only the ones it documents.
type Attrs struct {
	// Strides [sh, sw] (conv, depthwise, pools); zero means 1.
	Strides [2]int `json:"strides,omitzero"`
	// Dilations [dh, dw] (conv, depthwise); zero means 1.
	Dilations [2]int `json:"dilations,omitzero"`
	// Padding (conv, depthwise, pools); empty means SAME.
	Padding Padding `json:"padding,omitempty"`
	// Kernel [kh, kw] (pools).
	Kernel [2]int `json:"kernel,omitzero"`
	// Eps (batchnorm); zero means 1e-5.
	Eps float32 `json:"eps,omitempty"`
	// Axis (concat).
	Axis int `json:"axis,omitempty"`
	// KeepDims (global_mean).
	KeepDims bool `json:"keep_dims,omitempty"`
	// Shape (reshape): the target shape, batch first.
	Shape []int `json:"shape,omitempty"`
}

// Node is one operation.
type Node struct {
	// Name is a human-readable label (optional, for errors and debugging).
	Name string `json:"name,omitempty"`
	// Op is the operation.
	Op Op `json:"op"`
	// Inputs are tensor names in the op's operand order.
	Inputs []string `json:"inputs"`
	// Output is the name of the tensor the node defines.
	Output string `json:"output"`
	// Attrs are the op's attributes.
	Attrs Attrs `json:"attrs,omitzero"`
	// Shape is the output shape at batch 1. Save fills it in; Load checks it
	// against shape inference when present.
	Shape []int `json:"shape,omitempty"`
}

// Tensor is a float32 tensor: a shape and row-major data.
type Tensor struct {
	Shape []int
	Data  []float32
}

// NewTensor returns a zero tensor of the given shape.
func NewTensor(shape ...int) *Tensor {
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float32, numElements(shape))}
}

// Size is the number of elements the shape holds.
func (t *Tensor) Size() int { return numElements(t.Shape) }

// Clone returns a deep copy.
func (t *Tensor) Clone() *Tensor {
	return &Tensor{Shape: append([]int(nil), t.Shape...), Data: append([]float32(nil), t.Data...)}
}

// Input declares a graph input.
type Input struct {
	// Name of the tensor.
	Name string `json:"name"`
	// Shape at batch 1: [1,H,W,3] for the image, [1,D] for metadata.
	Shape []int `json:"shape"`
}

// Graph is a float inference graph.
type Graph struct {
	// Inputs: the image first, then (optionally) the metadata vector.
	Inputs []Input `json:"inputs"`
	// Outputs: the tensor names the graph returns (trapnet uses one).
	Outputs []string `json:"outputs"`
	// OutputKind says whether Outputs[0] holds logits or probabilities.
	OutputKind OutputKind `json:"output_kind"`
	// Nodes in topological order.
	Nodes []*Node `json:"nodes"`
	// Consts are the constant tensors by name (stored in weights.bin).
	Consts map[string]*Tensor `json:"-"`
}

// Const returns the named constant, or nil.
func (g *Graph) Const(name string) *Tensor { return g.Consts[name] }

// Producer returns the node whose output is name, or nil for inputs and
// constants.
func (g *Graph) Producer(name string) *Node {
	for _, n := range g.Nodes {
		if n.Output == name {
			return n
		}
	}
	return nil
}

// Consumers returns the nodes that read name (in graph order).
func (g *Graph) Consumers(name string) []*Node {
	var out []*Node
	for _, n := range g.Nodes {
		for _, in := range n.Inputs {
			if in == name {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

// IsOutput reports whether name is one of the graph outputs.
func (g *Graph) IsOutput(name string) bool {
	for _, o := range g.Outputs {
		if o == name {
			return true
		}
	}
	return false
}

// WeightsSize is the number of bytes the float32 constants occupy.
func (g *Graph) WeightsSize() int64 {
	var n int64
	for _, t := range g.Consts {
		n += 4 * int64(len(t.Data))
	}
	return n
}

func (n *Node) label() string {
	if n.Name != "" {
		return fmt.Sprintf("node %q (%s -> %q)", n.Name, n.Op, n.Output)
	}
	return fmt.Sprintf("node %s -> %q", n.Op, n.Output)
}

func numElements(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

func stride(a [2]int) (int, int) { return or1(a[0]), or1(a[1]) }

func or1(v int) int {
	if v == 0 {
		return 1
	}
	return v
}

func (a Attrs) eps() float32 {
	if a.Eps == 0 {
		return 1e-5
	}
	return a.Eps
}

func (a Attrs) padding() Padding {
	if a.Padding == "" {
		return Same
	}
	return a.Padding
}

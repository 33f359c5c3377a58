package ir

import "fmt"

// Builder assembles a Graph node by node, naming tensors automatically. Each
// method returns the name of the tensor it defines. Errors (e.g. shape
// mismatches) surface from Graph, which validates.
//
//	b := ir.NewBuilder()
//	img := b.Input("image", 1, 32, 32, 3)
//	y := b.Conv2D("stem", img, w, nil, ir.Attrs{Strides: [2]int{2, 2}})
//	y = b.BatchNorm("stem_bn", y, gamma, beta, mean, variance, 1e-5)
//	...
//	g, err := b.Graph(ir.Logits, logits)
type Builder struct {
	g *Graph
	n int
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder {
	return &Builder{g: &Graph{Consts: map[string]*Tensor{}}}
}

// Input declares a graph input with its batch-1 shape.
func (b *Builder) Input(name string, shape ...int) string {
	b.g.Inputs = append(b.g.Inputs, Input{Name: name, Shape: append([]int(nil), shape...)})
	return name
}

// Const adds a constant tensor under name+suffix and returns its name; a nil
// tensor returns "".
func (b *Builder) Const(name string, t *Tensor) string {
	if t == nil {
		return ""
	}
	if _, dup := b.g.Consts[name]; dup {
		name = fmt.Sprintf("%s_%d", name, b.n)
		b.n++
	}
	b.g.Consts[name] = t
	return name
}

// Node appends a node reading inputs and returns its output's name (name, or
// a generated one when name is empty or taken).
func (b *Builder) Node(op Op, name string, attrs Attrs, inputs ...string) string {
	out := name
	if out == "" {
		out = fmt.Sprintf("%s_%d", op, b.n)
		b.n++
	}
	for _, nd := range b.g.Nodes {
		if nd.Output == out {
			out = fmt.Sprintf("%s_%d", out, b.n)
			b.n++
			break
		}
	}
	var ins []string
	for _, in := range inputs {
		if in != "" { // optional bias
			ins = append(ins, in)
		}
	}
	b.g.Nodes = append(b.g.Nodes, &Node{Name: name, Op: op, Inputs: ins, Output: out, Attrs: attrs})
	return out
}

// Conv2D adds a convolution; filter is [Cout,KH,KW,Cin], bias may be nil.
func (b *Builder) Conv2D(name, x string, filter, bias *Tensor, a Attrs) string {
	return b.Node(Conv2D, name, a, x, b.Const(name+"/filter", filter), b.Const(name+"/bias", bias))
}

// DepthwiseConv2D adds a depthwise convolution; filter is [1,KH,KW,C].
func (b *Builder) DepthwiseConv2D(name, x string, filter, bias *Tensor, a Attrs) string {
	return b.Node(DepthwiseConv2D, name, a, x, b.Const(name+"/filter", filter), b.Const(name+"/bias", bias))
}

// BatchNorm adds an inference batch norm.
func (b *Builder) BatchNorm(name, x string, gamma, beta, mean, variance *Tensor, eps float32) string {
	return b.Node(BatchNorm, name, Attrs{Eps: eps}, x,
		b.Const(name+"/gamma", gamma), b.Const(name+"/beta", beta),
		b.Const(name+"/mean", mean), b.Const(name+"/var", variance))
}

// FullyConnected adds a dense layer; weights are [Out,In], bias may be nil.
func (b *Builder) FullyConnected(name, x string, weights, bias *Tensor) string {
	return b.Node(FullyConnected, name, Attrs{}, x, b.Const(name+"/weights", weights), b.Const(name+"/bias", bias))
}

// Graph finishes the graph with the given outputs and validates it. The
// builder must not be used afterwards.
func (b *Builder) Graph(kind OutputKind, outputs ...string) (*Graph, error) {
	b.g.OutputKind = kind
	b.g.Outputs = outputs
	if err := b.g.Validate(); err != nil {
		return nil, err
	}
	return b.g, nil
}

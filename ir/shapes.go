package ir

import (
	"errors"
	"fmt"
	"slices"
)

// maxElements bounds the per-sample size of any tensor, so that a hostile
// graph.json cannot make the executor allocate without limit.
const maxElements = 1 << 26

// sane reports whether all dimensions are positive and their product is at
// most maxElements.
func sane(shape []int) bool {
	n := 1
	for _, d := range shape {
		if d < 1 || d > maxElements {
			return false
		}
		n *= d
		if n > maxElements {
			return false
		}
	}
	return true
}

// CheckModelIO checks trapnet's model contract on top of Validate: input 0
// an image [1,H,W,3], optionally input 1 a metadata vector [1,D], and one
// output [1,K]. Load applies it.
func (g *Graph) CheckModelIO() error {
	shapes, err := g.InferShapes(1)
	if err != nil {
		return err
	}
	if len(g.Inputs) > 2 {
		return fmt.Errorf("ir: graph has %d inputs, want 1 (image) or 2 (image, metadata)", len(g.Inputs))
	}
	if s := g.Inputs[0].Shape; len(s) != 4 || s[3] != 3 {
		return fmt.Errorf("ir: input 0 %q has shape %v, want an image [1,H,W,3]", g.Inputs[0].Name, s)
	}
	if len(g.Inputs) == 2 && len(g.Inputs[1].Shape) != 2 {
		return fmt.Errorf("ir: input 1 %q has shape %v, want metadata [1,D]", g.Inputs[1].Name, g.Inputs[1].Shape)
	}
	if len(g.Outputs) != 1 || len(shapes[g.Outputs[0]]) != 2 {
		return fmt.Errorf("ir: want one output [1,K], have %v", g.Outputs)
	}
	return nil
}

// Validate checks the graph: known ops with the right operand counts, every
// name defined exactly once and before use, constant data matching their
// shapes, and shapes consistent (via shape inference at batch 1). Declared
// node shapes (Node.Shape) must match the inferred ones.
func (g *Graph) Validate() error {
	_, err := g.InferShapes(1)
	return err
}

// InferShapes validates the graph and returns the shape of every tensor at
// batch n.
func (g *Graph) InferShapes(n int) (map[string][]int, error) {
	if n < 1 {
		return nil, fmt.Errorf("ir: batch %d < 1", n)
	}
	if len(g.Inputs) == 0 {
		return nil, errors.New("ir: graph has no inputs")
	}
	if len(g.Outputs) == 0 {
		return nil, errors.New("ir: graph has no outputs")
	}
	if g.OutputKind != Logits && g.OutputKind != Probabilities {
		return nil, fmt.Errorf("ir: output_kind %q, want %q or %q", g.OutputKind, Logits, Probabilities)
	}
	shapes := map[string][]int{}
	for i, in := range g.Inputs {
		if in.Name == "" {
			return nil, fmt.Errorf("ir: input %d has no name", i)
		}
		if _, dup := shapes[in.Name]; dup {
			return nil, fmt.Errorf("ir: input %q defined twice", in.Name)
		}
		if len(in.Shape) < 2 || in.Shape[0] != 1 || !sane(in.Shape) {
			return nil, fmt.Errorf("ir: input %q has shape %v, want batch 1 and positive dimensions (at most %d elements)", in.Name, in.Shape, maxElements)
		}
		s := slices.Clone(in.Shape)
		s[0] = n
		shapes[in.Name] = s
	}
	for name, c := range g.Consts {
		if c == nil {
			return nil, fmt.Errorf("ir: constant %q is nil", name)
		}
		if _, dup := shapes[name]; dup {
			return nil, fmt.Errorf("ir: constant %q has the name of an input", name)
		}
		if slices.ContainsFunc(c.Shape, func(d int) bool { return d < 1 }) || len(c.Data) != numElements(c.Shape) {
			return nil, fmt.Errorf("ir: constant %q: shape %v with %d values", name, c.Shape, len(c.Data))
		}
		shapes[name] = c.Shape
	}
	for i, nd := range g.Nodes {
		if nd == nil {
			return nil, fmt.Errorf("ir: node %d is nil", i)
		}
		s, err := g.inferNode(nd, shapes)
		if err != nil {
			return nil, fmt.Errorf("ir: node %d: %s: %w", i, nd.label(), err)
		}
		if nd.Output == "" {
			return nil, fmt.Errorf("ir: node %d: %s: no output name", i, nd.label())
		}
		if _, dup := shapes[nd.Output]; dup {
			return nil, fmt.Errorf("ir: node %d: %s: output %q already defined", i, nd.label(), nd.Output)
		}
		if nd.Shape != nil {
			want := slices.Clone(s)
			want[0] = 1
			if !slices.Equal(nd.Shape, want) {
				return nil, fmt.Errorf("ir: node %d: %s: declared shape %v, inferred %v", i, nd.label(), nd.Shape, want)
			}
		}
		if !sane(s[1:]) {
			return nil, fmt.Errorf("ir: node %d: %s: output shape %v too large", i, nd.label(), s)
		}
		shapes[nd.Output] = s
	}
	for _, o := range g.Outputs {
		if _, ok := shapes[o]; !ok || g.Consts[o] != nil {
			return nil, fmt.Errorf("ir: output %q is not a computed tensor", o)
		}
	}
	return shapes, nil
}

func (g *Graph) inferNode(nd *Node, shapes map[string][]int) ([]int, error) {
	lim, ok := ops[nd.Op]
	if !ok {
		return nil, fmt.Errorf("unknown op %q", nd.Op)
	}
	if len(nd.Inputs) < lim[0] || (lim[1] >= 0 && len(nd.Inputs) > lim[1]) {
		return nil, fmt.Errorf("%d operands, want %d..%d", len(nd.Inputs), lim[0], lim[1])
	}
	in := make([][]int, len(nd.Inputs))
	for i, name := range nd.Inputs {
		s, ok := shapes[name]
		if !ok {
			return nil, fmt.Errorf("operand %d: unknown tensor %q (not an input, constant or earlier output)", i, name)
		}
		in[i] = s
	}
	// Weights must be constants.
	needConst := map[Op]int{Conv2D: 1, DepthwiseConv2D: 1, FullyConnected: 1, BatchNorm: 1}
	if from, ok := needConst[nd.Op]; ok {
		for i := from; i < len(nd.Inputs); i++ {
			if g.Consts[nd.Inputs[i]] == nil {
				return nil, fmt.Errorf("operand %d %q must be a constant", i, nd.Inputs[i])
			}
		}
	}
	if g.Consts[nd.Inputs[0]] != nil && nd.Op != Add && nd.Op != Mul {
		return nil, fmt.Errorf("operand 0 %q is a constant; it must be computed", nd.Inputs[0])
	}
	x := in[0]
	a := nd.Attrs
	switch nd.Op {
	case Conv2D, DepthwiseConv2D:
		if len(x) != 4 || len(in[1]) != 4 {
			return nil, fmt.Errorf("input %v and filter %v must be rank 4", x, in[1])
		}
		f := in[1]
		cout := f[0]
		if nd.Op == Conv2D && f[3] != x[3] {
			return nil, fmt.Errorf("filter %v [Cout,KH,KW,Cin] does not match input channels %d", f, x[3])
		}
		if nd.Op == DepthwiseConv2D {
			if f[0] != 1 || f[3] != x[3] {
				return nil, fmt.Errorf("filter %v, want [1,KH,KW,%d]", f, x[3])
			}
			cout = f[3]
		}
		if len(in) == 3 && !slices.Equal(in[2], []int{cout}) {
			return nil, fmt.Errorf("bias %v, want [%d]", in[2], cout)
		}
		sh, sw := stride(a.Strides)
		dh, dw := stride(a.Dilations)
		oh, err := outSize(x[1], f[1], sh, dh, a.padding())
		if err != nil {
			return nil, err
		}
		ow, err := outSize(x[2], f[2], sw, dw, a.padding())
		if err != nil {
			return nil, err
		}
		return []int{x[0], oh, ow, cout}, nil
	case BatchNorm:
		c := x[len(x)-1]
		for i := 1; i < 5; i++ {
			if !slices.Equal(in[i], []int{c}) {
				return nil, fmt.Errorf("operand %d has shape %v, want [%d]", i, in[i], c)
			}
		}
		return slices.Clone(x), nil
	case ReLU, Sigmoid:
		return slices.Clone(x), nil
	case Softmax:
		if len(x) != 2 {
			return nil, fmt.Errorf("input %v, want [N,K]", x)
		}
		return slices.Clone(x), nil
	case AvgPool, MaxPool:
		if len(x) != 4 {
			return nil, fmt.Errorf("input %v must be rank 4", x)
		}
		if a.Kernel[0] < 1 || a.Kernel[1] < 1 {
			return nil, fmt.Errorf("kernel %v", a.Kernel)
		}
		sh, sw := stride(a.Strides)
		oh, err := outSize(x[1], a.Kernel[0], sh, 1, a.padding())
		if err != nil {
			return nil, err
		}
		ow, err := outSize(x[2], a.Kernel[1], sw, 1, a.padding())
		if err != nil {
			return nil, err
		}
		return []int{x[0], oh, ow, x[3]}, nil
	case GlobalMean:
		if len(x) != 4 {
			return nil, fmt.Errorf("input %v must be rank 4", x)
		}
		if a.KeepDims {
			return []int{x[0], 1, 1, x[3]}, nil
		}
		return []int{x[0], x[3]}, nil
	case Add, Mul:
		if g.Consts[nd.Inputs[0]] != nil && g.Consts[nd.Inputs[1]] != nil {
			return nil, errors.New("both operands are constants")
		}
		return broadcastShape(x, in[1])
	case Concat:
		return concatShape(in, a.Axis)
	case FullyConnected:
		w := in[1]
		if len(w) != 2 || numElements(x[1:]) != w[1] {
			return nil, fmt.Errorf("weights %v [Out,In] do not match input %v", w, x)
		}
		if len(in) == 3 && !slices.Equal(in[2], []int{w[0]}) {
			return nil, fmt.Errorf("bias %v, want [%d]", in[2], w[0])
		}
		return []int{x[0], w[0]}, nil
	case Reshape:
		return reshapeShape(x, a.Shape)
	}
	return nil, fmt.Errorf("unknown op %q", nd.Op)
}

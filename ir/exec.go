package ir

import (
	"fmt"
	"math"
	"slices"
)

// Observer is called by RunWith after each node with the node and its output
// (batch N). It must not modify or keep t.Data past the call unless it
// copies it.
type Observer func(n *Node, t *Tensor)

// Run executes the graph on inputs given in the order of g.Inputs (image
// [N,H,W,3], then metadata [N,D] when the graph has it), all with the same
// batch N >= 1. It returns the tensors named by g.Outputs.
func (g *Graph) Run(inputs ...*Tensor) ([]*Tensor, error) {
	return g.RunWith(nil, inputs...)
}

// RunWith is Run with an observer that sees every node's output, e.g. for
// calibration. obs may be nil.
func (g *Graph) RunWith(obs Observer, inputs ...*Tensor) ([]*Tensor, error) {
	if len(inputs) != len(g.Inputs) {
		return nil, fmt.Errorf("ir: run: %d inputs given, graph has %d", len(inputs), len(g.Inputs))
	}
	if inputs[0] == nil || len(inputs[0].Shape) == 0 {
		return nil, fmt.Errorf("ir: run: input %q missing", g.Inputs[0].Name)
	}
	n := inputs[0].Shape[0]
	vals := make(map[string]*Tensor, len(g.Nodes)+len(g.Inputs)+len(g.Consts))
	for i, in := range g.Inputs {
		t := inputs[i]
		want := slices.Clone(in.Shape)
		want[0] = n
		if t == nil || !slices.Equal(t.Shape, want) || len(t.Data) != numElements(want) {
			got := "nil"
			if t != nil {
				got = fmt.Sprintf("%v with %d values", t.Shape, len(t.Data))
			}
			return nil, fmt.Errorf("ir: run: input %q is %s, want %v", in.Name, got, want)
		}
		vals[in.Name] = t
	}
	shapes, err := g.InferShapes(n)
	if err != nil {
		return nil, err
	}
	for k, c := range g.Consts {
		vals[k] = c
	}
	// Free intermediate tensors after their last use.
	last := map[string]int{}
	produced := map[string]bool{}
	for i, nd := range g.Nodes {
		produced[nd.Output] = true
		for _, in := range nd.Inputs {
			last[in] = i
		}
	}
	for i, nd := range g.Nodes {
		args := make([]*Tensor, len(nd.Inputs))
		for j, name := range nd.Inputs {
			args[j] = vals[name]
		}
		out := NewTensor(shapes[nd.Output]...)
		if err := exec(nd, args, out); err != nil {
			return nil, fmt.Errorf("ir: run: %s: %w", nd.label(), err)
		}
		vals[nd.Output] = out
		if obs != nil {
			obs(nd, out)
		}
		for _, in := range nd.Inputs {
			if last[in] == i && produced[in] && !g.IsOutput(in) {
				delete(vals, in)
			}
		}
	}
	outs := make([]*Tensor, len(g.Outputs))
	for i, o := range g.Outputs {
		outs[i] = vals[o]
	}
	return outs, nil
}

func exec(nd *Node, in []*Tensor, out *Tensor) error {
	a := nd.Attrs
	var bias *Tensor
	if len(in) == 3 {
		bias = in[2]
	}
	switch nd.Op {
	case Conv2D:
		conv2D(in[0], in[1], bias, a, out)
	case DepthwiseConv2D:
		depthwise(in[0], in[1], bias, a, out)
	case BatchNorm:
		c := len(in[1].Data)
		scale := make([]float32, c)
		shift := make([]float32, c)
		for i := range scale {
			scale[i] = in[1].Data[i] / float32(math.Sqrt(float64(in[4].Data[i]+a.eps())))
			shift[i] = in[2].Data[i] - in[3].Data[i]*scale[i]
		}
		for i, v := range in[0].Data {
			out.Data[i] = v*scale[i%c] + shift[i%c]
		}
	case ReLU:
		for i, v := range in[0].Data {
			out.Data[i] = max(v, 0)
		}
	case Sigmoid:
		for i, v := range in[0].Data {
			out.Data[i] = float32(1 / (1 + math.Exp(-float64(v))))
		}
	case Softmax:
		softmax(in[0], out)
	case AvgPool, MaxPool:
		pool(nd.Op == MaxPool, in[0], a, out)
	case GlobalMean:
		x := in[0]
		hw, c := x.Shape[1]*x.Shape[2], x.Shape[3]
		for b := range x.Shape[0] {
			o := out.Data[b*c : (b+1)*c]
			for p := range hw {
				row := x.Data[(b*hw+p)*c:]
				for ch := range o {
					o[ch] += row[ch]
				}
			}
			for ch := range o {
				o[ch] /= float32(hw)
			}
		}
	case Add:
		broadcast(in[0], in[1], out, func(x, y float32) float32 { return x + y })
	case Mul:
		broadcast(in[0], in[1], out, func(x, y float32) float32 { return x * y })
	case Concat:
		concat(in, a.Axis, out)
	case FullyConnected:
		fullyConnected(in[0], in[1], bias, out)
	case Reshape:
		copy(out.Data, in[0].Data)
	default:
		return fmt.Errorf("unknown op %q", nd.Op)
	}
	return nil
}

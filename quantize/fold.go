// Package quantize turns a trained float ir.Graph into a TFLite model: it
// folds batch norm, calibrates activation ranges with the float executor,
// quantises weights (int8, symmetric, per output channel for convolutions,
// per tensor for fully connected layers) and activations (int8, asymmetric,
// per tensor), and writes a tflite.Model with TFLite's int8 quantisation
// spec (https://www.tensorflow.org/lite/performance/quantization_spec).
//
// The pipeline is
//
//	folded, err := quantize.FoldBatchNorm(g)          // exact, float
//	cal, err := quantize.NewCalibrator(folded, quantize.MinMax)
//	for each batch { _, err = cal.Observe(img, meta) } // float executor
//	ranges, err := cal.Ranges()
//	m, err := quantize.Build(folded, ranges, quantize.Options{IO: quantize.IOFloat})
//	data, err := tflite.Write(m)
//
// Lowering: each ir op becomes its TFLite builtin; a ReLU that is the only
// reader of a conv, depthwise, fully connected, add or mul output is fused
// into it (fused activation RELU, the output range is the ReLU's); other
// ReLUs stay RELU ops. Pools, reshapes and concatenations share input and
// output quantisation parameters as TFLite's int8 kernels require; LOGISTIC
// and SOFTMAX outputs use scale 1/256, zero point -128. A SOFTMAX is
// appended to graphs that output logits. The interpreter derives every
// requantisation multiplier from the scales written (see QuantizeMultiplier).
//
// BuildFloat writes the same (folded) graph as a float32 .tflite for
// cross-checks.
package quantize

import (
	"fmt"
	"math"
	"slices"

	"github.com/trapnet/trapnet/ir"
)

// FoldBatchNorm returns a copy of g without BatchNorm nodes:
//
//   - a batch norm whose input is produced by a Conv2D, DepthwiseConv2D or
//     FullyConnected node, read by nothing else and not a graph output, is
//     folded into that node: w'[c] = w[c]*s[c], b'[c] = b[c]*s[c] + t[c] with
//     s = gamma/sqrt(var+eps), t = beta - mean*s (exact up to float rounding);
//   - any other batch norm (after a concat, an add, a pool, an input, or on a
//     tensor that has other readers) becomes y = x*s + t, a Mul and an Add
//     with constant per-channel operands of shape [1,1,1,C] (or [1,C]).
//     Folding such a batch norm into the *next* linear op is exact only
//     without padding in between, so it is not attempted.
//
// g itself is not modified; constants that are not changed are shared.
func FoldBatchNorm(g *ir.Graph) (*ir.Graph, error) {
	shapes, err := g.InferShapes(1)
	if err != nil {
		return nil, err
	}
	out := &ir.Graph{
		Inputs:     slices.Clone(g.Inputs),
		Outputs:    slices.Clone(g.Outputs),
		OutputKind: g.OutputKind,
		Consts:     make(map[string]*ir.Tensor, len(g.Consts)),
	}
	for k, v := range g.Consts {
		out.Consts[k] = v
	}
	for _, n := range g.Nodes {
		c := *n
		c.Inputs = slices.Clone(n.Inputs)
		c.Shape = nil
		out.Nodes = append(out.Nodes, &c)
	}
	var kept []*ir.Node
	for _, n := range out.Nodes {
		if n.Op != ir.BatchNorm {
			kept = append(kept, n)
			continue
		}
		scale, shift := bnAffine(out, n)
		x := n.Inputs[0]
		p := out.Producer(x)
		if p != nil && isLinear(p.Op) && len(out.Consumers(x)) == 1 && !out.IsOutput(x) {
			foldInto(out, p, scale, shift, n.Output)
			continue
		}
		rank := len(shapes[x])
		cshape := make([]int, rank)
		for i := range cshape {
			cshape[i] = 1
		}
		cshape[rank-1] = len(scale)
		sName := uniqueConst(out, n.Output+"/bn_scale")
		out.Consts[sName] = &ir.Tensor{Shape: cshape, Data: scale}
		tName := uniqueConst(out, n.Output+"/bn_shift")
		out.Consts[tName] = &ir.Tensor{Shape: slices.Clone(cshape), Data: shift}
		mid := n.Output + "/bn_scaled"
		kept = append(kept,
			&ir.Node{Name: n.Name, Op: ir.Mul, Inputs: []string{x, sName}, Output: mid},
			&ir.Node{Name: n.Name, Op: ir.Add, Inputs: []string{mid, tName}, Output: n.Output})
	}
	out.Nodes = kept
	if err := out.Validate(); err != nil {
		return nil, fmt.Errorf("quantize: graph after batch-norm folding: %w", err)
	}
	return out, nil
}

func isLinear(op ir.Op) bool {
	return op == ir.Conv2D || op == ir.DepthwiseConv2D || op == ir.FullyConnected
}

// bnAffine returns the per-channel scale and shift of a batch norm node.
func bnAffine(g *ir.Graph, n *ir.Node) (scale, shift []float32) {
	gamma, beta := g.Consts[n.Inputs[1]].Data, g.Consts[n.Inputs[2]].Data
	mean, variance := g.Consts[n.Inputs[3]].Data, g.Consts[n.Inputs[4]].Data
	eps := float64(n.Attrs.Eps)
	if eps == 0 {
		eps = 1e-5
	}
	scale = make([]float32, len(gamma))
	shift = make([]float32, len(gamma))
	for i := range gamma {
		s := float64(gamma[i]) / math.Sqrt(float64(variance[i])+eps)
		scale[i] = float32(s)
		shift[i] = float32(float64(beta[i]) - float64(mean[i])*s)
	}
	return scale, shift
}

// foldInto scales p's weights and bias per output channel and renames its
// output to output.
func foldInto(g *ir.Graph, p *ir.Node, scale, shift []float32, output string) {
	w := g.Consts[p.Inputs[1]]
	nw := w.Clone()
	c := len(scale)
	switch p.Op {
	case ir.DepthwiseConv2D: // [1,KH,KW,C]: channel is the last axis
		for i := range nw.Data {
			nw.Data[i] *= scale[i%c]
		}
	default: // conv [Cout,...], FC [Out,In]: channel is the first axis
		per := len(nw.Data) / c
		for i := range nw.Data {
			nw.Data[i] *= scale[i/per]
		}
	}
	b := make([]float32, c)
	if len(p.Inputs) == 3 {
		copy(b, g.Consts[p.Inputs[2]].Data)
	}
	for i := range b {
		b[i] = b[i]*scale[i] + shift[i]
	}
	wName := uniqueConst(g, output+"/folded_weights")
	g.Consts[wName] = nw
	bName := uniqueConst(g, output+"/folded_bias")
	g.Consts[bName] = &ir.Tensor{Shape: []int{c}, Data: b}
	p.Inputs = []string{p.Inputs[0], wName, bName}
	p.Output = output
}

func uniqueConst(g *ir.Graph, name string) string {
	n := name
	for i := 1; g.Consts[n] != nil; i++ {
		n = fmt.Sprintf("%s_%d", name, i)
	}
	return n
}

package trainer

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/search"
)

// bnEps is the batch-norm epsilon of training (search.BatchNorm) and export.
const bnEps = search.BNEpsilon

// netScope is the context scope of the derived network's variables.
const netScope = "net"

// ParamDropPath is the context parameter (float64) with the drop-path
// probability applied to cell edges in training.
const ParamDropPath = "trainer_drop_path"

// ParamSeed is the context parameter (int) seeding weight initialisation.
const ParamSeed = "trainer_seed"

// value is a tensor of the interpreter: a feature map (4-D in the plan, kept
// spatial-major as a search.Feature) or a [N, D] matrix.
type value struct {
	f   search.Feature
	m   *Node
	is4 bool
	// bcast marks an [N, C] matrix standing for [N, 1, 1, C].
	bcast bool
}

// varName maps a plan constant to a context variable name.
func varName(constName string) string { return strings.ReplaceAll(constName, "/", ".") }

// paramVar returns (creating it on first use) the variable of a plan param,
// initialised uniformly in ±1/sqrt(fanIn) (PyTorch's default), from a hash of
// the seed and the name so values do not depend on build order.
func (p *Plan) paramVar(ctx *context.Context, name string) *context.Variable {
	ctx = ctx.In(netScope)
	vn := varName(name)
	if v := ctx.GetVariableByScopeAndName(ctx.Scope(), vn); v != nil {
		return v
	}
	pr := p.params[name]
	size := 1
	for _, d := range pr.shape {
		size *= d
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	r := rand.New(rand.NewPCG(uint64(context.GetParamOr(ctx, ParamSeed, 0)), h.Sum64()))
	bound := 1 / math.Sqrt(float64(max(pr.fanIn, 1)))
	data := make([]float32, size)
	for i := range data {
		data[i] = float32((2*r.Float64() - 1) * bound)
		if pr.mask != nil {
			data[i] *= pr.mask[i]
		}
	}
	return ctx.VariableWithValue(vn, tensors.FromFlatDataAndDimensions(data, pr.shape...))
}

// weight returns a param's value in the graph, masked when the param has a mask.
func (p *Plan) weight(ctx *context.Context, g *Graph, name string) *Node {
	w := p.paramVar(ctx, name).ValueGraph(g)
	if m := p.params[name].mask; m != nil {
		w = Mul(w, ConstCachedTensor(g, tensors.FromFlatDataAndDimensions(m, p.params[name].shape...)))
	}
	return w
}

// Forward builds the logits [N, K] of the derived network. images is
// [N, H, W, 3] (nil for the metadata modality) and meta [N, D] (nil for the
// image modality). In training mode (ctx.IsTraining) batch norm uses batch
// statistics and drop-path is applied.
func (p *Plan) Forward(ctx *context.Context, images, meta *Node) *Node {
	logits, _ := p.forward(ctx, images, meta)
	return logits
}

// forward also returns the auxiliary logits (nil unless training with an
// auxiliary head).
func (p *Plan) forward(ctx *context.Context, images, meta *Node) (*Node, *Node) {
	var g *Graph
	vals := map[string]value{}
	if images != nil {
		g = images.Graph()
		vals[InputImage] = value{f: search.FromNHWC(images), is4: true}
	}
	if meta != nil {
		g = meta.Graph()
		vals[InputMeta] = value{m: meta}
	}
	drop := 0.0
	if ctx.IsTraining(g) {
		drop = context.GetParamOr(ctx, ParamDropPath, 0.0)
	}
	for _, n := range p.Graph.Nodes {
		v := p.eval(ctx, g, n, vals)
		if drop > 0 && p.dropPath[n.Output] {
			v = dropPath(ctx, v, drop)
		}
		vals[n.Output] = v
	}
	var aux *Node
	if ctx.IsTraining(g) && p.aux != "" {
		for _, n := range p.auxNodes {
			vals[n.Output] = p.eval(ctx, g, n, vals)
		}
		aux = vals[p.aux].m
	}
	return vals[outputName].m, aux
}

// dropPath zeroes whole examples with probability prob and rescales the rest.
func dropPath(ctx *context.Context, v value, prob float64) value {
	x := v.f.X
	n := x.Shape().Dimensions[1]
	keep := 1 - prob
	u := ctx.RandomUniform(x.Graph(), shapes.Make(x.DType(), 1, n, 1))
	mask := DivScalar(Floor(AddScalar(u, keep)), keep)
	return value{f: v.f.With(Mul(x, mask)), is4: true}
}

// eval builds one plan node.
func (p *Plan) eval(ctx *context.Context, g *Graph, n *ir.Node, vals map[string]value) value {
	in := vals[n.Inputs[0]]
	x := in.f.X
	k, s, d := n.Attrs.Kernel[0], max(n.Attrs.Strides[0], 1), max(n.Attrs.Dilations[0], 1)
	switch n.Op {
	case ir.ReLU:
		if in.is4 {
			return value{f: in.f.With(in.f.Relu()), is4: true}
		}
		return value{m: Max(in.m, ZerosLike(in.m))}
	case ir.BatchNorm:
		bctx := ctx.In(netScope).In(varName(n.Name))
		if in.is4 {
			return value{f: in.f.With(search.BatchNorm(bctx, x, true)), is4: true}
		}
		return value{m: search.BatchNorm(bctx, in.m, true)}
	case ir.Conv2D:
		w := p.weight(ctx, g, n.Inputs[1]) // [Cout, K, K, Cin]
		wd := w.Shape().Dimensions
		cout, kk := wd[0], wd[1]
		nb := in.f.N()
		ho, wo := in.f.H, in.f.W
		var a *Node
		if kk == 1 && s == 1 { // pointwise: no gather needed
			a = Reshape(x, ho*wo*nb, in.f.C())
		} else {
			var patches *Node
			patches, ho, wo = in.f.Patches(false, kk, d, s, 0) // [Ho*Wo, K*K, N, Cin]
			a = Reshape(TransposeAllAxes(patches, 0, 2, 1, 3), ho*wo*nb, kk*kk*in.f.C())
		}
		y := search.MatMulFast(a, Transpose(Reshape(w, cout, kk*kk*in.f.C()), 0, 1))
		return value{f: search.NewFeature(Reshape(y, ho*wo, nb, cout), ho, wo), is4: true}
	case ir.DepthwiseConv2D:
		w := p.weight(ctx, g, n.Inputs[1]) // [1, K, K, C]
		kk := w.Shape().Dimensions[1]
		return value{f: search.DepthwiseWith(in.f, false, Reshape(w, kk*kk, in.f.C()), kk, d, s), is4: true}
	case ir.MaxPool:
		return value{f: search.MaxPoolSame(in.f, k, s), is4: true}
	case ir.AvgPool:
		return value{f: search.AvgPoolSame(in.f, k, s), is4: true}
	case ir.Sigmoid:
		return value{m: Sigmoid(in.m)}
	case ir.Reshape: // only [N, C] -> [N, 1, 1, C] (a per-channel scale)
		return value{m: in.m, bcast: true}
	case ir.Mul:
		if t, ok := p.fixed[n.Inputs[1]]; ok && len(t.Data) == 1 { // matrix times a constant
			return value{m: MulScalar(in.m, float64(t.Data[0]))}
		}
		if !in.is4 { // elementwise [N, C] product
			return value{m: Mul(in.m, vals[n.Inputs[1]].m)}
		}
		// feature map times a per-channel scale
		return value{f: in.f.With(Mul(x, InsertAxes(vals[n.Inputs[1]].m, 0))), is4: true}
	case ir.GlobalMean:
		return value{m: ReduceMean(x, 0)}
	case ir.Add:
		b := vals[n.Inputs[1]]
		if in.is4 {
			return value{f: in.f.With(Add(x, b.f.X)), is4: true}
		}
		return value{m: Add(in.m, b.m)}
	case ir.Concat:
		var parts []*Node
		for _, name := range n.Inputs {
			v := vals[name]
			if v.is4 {
				parts = append(parts, v.f.X)
			} else {
				parts = append(parts, v.m)
			}
		}
		if in.is4 {
			return value{f: in.f.With(Concatenate(parts, -1)), is4: true}
		}
		return value{m: Concatenate(parts, -1)}
	case ir.FullyConnected:
		w := p.weight(ctx, g, n.Inputs[1]) // [Out, In]
		b := p.weight(ctx, g, n.Inputs[2])
		return value{m: Add(search.MatMulFast(in.m, Transpose(w, 0, 1)), InsertAxes(b, 0))}
	}
	panic(fmt.Sprintf("trainer: plan op %s not interpretable", n.Op))
}

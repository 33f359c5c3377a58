package search

import (
	"hash/fnv"
	"math"
	"math/rand/v2"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// ParamSeed is the context parameter (int) that seeds weight initialisation.
// Every variable is initialised from a hash of the seed, its scope and name,
// so initial values do not depend on the order in which graphs are built.
const ParamSeed = "search_seed"

// ParamBNUpdate is the graph parameter (bool, default true) that lets
// batch-norm layers in training mode update their running statistics. The
// Architect turns it off for the hypothetical forward passes of the
// second-order step.
const ParamBNUpdate = "search_bn_update"

// BNMomentum is the running-statistics momentum (PyTorch convention).
const BNMomentum = 0.1

// BNEpsilon is added to the variance.
const BNEpsilon = 1e-5

func varRand(ctx *context.Context, name string) *rand.Rand {
	seed := context.GetParamOr(ctx, ParamSeed, 0)
	h := fnv.New64a()
	_, _ = h.Write([]byte(ctx.Scope() + "/" + name))
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

// weightVar returns (creating it on first use) a trainable variable of the
// given dimensions initialised uniformly in [-bound, bound].
func weightVar(ctx *context.Context, name string, bound float64, dims ...int) *context.Variable {
	if v := ctx.GetVariableByScopeAndName(ctx.Scope(), name); v != nil {
		return v
	}
	size := 1
	for _, d := range dims {
		size *= d
	}
	r := varRand(ctx, name)
	data := make([]float32, size)
	for i := range data {
		data[i] = float32((2*r.Float64() - 1) * bound)
	}
	return ctx.VariableWithValue(name, tensors.FromFlatDataAndDimensions(data, dims...))
}

// constVar returns (creating it on first use) a variable filled with value.
func constVar(ctx *context.Context, name string, value float32, trainable bool, dims ...int) *context.Variable {
	if v := ctx.GetVariableByScopeAndName(ctx.Scope(), name); v != nil {
		return v.SetTrainable(trainable) // a variable loaded from a checkpoint starts trainable
	}
	size := 1
	for _, d := range dims {
		size *= d
	}
	data := make([]float32, size)
	for i := range data {
		data[i] = value
	}
	return ctx.VariableWithValue(name, tensors.FromFlatDataAndDimensions(data, dims...)).SetTrainable(trainable)
}

// heBound is the Kaiming-uniform bound for fanIn inputs (PyTorch's default
// conv/linear init).
func heBound(fanIn int) float64 { return 1 / math.Sqrt(float64(fanIn)) }

// MatMulFast multiplies x [M, K] by w [K, N]. Its gradient is written by hand as
// the two matmuls dX = dY·Wᵀ and dW = Xᵀ·dY: GoMLX's generic DotGeneral
// gradient materialises a [M, N, K] broadcast product.
func MatMulFast(x, w *Node) *Node {
	var dy *Node // adjoint of the output, captured during back-propagation
	xa := IdentityWithCustomGradient(x, func(_, _ *Node) *Node {
		return DotGeneral(dy, []int{1}, nil, w, []int{1}, nil)
	})
	wa := IdentityWithCustomGradient(w, func(_, _ *Node) *Node {
		return DotGeneral(x, []int{0}, nil, dy, []int{0}, nil)
	})
	y0 := DotGeneral(StopGradient(x), []int{1}, nil, StopGradient(w), []int{0}, nil)
	// A zero-valued scalar that ties xa and wa into the graph so their
	// custom gradients run (after y's, which captures dy).
	tie := MulScalar(Add(ReduceAllSum(xa), ReduceAllSum(wa)), 0)
	return IdentityWithCustomGradient(Add(y0, tie), func(_, v *Node) *Node {
		dy = v
		return v
	})
}

// Pointwise applies a 1x1 convolution (no bias) from X's channels to cout.
func Pointwise(ctx *context.Context, x *Node, cout int) *Node {
	d := x.Shape().Dimensions
	cin := d[len(d)-1]
	w := weightVar(ctx, "w", heBound(cin), cin, cout).ValueGraph(x.Graph())
	rows := x.Shape().Size() / cin
	y := MatMulFast(Reshape(x, rows, cin), w)
	out := append([]int{}, d[:len(d)-1]...)
	return Reshape(y, append(out, cout)...)
}

// Dense is a fully connected layer with bias over x [N, In].
func Dense(ctx *context.Context, x *Node, out int) *Node {
	in := x.Shape().Dimensions[1]
	g := x.Graph()
	w := weightVar(ctx, "w", heBound(in), in, out).ValueGraph(g)
	b := weightVar(ctx, "b", heBound(in), out).ValueGraph(g)
	return Add(MatMulFast(x, w), InsertAxes(b, 0))
}

// BatchNorm normalises x over all axes but the last (channels), written from
// elementwise ops. In training mode (ctx.IsTraining) it uses batch
// statistics and, unless ParamBNUpdate is false, updates the running mean and
// (unbiased) variance variables "mean" and "var"; at inference it uses them.
// With affine it learns "gamma" and "beta" (DARTS search cells use
// affine=false).
func BatchNorm(ctx *context.Context, x *Node, affine bool) *Node {
	ctx = ctx.In("bn")
	g := x.Graph()
	d := x.Shape().Dimensions
	c := d[len(d)-1]
	axes := make([]int, len(d)-1)
	for i := range axes {
		axes[i] = i
	}
	rMean := constVar(ctx, "mean", 0, false, c)
	rVar := constVar(ctx, "var", 1, false, c)
	bshape := make([]int, len(d))
	for i := range bshape {
		bshape[i] = 1
	}
	bshape[len(d)-1] = c
	var mean, variance, xc *Node
	if ctx.IsTraining(g) {
		mean = ReduceAndKeep(x, ReduceMean, axes...)
		xc = Sub(x, mean) // shared by the variance and the output
		variance = ReduceAndKeep(Square(xc), ReduceMean, axes...)
		if context.GetGraphParamOr(ctx, g, ParamBNUpdate, true) {
			n := float64(x.Shape().Size() / c)
			m := Reshape(StopGradient(mean), c)
			unbiased := MulScalar(Reshape(StopGradient(variance), c), n/math.Max(n-1, 1))
			rMean.SetValueGraph(Add(MulScalar(rMean.ValueGraph(g), 1-BNMomentum), MulScalar(m, BNMomentum)))
			rVar.SetValueGraph(Add(MulScalar(rVar.ValueGraph(g), 1-BNMomentum), MulScalar(unbiased, BNMomentum)))
		}
	} else {
		mean = Reshape(rMean.ValueGraph(g), bshape...)
		variance = Reshape(rVar.ValueGraph(g), bshape...)
		xc = Sub(x, mean)
	}
	// One scale per channel, then a single broadcast multiply.
	y := Mul(xc, Inverse(Sqrt(AddScalar(variance, BNEpsilon))))
	if affine {
		gamma := constVar(ctx, "gamma", 1, true, c).ValueGraph(g)
		beta := constVar(ctx, "beta", 0, true, c).ValueGraph(g)
		y = Add(Mul(y, Reshape(gamma, bshape...)), Reshape(beta, bshape...))
	}
	return y
}

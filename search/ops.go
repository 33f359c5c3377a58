package search

import (
	"math"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// OpBuilder builds one candidate operation of an edge. x has c channels; the
// output has c channels and spatial size ceil(H/stride) x ceil(W/stride)
// (stride is 1 on normal edges, 2 on the input edges of a reduction cell).
// affine selects learnable BN scale/shift (false in the supernet as in DARTS,
// true in derived nets). Variables are created under ctx, which the caller
// scopes per edge and op.
type OpBuilder func(ctx *context.Context, x Feature, c, stride int, affine bool) Feature

// IsPool reports whether an op is a pooling op (the supernet follows those
// with a non-affine BN, as DARTS does; derived nets do not).
func IsPool(name string) bool { return name == OpAvgPool3 || name == OpMaxPool3 }

// Depthwise applies a k x k depthwise convolution (dilation dil, stride) to
// ReLU(x) when useRelu, else to x. Weight "dw" has shape [k*k, C].
func Depthwise(ctx *context.Context, x Feature, useRelu bool, k, dil, stride int) Feature {
	w := weightVar(ctx, "dw", heBound(k*k), k*k, x.C()).ValueGraph(x.X.Graph())
	return DepthwiseWith(x, useRelu, w, k, dil, stride)
}

// DepthwiseWith is Depthwise with the weights given as a [k*k, C] node.
//
// The forward pass is a multiply-and-sum over gathered patches. Its gradient
// is written by hand so that the patches ([Ho*Wo, k*k, N, C], k*k times the
// input) are not kept alive until the backward pass: dX scatters dY·w back
// onto the source rows, and dW re-gathers the patches once dY exists.
func DepthwiseWith(x Feature, useRelu bool, w *Node, k, dil, stride int) Feature {
	p, ho, wo := x.Patches(useRelu, k, dil, stride, 0) // [O, KK, N, C]
	src := x.PatchSource(useRelu, 0)
	idx := x.PatchTable(k, dil, stride)
	kk, c := k*k, x.C()
	var dy *Node // adjoint of the output [O, N, C], captured during back-propagation
	srcA := IdentityWithCustomGradient(src, func(_, _ *Node) *Node {
		dp := Mul(InsertAxes(dy, 1), Reshape(w, 1, kk, 1, c))
		return ScatterSum(ZerosLike(src), idx, dp, false, false)
	})
	wA := IdentityWithCustomGradient(w, func(_, _ *Node) *Node {
		return ReduceSum(Mul(Gather(after(src, dy), idx), InsertAxes(dy, 1)), 0, 2)
	})
	y0 := ReduceSum(Mul(StopGradient(p), Reshape(StopGradient(w), 1, kk, 1, c)), 1)
	tie := MulScalar(Add(ReduceAllSum(srcA), ReduceAllSum(wA)), 0)
	y := IdentityWithCustomGradient(Add(y0, tie), func(_, v *Node) *Node {
		dy = v
		return v
	})
	return NewFeature(y, ho, wo)
}

// after returns x plus a zero computed from dep, so that whatever reads it
// runs only once dep exists: a patch re-gather in a backward pass otherwise
// has all its inputs during the forward pass, and the engine would run it
// (and hold its k*k-times output) early.
func after(x, dep *Node) *Node { return Add(x, MulScalar(ReduceAllSum(dep), 0)) }

// AvgPoolSame is k x k average pooling with SAME padding, dividing by the number
// of valid cells.
func AvgPoolSame(x Feature, k, stride int) Feature {
	p, ho, wo := x.Patches(false, k, 1, stride, 0)
	y := Mul(ReduceSum(p, 1), validCounts(x.X.Graph(), x.H, x.W, k, stride))
	return NewFeature(y, ho, wo)
}

// MaxPoolSame is k x k max pooling with SAME padding (padding ignored). As in
// DepthwiseWith, the gradient is written by hand so that the patches are not
// kept for the backward pass: they are gathered again once dY exists, and dY
// flows to every window position equal to the maximum (GoMLX's rule).
func MaxPoolSame(x Feature, k, stride int) Feature {
	pad := float32(math.Inf(-1))
	p, ho, wo := x.Patches(false, k, 1, stride, pad)
	src := x.PatchSource(false, pad)
	idx := x.PatchTable(k, 1, stride)
	y0 := ReduceMax(StopGradient(p), 1) // [O, N, C]
	var dy *Node
	srcA := IdentityWithCustomGradient(src, func(_, _ *Node) *Node {
		atMax := NonNegativeIndicator(Sub(Gather(after(src, dy), idx), InsertAxes(y0, 1)))
		return ScatterSum(ZerosLike(src), idx, Mul(atMax, InsertAxes(dy, 1)), false, false)
	})
	// The tie reads one real row: the padding row is -Inf, and -Inf*0 is NaN.
	tie := MulScalar(ReduceAllSum(Gather(srcA, Const(src.Graph(), [][]int32{{0}}))), 0)
	y := IdentityWithCustomGradient(Add(y0, tie), func(_, v *Node) *Node {
		dy = v
		return v
	})
	return NewFeature(y, ho, wo)
}

func sepConv(k int) OpBuilder {
	return func(ctx *context.Context, x Feature, c, stride int, affine bool) Feature {
		a := Depthwise(ctx.In("dw1"), x, true, k, 1, stride)
		a = a.With(BatchNorm(ctx.In("bn1"), Pointwise(ctx.In("pw1"), a.X, c), affine))
		b := Depthwise(ctx.In("dw2"), a, true, k, 1, 1)
		return b.With(BatchNorm(ctx.In("bn2"), Pointwise(ctx.In("pw2"), b.X, c), affine))
	}
}

// dilConv is ReLU, k x k depthwise with dilation 2 (TensorFlow SAME at the
// given stride, read straight from the index table), 1x1, BN.
func dilConv(k int) OpBuilder {
	return func(ctx *context.Context, x Feature, c, stride int, affine bool) Feature {
		a := Depthwise(ctx.In("dw"), x, true, k, 2, stride)
		return a.With(BatchNorm(ctx, Pointwise(ctx.In("pw"), a.X, c), affine))
	}
}

// ReLUConvBN is ReLU, 1x1 convolution to c channels, BN (DARTS's cell
// preprocessing).
func ReLUConvBN(ctx *context.Context, x Feature, c int, affine bool) Feature {
	return x.With(BatchNorm(ctx, Pointwise(ctx.In("pw"), x.Relu(), c), affine))
}

// FactorizedReduce halves the spatial size: ReLU, then the first c/2 output
// channels are a 1x1 conv of the pixels (2i, 2j) and the other c - c/2 a 1x1
// conv of the pixels (2i+1, 2j+1) (i.e. a 2x2 stride-2 VALID conv using tap
// (0,0) or (1,1)), then BN.
func FactorizedReduce(ctx *context.Context, x Feature, c int, affine bool) Feature {
	g := x.X.Graph()
	r := x.Relu()
	src := Concatenate([]*Node{r, zeroRow(r)}, 0)
	ho, wo := OutSize(x.H, 2), OutSize(x.W, 2)
	var parts []*Node
	for i, off := range []int{0, 1} {
		idx := make([]int32, 0, ho*wo)
		for oy := 0; oy < ho; oy++ {
			for ox := 0; ox < wo; ox++ {
				iy, ix := 2*oy+off, 2*ox+off
				if iy >= x.H || ix >= x.W {
					idx = append(idx, int32(x.H*x.W))
				} else {
					idx = append(idx, int32(iy*x.W+ix))
				}
			}
		}
		p := Gather(src, ConstCachedTensor(g, tensors.FromFlatDataAndDimensions(idx, ho*wo, 1)))
		out := c / 2
		if i == 1 {
			out = c - c/2
		}
		parts = append(parts, Pointwise(ctx.Inf("conv%d", i+1), p, out))
	}
	return NewFeature(BatchNorm(ctx, Concatenate(parts, 2), affine), ho, wo)
}

// SqueezeExcite rescales channels: global mean -> FC(C/ratio) -> ReLU ->
// FC(C) -> sigmoid -> channel-wise scale of x.
func SqueezeExcite(ctx *context.Context, x Feature, ratio int) Feature {
	hidden := max(x.C()/ratio, 1)
	s := ReduceMean(x.X, 0) // [N, C]
	s = relu(Dense(ctx.In("fc1"), s, hidden))
	s = Sigmoid(Dense(ctx.In("fc2"), s, x.C()))
	return x.With(Mul(x.X, InsertAxes(s, 0)))
}

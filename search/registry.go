package search

import (
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// Candidate op names, in the canonical order of the alpha columns.
const (
	OpZero          = "zero"
	OpSkip          = "skip_connect"
	OpAvgPool3      = "avg_pool_3x3"
	OpMaxPool3      = "max_pool_3x3"
	OpSepConv3      = "sep_conv_3x3"
	OpSepConv5      = "sep_conv_5x5"
	OpDilConv3      = "dil_conv_3x3"
	OpDilConv5      = "dil_conv_5x5"
	OpConv1x1       = "conv_1x1"
	OpSqueezeExcite = "squeeze_excite"
)

// OpKind says how an op is built; package trainer lays out derived nets by
// kind, with the kernel size and dilation of the registry entry.
type OpKind string

// Op kinds.
const (
	KindZero          OpKind = "zero"
	KindSkip          OpKind = "skip"           // identity; FactorizedReduce at stride 2
	KindAvgPool       OpKind = "avg_pool"       // SAME, divides by valid cells
	KindMaxPool       OpKind = "max_pool"       // SAME
	KindSepConv       OpKind = "sep_conv"       // (ReLU, depthwise, 1x1, BN) twice
	KindDilConv       OpKind = "dil_conv"       // ReLU, dilated depthwise, 1x1, BN
	KindConv1x1       OpKind = "conv_1x1"       // ReLU, 1x1 (stride), BN
	KindSqueezeExcite OpKind = "squeeze_excite" // FactorizedReduce at stride 2, then SE (ratio 4)
)

// OpSpec is one entry of the op registry: the single definition of a
// candidate op used by the supernet (Build) and by package trainer's derived
// net (Kind, Kernel, Dilation).
type OpSpec struct {
	Name     string
	Kind     OpKind
	Kernel   int // spatial kernel side (0: none)
	Dilation int // depthwise dilation (1: none)
	Build    OpBuilder
}

// Registry lists every candidate op in canonical order (the alpha columns).
var Registry = []OpSpec{
	{OpZero, KindZero, 0, 1, func(_ *context.Context, x Feature, c, stride int, _ bool) Feature {
		ho, wo := OutSize(x.H, stride), OutSize(x.W, stride)
		return NewFeature(Zeros(x.X.Graph(), shapes.Make(x.X.DType(), ho*wo, x.N(), c)), ho, wo)
	}},
	{OpSkip, KindSkip, 0, 1, func(ctx *context.Context, x Feature, c, stride int, affine bool) Feature {
		if stride == 1 {
			return x
		}
		return FactorizedReduce(ctx, x, c, affine)
	}},
	{OpAvgPool3, KindAvgPool, 3, 1, func(_ *context.Context, x Feature, _, stride int, _ bool) Feature {
		return AvgPoolSame(x, 3, stride)
	}},
	{OpMaxPool3, KindMaxPool, 3, 1, func(_ *context.Context, x Feature, _, stride int, _ bool) Feature {
		return MaxPoolSame(x, 3, stride)
	}},
	{OpSepConv3, KindSepConv, 3, 1, sepConv(3)},
	{OpSepConv5, KindSepConv, 5, 1, sepConv(5)},
	{OpDilConv3, KindDilConv, 3, 2, dilConv(3)},
	{OpDilConv5, KindDilConv, 5, 2, dilConv(5)},
	{OpConv1x1, KindConv1x1, 1, 1, func(ctx *context.Context, x Feature, c, stride int, affine bool) Feature {
		if stride == 1 { // no gather needed
			return ReLUConvBN(ctx, x, c, affine)
		}
		p, ho, wo := x.Patches(true, 1, 1, stride, 0)
		y := Pointwise(ctx.In("pw"), Reshape(p, ho*wo, x.N(), x.C()), c)
		return NewFeature(BatchNorm(ctx, y, affine), ho, wo)
	}},
	{OpSqueezeExcite, KindSqueezeExcite, 0, 1, func(ctx *context.Context, x Feature, c, stride int, affine bool) Feature {
		if stride != 1 {
			x = FactorizedReduce(ctx.In("reduce"), x, c, affine)
		}
		return SqueezeExcite(ctx, x, 4)
	}},
}

// OpNames lists every registered op in canonical order.
var OpNames = func() []string {
	names := make([]string, len(Registry))
	for i, s := range Registry {
		names[i] = s.Name
	}
	return names
}()

// Ops maps an op name to its builder (from Registry).
var Ops = func() map[string]OpBuilder {
	m := make(map[string]OpBuilder, len(Registry))
	for _, s := range Registry {
		m[s.Name] = s.Build
	}
	return m
}()

// LookupOp returns the registry entry of an op.
func LookupOp(name string) (OpSpec, bool) {
	for _, s := range Registry {
		if s.Name == name {
			return s, true
		}
	}
	return OpSpec{}, false
}

// DerivedOps lists the ops a derived net can contain: every registered op
// but zero (a zero edge is simply left out).
func DerivedOps() []string {
	var out []string
	for _, s := range Registry {
		if s.Kind != KindZero {
			out = append(out, s.Name)
		}
	}
	return out
}

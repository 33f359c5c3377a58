package search

import (
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// NumEdges is the number of edges of a supernet cell with n intermediate
// nodes (node i has 2+i inputs).
func NumEdges(n int) int { return n * (n + 3) / 2 }

// EdgeRow is the alpha row of the edge from state input to node (DARTS order).
func EdgeRow(node, input int) int { return node*(node+3)/2 + input }

// Preprocess applies DARTS's cell input preprocessing: s0 goes through a
// factorised reduce when the previous cell was a reduction, else ReLUConvBN
// 1x1; s1 through ReLUConvBN 1x1. Both end with c channels.
func Preprocess(ctx *context.Context, s0, s1 Feature, c int, reductionPrev, affine bool) (Feature, Feature) {
	if reductionPrev {
		s0 = FactorizedReduce(ctx.In("pre0"), s0, c, affine)
	} else {
		s0 = ReLUConvBN(ctx.In("pre0"), s0, c, affine)
	}
	return s0, ReLUConvBN(ctx.In("pre1"), s1, c, affine)
}

func strideOf(reduction bool, input int) int {
	if reduction && input < 2 {
		return 2
	}
	return 1
}

// MixedOp is one supernet edge: sum over ops of weights[k]·op_k(x), where
// weights is a [len(ops)] node (softmax of the edge's alpha row). zero is
// skipped (it adds nothing) and pools get a non-affine BN as in DARTS.
func MixedOp(ctx *context.Context, x Feature, weights *Node, ops []string, c, stride int) Feature {
	var sum *Node
	var out Feature
	for k, name := range ops {
		if name == OpZero {
			continue
		}
		octx := ctx.In(name)
		y := Ops[name](octx, x, c, stride, false)
		if IsPool(name) {
			y = y.With(BatchNorm(octx, y.X, false))
		}
		wk := Reshape(pick(weights, k), 1, 1, 1)
		term := Mul(y.X, wk)
		if sum == nil {
			sum, out = term, y
		} else {
			sum = Add(sum, term)
		}
	}
	if sum == nil { // only zero
		return Ops[OpZero](ctx, x, c, stride, false)
	}
	return out.With(sum)
}

// BuildMixedCell builds a supernet cell with n intermediate nodes. weights is
// the [NumEdges(n), len(ops)] softmax of the cell type's alphas. The output
// concatenates the n intermediate nodes (n*c channels).
func BuildMixedCell(ctx *context.Context, s0, s1 Feature, weights *Node, ops []string, n, c int, reduction, reductionPrev bool) Feature {
	s0, s1 = Preprocess(ctx, s0, s1, c, reductionPrev, false)
	states := []Feature{s0, s1}
	for i := range n {
		var sum *Node
		var out Feature
		for j := range states {
			row := Reshape(pick(weights, EdgeRow(i, j)), len(ops))
			y := MixedOp(ctx.Inf("edge_%d_%d", i, j), states[j], row, ops, c, strideOf(reduction, j))
			if sum == nil {
				sum, out = y.X, y
			} else {
				sum = Add(sum, y.X)
			}
		}
		states = append(states, out.With(sum))
	}
	return concatStates(states[2:])
}

func concatStates(states []Feature) Feature {
	xs := make([]*Node, len(states))
	for i, s := range states {
		xs[i] = s.X
	}
	if len(xs) == 1 {
		return states[0]
	}
	return states[0].With(Concatenate(xs, 2))
}

// pick returns x[i] (keeping a leading axis of 1) as a Gather, whose gradient
// the pure-Go backend supports (Slice's needs Pad).
func pick(x *Node, i int) *Node {
	return Gather(x, Const(x.Graph(), [][]int32{{int32(i)}}))
}

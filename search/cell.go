package search

import (
	"fmt"

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

// BuildCell builds a derived (discrete) cell from spec: node i is the sum of
// its kept edges; nodes with no edge are not computed. The output
// concatenates spec.Concat (len(spec.Concat)*c channels).
func BuildCell(ctx *context.Context, s0, s1 Feature, spec CellSpec, c int, reduction, reductionPrev, affine bool) (Feature, error) {
	s0, s1 = Preprocess(ctx, s0, s1, c, reductionPrev, affine)
	states := map[int]Feature{0: s0, 1: s1}
	nodes := 0
	for _, e := range spec.Edges {
		nodes = max(nodes, e.Node+1)
	}
	for i := range nodes {
		var sum *Node
		var out Feature
		for _, e := range spec.Edges {
			if e.Node != i {
				continue
			}
			in, ok := states[e.Input]
			if !ok {
				return Feature{}, fmt.Errorf("search: cell node %d reads state %d, which has no edge", i, e.Input)
			}
			build, ok := Ops[e.Op]
			if !ok {
				return Feature{}, fmt.Errorf("search: unknown op %q", e.Op)
			}
			y := build(ctx.Inf("edge_%d_%d", i, e.Input).In(e.Op), in, c, strideOf(reduction, e.Input), affine)
			if sum == nil {
				sum, out = y.X, y
			} else {
				sum = Add(sum, y.X)
			}
		}
		if sum != nil {
			states[2+i] = out.With(sum)
		}
	}
	var outs []Feature
	for _, k := range spec.Concat {
		s, ok := states[k]
		if !ok {
			return Feature{}, fmt.Errorf("search: concat state %d has no edge", k)
		}
		outs = append(outs, s)
	}
	if len(outs) == 0 {
		return Feature{}, fmt.Errorf("search: empty cell concat")
	}
	return concatStates(outs), nil
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

package trainer

import (
	"fmt"
	"slices"

	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/trapnet/trapnet/ir"
)

func numElements(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// constShapes lists every constant the plan's graph reads, with its shape.
func (p *Plan) constShapes() map[string][]int {
	out := map[string][]int{}
	for name, pr := range p.params {
		if !pr.aux {
			out[name] = pr.shape
		}
	}
	for _, n := range p.Graph.Nodes {
		if n.Op == ir.BatchNorm {
			c := channels(p.shapes[n.Inputs[0]])
			for _, in := range n.Inputs[1:] {
				out[in] = []int{c}
			}
		}
	}
	return out
}

// withConsts returns a copy of the plan's graph whose constants come from
// fetch, validated.
func (p *Plan) withConsts(fetch func(name string, shape []int) ([]float32, error)) (*ir.Graph, error) {
	g := *p.Graph
	g.Nodes = make([]*ir.Node, len(p.Graph.Nodes))
	for i, n := range p.Graph.Nodes {
		c := *n
		c.Inputs = slices.Clone(n.Inputs)
		g.Nodes[i] = &c
	}
	g.Consts = map[string]*ir.Tensor{}
	for name, shape := range p.constShapes() {
		data, err := fetch(name, shape)
		if err != nil {
			return nil, err
		}
		if len(data) != numElements(shape) {
			return nil, fmt.Errorf("constant %q: %d values for shape %v", name, len(data), shape)
		}
		g.Consts[name] = &ir.Tensor{Shape: slices.Clone(shape), Data: data}
	}
	for name, t := range p.fixed {
		g.Consts[name] = t.Clone()
	}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	return &g, nil
}

// bnVar returns the context variable holding a batch-norm constant
// ("node/gamma" etc.; see search.BatchNorm's variable names).
func bnVar(ctx *context.Context, constName string) *context.Variable {
	for i := len(constName) - 1; i >= 0; i-- {
		if constName[i] == '/' {
			scope := ctx.In(netScope).In(varName(constName[:i])).In("bn")
			return scope.GetVariableByScopeAndName(scope.Scope(), constName[i+1:])
		}
	}
	return nil
}

// Export returns the trained network as an ir graph with its weights read
// from ctx (factorised-reduce masks applied).
func (p *Plan) Export(ctx *context.Context) (*ir.Graph, error) {
	g, err := p.withConsts(func(name string, shape []int) ([]float32, error) {
		var v *context.Variable
		if pr, ok := p.params[name]; ok {
			_ = pr
			s := ctx.In(netScope)
			v = s.GetVariableByScopeAndName(s.Scope(), varName(name))
		} else {
			v = bnVar(ctx, name)
		}
		if v == nil {
			return nil, fmt.Errorf("export: no trained variable for %q (was the network built?)", name)
		}
		t, err := v.Value()
		if err != nil {
			return nil, fmt.Errorf("export %q: %w", name, err)
		}
		data := slices.Clone(tensors.MustCopyFlatData[float32](t))
		if pr, ok := p.params[name]; ok && pr.mask != nil {
			for i := range data {
				data[i] *= pr.mask[i]
			}
		}
		return data, nil
	})
	if err != nil {
		return nil, err
	}
	return g, g.CheckModelIO()
}

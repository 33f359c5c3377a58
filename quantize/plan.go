package quantize

import (
	"fmt"

	"github.com/trapnet/trapnet/ir"
)

// plan is the lowering decided before emitting: which ReLUs fuse into their
// producer, and (int8) the parameters of every activation tensor.
type plan struct {
	// fused maps a node whose output feeds only a ReLU to that ReLU; the
	// node is emitted with a fused RELU activation writing the ReLU's output.
	fused map[*ir.Node]*ir.Node
	// skip holds the ReLU nodes absorbed that way.
	skip map[*ir.Node]bool
	// params are the int8 parameters per materialised tensor name.
	params map[string]Params
}

// fusable ops accept a fused activation in TFLite.
func fusable(op ir.Op) bool {
	switch op {
	case ir.Conv2D, ir.DepthwiseConv2D, ir.FullyConnected, ir.Add, ir.Mul:
		return true
	}
	return false
}

func newPlan(g *ir.Graph) *plan {
	p := &plan{fused: map[*ir.Node]*ir.Node{}, skip: map[*ir.Node]bool{}}
	for _, n := range g.Nodes {
		if !fusable(n.Op) || g.IsOutput(n.Output) {
			continue
		}
		if c := g.Consumers(n.Output); len(c) == 1 && c[0].Op == ir.ReLU {
			p.fused[n] = c[0]
			p.skip[c[0]] = true
		}
	}
	return p
}

// output is the name of the tensor node n writes after fusion.
func (p *plan) output(n *ir.Node) string {
	if r := p.fused[n]; r != nil {
		return r.Output
	}
	return n.Output
}

// unionFind groups tensor names that must share quantisation parameters.
type unionFind map[string]string

func (u unionFind) find(x string) string {
	for {
		p, ok := u[x]
		if !ok || p == x {
			return x
		}
		if gp, ok := u[p]; ok {
			u[x] = gp // path halving
		}
		x = p
	}
}

func (u unionFind) union(a, b string) {
	if ra, rb := u.find(a), u.find(b); ra != rb {
		u[ra] = rb
	}
}

// quantParams decides int8 parameters for every materialised activation:
//
//   - each tensor starts from its calibrated range, widened to include 0;
//   - AVERAGE_POOL_2D, MAX_POOL_2D and RESHAPE outputs share their input's
//     parameters, and all CONCATENATION inputs share the output's (as
//     TFLite's int8 kernels require): such groups get the union of their
//     members' ranges;
//   - LOGISTIC and SOFTMAX outputs are fixed at scale 1/256, zero point -128
//     (a group containing one takes those).
func (p *plan) quantParams(g *ir.Graph, ranges map[string]Range, extra []string) error {
	var names []string
	for _, in := range g.Inputs {
		names = append(names, in.Name)
	}
	u := unionFind{}
	fixed := map[string]bool{}
	for _, n := range g.Nodes {
		if p.skip[n] {
			continue
		}
		out := p.output(n)
		names = append(names, out)
		switch n.Op {
		case ir.AvgPool, ir.MaxPool, ir.Reshape:
			u.union(n.Inputs[0], out)
		case ir.Concat:
			for _, in := range n.Inputs {
				u.union(in, out)
			}
		case ir.Sigmoid, ir.Softmax:
			fixed[out] = true
		}
	}
	names = append(names, extra...)
	for _, e := range extra {
		fixed[e] = true
	}
	group := map[string]Range{}
	groupFixed := map[string]bool{}
	for _, name := range names {
		if fixed[name] {
			groupFixed[u.find(name)] = true
			continue
		}
		r, ok := ranges[name]
		if !ok {
			return fmt.Errorf("quantize: no calibration range for tensor %q (calibrate the folded graph)", name)
		}
		root := u.find(name)
		if old, seen := group[root]; seen {
			r = Range{Min: min(old.Min, r.Min), Max: max(old.Max, r.Max)}
		}
		group[root] = r
	}
	p.params = make(map[string]Params, len(names))
	for _, name := range names {
		root := u.find(name)
		if groupFixed[root] {
			p.params[name] = probParams
			continue
		}
		r := group[root]
		p.params[name] = FromRange(r.Min, r.Max)
	}
	return nil
}

package search

import (
	"strings"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// Optimiser state scopes.
const (
	weightOptScope = "/opt_w"
	archOptScope   = "/opt_a"
)

// isArch reports whether v is an architecture parameter.
func isArch(v *context.Variable) bool {
	return v.Scope() == ArchScope || strings.HasPrefix(v.Scope(), ArchScope+"/")
}

// splitVars returns the trainable weight and architecture variables.
func splitVars(ctx *context.Context) (weights, arch []*context.Variable) {
	for v := range ctx.IterVariables() {
		if !v.Trainable || strings.HasPrefix(v.Scope(), "/opt_") {
			continue
		}
		if isArch(v) {
			arch = append(arch, v)
		} else {
			weights = append(weights, v)
		}
	}
	return weights, arch
}

// stateVar returns a zero-initialised, non-trainable optimiser slot for v.
func stateVar(ctx *context.Context, scope string, v *context.Variable, slot string) *context.Variable {
	sctx := ctx.InAbsPath(scope + v.Scope()).Checked(false)
	return constVar(sctx, v.Name()+"_"+slot, 0, false, v.Shape().Dimensions...)
}

// globalNorm is sqrt(sum of squares) over all nodes.
func globalNorm(xs []*Node) *Node {
	var s *Node
	for _, x := range xs {
		t := ReduceAllSum(Square(x))
		if s == nil {
			s = t
		} else {
			s = Add(s, t)
		}
	}
	return Sqrt(s)
}

// clipByGlobalNorm scales grads so their global norm is at most maxNorm
// (PyTorch's clip_grad_norm_).
func clipByGlobalNorm(grads []*Node, maxNorm float64) []*Node {
	if maxNorm <= 0 {
		return grads
	}
	norm := globalNorm(grads)
	scale := MinScalar(Div(Scalar(norm.Graph(), norm.DType(), maxNorm), AddScalar(norm, 1e-6)), 1.0)
	out := make([]*Node, len(grads))
	for i, g := range grads {
		out[i] = Mul(g, scale)
	}
	return out
}

// sgdStep applies PyTorch's SGD with momentum and L2 weight decay to vars,
// given their (clipped) gradients and the learning rate node.
func sgdStep(ctx *context.Context, vars []*context.Variable, grads []*Node, lr *Node, momentum, wd float64) {
	for i, v := range vars {
		g := lr.Graph()
		w := v.ValueGraph(g)
		grad := Add(grads[i], MulScalar(w, wd))
		buf := stateVar(ctx, weightOptScope, v, "momentum")
		nb := Add(MulScalar(buf.ValueGraph(g), momentum), grad)
		buf.SetValueGraph(StopGradient(nb))
		v.SetValueGraph(StopGradient(Sub(w, Mul(nb, lr))))
	}
}

// adamStep applies PyTorch's Adam (L2 weight decay added to the gradient)
// to vars; t is the 1-based step number (float scalar node).
func adamStep(ctx *context.Context, vars []*context.Variable, grads []*Node, t *Node, lr, b1, b2, wd float64) {
	g := t.Graph()
	bc1 := OneMinus(Pow(Scalar(g, t.DType(), b1), t))
	bc2 := OneMinus(Pow(Scalar(g, t.DType(), b2), t))
	for i, v := range vars {
		a := v.ValueGraph(g)
		grad := Add(grads[i], MulScalar(a, wd))
		m := stateVar(ctx, archOptScope, v, "m")
		s := stateVar(ctx, archOptScope, v, "v")
		nm := Add(MulScalar(m.ValueGraph(g), b1), MulScalar(grad, 1-b1))
		ns := Add(MulScalar(s.ValueGraph(g), b2), MulScalar(Square(grad), 1-b2))
		m.SetValueGraph(StopGradient(nm))
		s.SetValueGraph(StopGradient(ns))
		step := Div(Div(nm, bc1), AddScalar(Sqrt(Div(ns, bc2)), 1e-8))
		// Updated values are new leaves: later gradients must not flow back
		// through this step (PyTorch updates parameters in place).
		v.SetValueGraph(StopGradient(Sub(a, MulScalar(step, lr))))
	}
}

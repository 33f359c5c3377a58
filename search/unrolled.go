package search

import (
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// unrolledArchGrads computes DARTS's second-order architecture gradient.
// The hypothetical forward passes do not update BN running statistics.
func (a *Architect) unrolledArchGrads(ctx *context.Context, in []*Node, lr *Node) (valLoss, valAcc *Node, grads []*Node) {
	ti, tm, tl, vi, vm, vl, cw := in[0], in[1], in[2], in[3], in[4], in[5], in[7]
	g := ti.Graph()
	ctx.SetGraphParam(g, ParamBNUpdate, false)
	defer ctx.SetGraphParam(g, ParamBNUpdate, true)
	arch := a.alpha[:]

	l0, _ := a.lossAcc(ctx, ti, tm, tl, cw) // creates the variables on first build
	weights, _ := splitVars(ctx)
	w := nodesOf(g, weights)
	dw := Gradient(l0, w...)
	unrolled := a.unrolledWeights(ctx, weights, w, dw, lr)
	setAll(weights, unrolled)
	valLoss, valAcc = a.lossAcc(ctx, vi, vm, vl, cw)
	all := Gradient(valLoss, append(nodesOf(g, arch), unrolled...)...)
	dAlpha, dUnrolled := all[:len(arch)], all[len(arch):]
	eps := Div(Scalar(g, dtypes.Float32, 0.01), AddScalar(globalNorm(dUnrolled), 1e-12))

	shifted := func(sign float64) []*Node {
		ws := make([]*Node, len(w))
		for i := range w {
			ws[i] = Identity(StopGradient(Add(w[i], MulScalar(Mul(dUnrolled[i], eps), sign))))
		}
		setAll(weights, ws)
		l, _ := a.lossAcc(ctx, ti, tm, tl, cw)
		return Gradient(l, nodesOf(g, arch)...)
	}
	gp, gn := shifted(1), shifted(-1)
	setAll(weights, w)
	grads = make([]*Node, len(arch))
	for i := range arch {
		hvp := Div(Sub(gp[i], gn[i]), MulScalar(eps, 2))
		grads[i] = Sub(dAlpha[i], Mul(hvp, lr))
	}
	return valLoss, valAcc, grads
}

// unrolledWeights is DARTS's one-step look-ahead w' = w − ξ·(μ·m + ∇w +
// λ·w) (ξ = lr, m the momentum buffer), each a leaf as DARTS copies w' into a
// new model.
func (a *Architect) unrolledWeights(ctx *context.Context, weights []*context.Variable, w, dw []*Node, lr *Node) []*Node {
	g := lr.Graph()
	unrolled := make([]*Node, len(w))
	for i, v := range weights {
		buf := stateVar(ctx, weightOptScope, v, "momentum").ValueGraph(g)
		step := Add(Add(MulScalar(buf, a.Opt.Momentum), dw[i]), MulScalar(w[i], a.Opt.WeightDecay))
		unrolled[i] = Identity(StopGradient(Sub(w[i], Mul(step, lr))))
	}
	return unrolled
}

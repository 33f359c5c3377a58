package search

import (
	"math"
	"sort"
	"testing"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// TestSecondOrderMatchesUnrolledObjective checks the --second-order
// architecture gradient against the quantity it approximates: the
// derivative with respect to alpha of DARTS's unrolled objective
//
//	F(α) = L_val(w − ξ·(μ·m + ∇w L_train(w, α) + λ·w), α),
//
// taken by central finite differences on F itself. The first-order
// shortcut (∂α L_val at the unrolled weights, no Hessian term) is measured
// the same way: the second-order gradient must be close to F's slope and
// clearly closer than the shortcut (ξ is large here so the Hessian term
// matters).
func TestSecondOrderMatchesUnrolledObjective(t *testing.T) {
	net := NetConfig{Classes: 3, MetaDim: 2, Channels: 4, Cells: 1, Nodes: 2, FusionHidden: 8, MetaHidden: 4,
		Ops: []string{OpZero, OpSkip, OpAvgPool3, OpSepConv3, OpConv1x1}}
	src := newMemSource(11, 2, 6, 8, 3, 2)
	opt := DefaultOptConfig()
	opt.SecondOrder = true
	ctx := context.New()
	ctx.SetParam(ParamSeed, 5)
	be := testBackend(t)
	a, err := NewArchitect(be, ctx, net, opt, 8, nil)
	if err != nil {
		t.Fatal(err)
	}
	// One real pair step creates the variables and a non-zero momentum.
	if _, err := a.Step(src.batches[0], src.batches[1], 0.025); err != nil {
		t.Fatal(err)
	}
	const xi = 0.5
	var args []any
	for _, b := range src.batches {
		img, meta, lab, err := a.tensors(b)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, img, meta, lab)
	}
	args = append(args, float32(xi), a.cw)

	// The Architect's second-order gradient (before Adam).
	gradExec, err := context.NewExec(be, a.ctx, func(ctx *context.Context, in []*Node) []*Node {
		ctx.SetTraining(in[0].Graph(), true)
		_, _, grads := a.unrolledArchGrads(ctx, in, in[6])
		return grads
	})
	if err != nil {
		t.Fatal(err)
	}
	// F(α) and the first-order shortcut ∂α L_val(w', α).
	objExec, err := context.NewExec(be, a.ctx, func(ctx *context.Context, in []*Node) []*Node {
		ti, tm, tl, vi, vm, vl, lr, cw := in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7]
		g := ti.Graph()
		ctx.SetTraining(g, true)
		ctx.SetGraphParam(g, ParamBNUpdate, false)
		l0, _ := a.lossAcc(ctx, ti, tm, tl, cw)
		weights, _ := splitVars(ctx)
		w := nodesOf(g, weights)
		dw := Gradient(l0, w...)
		setAll(weights, a.unrolledWeights(ctx, weights, w, dw, lr))
		lv, _ := a.lossAcc(ctx, vi, vm, vl, cw)
		shortcut := Gradient(lv, nodesOf(g, a.alpha[:])...)
		setAll(weights, w) // leave the weights as they were
		return append([]*Node{lv}, shortcut...)
	})
	if err != nil {
		t.Fatal(err)
	}
	gv, err := gradExec.Exec(args...)
	if err != nil {
		t.Fatal(err)
	}
	second := tensors.MustCopyFlatData[float32](gv[0]) // normal-cell alphas
	ov, err := objExec.Exec(args...)
	if err != nil {
		t.Fatal(err)
	}
	shortcut := tensors.MustCopyFlatData[float32](ov[1])

	alphaT, err := a.alpha[0].Value()
	if err != nil {
		t.Fatal(err)
	}
	alpha0 := tensors.MustCopyFlatData[float32](alphaT)
	dims := alphaT.Shape().Dimensions
	objective := func(j int, delta float32) float64 {
		al := append([]float32(nil), alpha0...)
		al[j] += delta
		if err := a.alpha[0].SetValue(tensors.FromFlatDataAndDimensions(al, dims...)); err != nil {
			t.Fatal(err)
		}
		out, err := objExec.Exec(args...)
		if err != nil {
			t.Fatal(err)
		}
		return float64(tensors.ToScalar[float32](out[0]))
	}
	// The coordinates where the second-order and shortcut gradients differ
	// most: where the Hessian term is largest.
	order := make([]int, len(second))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool {
		return math.Abs(float64(second[order[i]]-shortcut[order[i]])) > math.Abs(float64(second[order[j]]-shortcut[order[j]]))
	})
	const h = 2e-2
	var errSecond, errShortcut, norm float64
	for _, j := range order[:6] {
		fd := (objective(j, h) - objective(j, -h)) / (2 * h)
		t.Logf("alpha[%d]: finite-diff %.5f, second-order %.5f, first-order shortcut %.5f", j, fd, second[j], shortcut[j])
		errSecond += math.Pow(float64(second[j])-fd, 2)
		errShortcut += math.Pow(float64(shortcut[j])-fd, 2)
		norm += fd * fd
	}
	if err := a.alpha[0].SetValue(tensors.FromFlatDataAndDimensions(alpha0, dims...)); err != nil {
		t.Fatal(err)
	}
	errSecond, errShortcut, norm = math.Sqrt(errSecond), math.Sqrt(errShortcut), math.Sqrt(norm)
	t.Logf("relative error: second-order %.3f, first-order shortcut %.3f", errSecond/norm, errShortcut/norm)
	if errSecond > 0.15*norm {
		t.Errorf("second-order gradient is %.1f%% off the unrolled objective's slope", 100*errSecond/norm)
	}
	if errSecond > 0.5*errShortcut {
		t.Errorf("second-order error %.3g is not clearly below the first-order shortcut's %.3g", errSecond, errShortcut)
	}
}

package search

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"

	"github.com/gomlx/gomlx/backends"
	_ "github.com/gomlx/gomlx/backends/simplego"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

var (
	testBackendOnce sync.Once
	testBackendVal  backends.Backend
)

func testBackend(t testing.TB) backends.Backend {
	testBackendOnce.Do(func() {
		b, err := backends.NewWithConfig("go:parallelism=-1")
		if err != nil {
			t.Fatal(err)
		}
		testBackendVal = b
	})
	return testBackendVal
}

func randTensor(r *rand.Rand, dims ...int) *tensors.Tensor {
	n := 1
	for _, d := range dims {
		n *= d
	}
	data := make([]float32, n)
	for i := range data {
		data[i] = float32(r.NormFloat64())
	}
	return tensors.FromFlatDataAndDimensions(data, dims...)
}

// gradCheck builds loss = sum(f(x) * R) for a fixed random R, and compares
// the analytic gradient with respect to x and to every trainable
// variable against central finite differences at a few coordinates.
func gradCheck(t *testing.T, dims []int, f func(ctx *context.Context, x *Node) *Node) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	ctx := context.New().Checked(false)
	ctx.SetParam(ParamSeed, 7)
	var vars []*context.Variable
	exec, err := context.NewExec(testBackend(t), ctx, func(ctx *context.Context, x *Node) []*Node {
		ctx.SetTraining(x.Graph(), true)
		y := f(ctx, x)
		rr := rand.New(rand.NewPCG(3, 4))
		proj := randTensor(rr, y.Shape().Dimensions...)
		loss := ReduceAllSum(Mul(y, Const(x.Graph(), proj)))
		vars = nil
		for v := range ctx.IterVariables() {
			if v.Trainable {
				vars = append(vars, v)
			}
		}
		sort.Slice(vars, func(i, j int) bool { return vars[i].ScopeAndName() < vars[j].ScopeAndName() })
		wrt := []*Node{x}
		for _, v := range vars {
			wrt = append(wrt, v.ValueGraph(x.Graph()))
		}
		return append([]*Node{loss}, Gradient(loss, wrt...)...)
	})
	if err != nil {
		t.Fatal(err)
	}
	x := randTensor(r, dims...)
	out, err := exec.Exec(x)
	if err != nil {
		t.Fatal(err)
	}
	lossAt := func(xt *tensors.Tensor) float64 {
		o, err := exec.Exec(xt)
		if err != nil {
			t.Fatal(err)
		}
		return float64(tensors.ToScalar[float32](o[0]))
	}
	const h = 5e-4
	check := func(name string, grad *tensors.Tensor, perturb func(i int, d float32)) {
		g := tensors.MustCopyFlatData[float32](grad)
		for trial := 0; trial < 3; trial++ {
			i := r.IntN(len(g))
			perturb(i, h)
			lp := lossAt(x)
			perturb(i, -2*h)
			lm := lossAt(x)
			perturb(i, h)
			fd := (lp - lm) / (2 * h)
			if diff := math.Abs(fd - float64(g[i])); diff > 3e-2+5e-2*math.Abs(fd) {
				t.Errorf("%s[%d]: analytic %.5f, finite difference %.5f", name, i, g[i], fd)
			}
		}
	}
	xs := tensors.MustCopyFlatData[float32](x)
	check("d/dx", out[1], func(i int, d float32) {
		xs[i] += d
		x = tensors.FromFlatDataAndDimensions(append([]float32(nil), xs...), dims...)
	})
	for k, v := range vars {
		ws := tensors.MustCopyFlatData[float32](v.MustValue())
		wd := v.Shape().Dimensions
		check("d/d"+v.ScopeAndName(), out[2+k], func(i int, d float32) {
			ws[i] += d
			if err := v.SetValue(tensors.FromFlatDataAndDimensions(append([]float32(nil), ws...), wd...)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestOpGradients(t *testing.T) {
	for _, name := range OpNames {
		for _, stride := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/s%d", name, stride), func(t *testing.T) {
				if name == OpZero || (name == OpSkip && stride == 1) {
					t.Skip("no gradient to check")
				}
				gradCheck(t, []int{2, 6, 6, 4}, func(ctx *context.Context, x *Node) *Node {
					f := FromNHWC(x)
					return Ops[name](ctx, f, 4, stride, true).X
				})
			})
		}
	}
}

func TestBlockGradients(t *testing.T) {
	cases := []struct {
		name string
		dims []int
		f    func(ctx *context.Context, x *Node) *Node
	}{
		{"stem", []int{2, 4, 4, 3}, func(ctx *context.Context, x *Node) *Node { return Stem(ctx, x, 4).X }},
		{"matmul", []int{5, 3}, func(ctx *context.Context, x *Node) *Node { return Dense(ctx, x, 4) }},
		{"fusion_gated", []int{3, 4}, func(ctx *context.Context, x *Node) *Node {
			return Fusion(ctx, x, MulScalar(x, 2), FusionGated, 6, 3)
		}},
		{"mixed_cell", []int{2, 4, 4, 4}, func(ctx *context.Context, x *Node) *Node {
			f := FromNHWC(x)
			ops := []string{OpZero, OpSkip, OpMaxPool3, OpSepConv3}
			w := Softmax(Const(x.Graph(), [][]float32{{1, 2, 3, 4}, {4, 3, 2, 1}, {0, 1, 0, 1}, {1, 1, 1, 1}, {2, 0, 1, 3}}), -1)
			return BuildMixedCell(ctx, f, f, w, ops, 2, 4, true, false).X
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { gradCheck(t, c.dims, c.f) })
	}
}

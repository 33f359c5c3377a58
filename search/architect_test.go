package search

import (
	"math"
	"testing"

	"github.com/gomlx/gomlx/pkg/ml/context"
)

// TestArchitectOrders runs two pair steps first- and second-order from the
// same initialisation: losses are finite, alphas move, and the unrolled
// (second-order) gradient gives a different alpha update.
func TestArchitectOrders(t *testing.T) {
	net := NetConfig{Classes: 3, MetaDim: 2, Channels: 4, Cells: 3, Nodes: 2, FusionHidden: 8, MetaHidden: 4,
		Ops: []string{OpZero, OpSkip, OpMaxPool3, OpSepConv3, OpDilConv3}}
	src := newMemSource(5, 2, 4, 8, 3, 2)
	alphas := map[bool][][]float64{}
	for _, second := range []bool{false, true} {
		opt := DefaultOptConfig()
		opt.SecondOrder = second
		opt.ArchLR = 1e-2
		ctx := context.New()
		ctx.SetParam(ParamSeed, 3)
		a, err := NewArchitect(testBackend(t), ctx, net, opt, 8, []float32{1, 2, 0.5})
		if err != nil {
			t.Fatal(err)
		}
		init, _, _ := a.Alphas()
		for range 2 {
			r, err := a.Step(src.batches[0], src.batches[1], 0.025)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range []float64{r.TrainLoss, r.ValLoss, r.TrainAcc, r.ValAcc} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("second=%v: non-finite result %+v", second, r)
				}
			}
		}
		an, _, _ := a.Alphas()
		if d := maxAbsDiff(init, an); d < 1e-4 {
			t.Errorf("second=%v: alphas moved only %g", second, d)
		}
		alphas[second] = an
	}
	if d := maxAbsDiff(alphas[false], alphas[true]); d < 1e-7 {
		t.Errorf("second-order alphas equal first-order ones (diff %g)", d)
	}
}

func maxAbsDiff(a, b [][]float64) float64 {
	m := 0.0
	for i := range a {
		for j := range a[i] {
			m = math.Max(m, math.Abs(a[i][j]-b[i][j]))
		}
	}
	return m
}

func TestBatchErrors(t *testing.T) {
	net := NetConfig{Classes: 3, MetaDim: 2, Channels: 4, Cells: 1, Nodes: 1, Ops: []string{OpZero, OpSkip}}
	a, err := NewArchitect(testBackend(t), context.New(), net, DefaultOptConfig(), 8, nil)
	if err != nil {
		t.Fatal(err)
	}
	good := newMemSource(1, 1, 2, 8, 3, 2).batches[0]
	cases := []struct {
		name string
		b    Batch
	}{
		{"short images", Batch{N: 2, Images: good.Images[:10], Meta: good.Meta, Labels: good.Labels}},
		{"bad label", Batch{N: 2, Images: good.Images, Meta: good.Meta, Labels: []int32{0, 7}}},
		{"short meta", Batch{N: 2, Images: good.Images, Meta: good.Meta[:1], Labels: good.Labels}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := a.Step(&c.b, good, 0.01); err == nil {
				t.Error("want an error")
			}
		})
	}
	if _, err := NewArchitect(testBackend(t), context.New(), NetConfig{Classes: 1, Channels: 4, Cells: 1, Nodes: 1}, DefaultOptConfig(), 8, nil); err == nil {
		t.Error("want an error for 1 class")
	}
}

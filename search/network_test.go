package search

import (
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

func TestDerivedNetTrainAndInfer(t *testing.T) {
	a := alphaFor(OpNames, 2, map[[2]int]string{{0, 0}: OpSqueezeExcite, {0, 1}: OpDilConv5, {1, 2}: OpAvgPool3}, OpZero)
	geno, err := Derive(OpNames, 2, a, a, DefaultDeriveOptions())
	if err != nil {
		t.Fatal(err)
	}
	cfg := NetConfig{Classes: 5, MetaDim: 3, Channels: 4, Cells: 3, Fusion: FusionGated}
	ctx := context.New()
	r := rand.New(rand.NewPCG(1, 1))
	img, meta := randTensor(r, 2, 8, 8, 3), randTensor(r, 2, 3)
	for _, training := range []bool{true, false} {
		out, err := context.ExecOnce(testBackend(t), ctx, func(ctx *context.Context, img, meta *Node) *Node {
			ctx.SetTraining(img.Graph(), training)
			logits, err := DerivedNet(ctx, cfg, geno, img, meta)
			if err != nil {
				panic(err)
			}
			return logits
		}, img, meta)
		if err != nil {
			t.Fatal(err)
		}
		if d := out.Shape().Dimensions; d[0] != 2 || d[1] != 5 {
			t.Fatalf("logits shape %v", d)
		}
		for _, v := range tensors.MustCopyFlatData[float32](out) {
			if math.IsNaN(float64(v)) {
				t.Fatalf("training=%v: NaN logits", training)
			}
		}
	}
	if _, err := DerivedNet(ctx, cfg, &Genotype{Nodes: 1}, nil, nil); err == nil {
		t.Error("want an error for an empty genotype")
	}
}

func TestPatchIndexSame(t *testing.T) {
	cases := []struct{ n, k, dil, stride, wantOut, wantPad int }{
		{8, 3, 1, 1, 8, 1}, {8, 3, 1, 2, 4, 0}, {8, 5, 2, 2, 4, 3}, {8, 5, 2, 1, 8, 4}, {7, 3, 1, 2, 4, 1}, {8, 1, 1, 2, 4, 0},
	}
	for _, c := range cases {
		out := OutSize(c.n, c.stride)
		if pad := samePadBefore(c.n, c.k, c.dil, c.stride); out != c.wantOut || pad != c.wantPad {
			t.Errorf("%+v: out %d pad_before %d", c, out, pad)
		}
		idx, valid, ho, _ := PatchIndex(c.n, c.n, c.k, c.dil, c.stride)
		if len(idx) != ho*ho*c.k*c.k || len(valid) != ho*ho {
			t.Errorf("%+v: table sizes %d %d", c, len(idx), len(valid))
		}
	}
}

package trainer

import (
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/search"
)

// allOpsCells uses every registered non-zero op in both cell types.
func allOpsCells() search.Cells {
	normal := mkCell([]int{2, 3, 4},
		[]in{{"sep_conv_3x3", 0}, {"dil_conv_3x3", 1}},
		[]in{{"max_pool_3x3", 0}, {"skip_connect", 2}},
		[]in{{"conv_1x1", 1}, {"squeeze_excite", 3}})
	reduce := mkCell([]int{2, 3, 4},
		[]in{{"sep_conv_5x5", 0}, {"skip_connect", 1}},
		[]in{{"avg_pool_3x3", 1}, {"dil_conv_5x5", 2}},
		[]in{{"squeeze_excite", 0}, {"conv_1x1", 1}})
	return search.Cells{Nodes: 3, Normal: normal, Reduce: reduce}
}

func tinyArch(m Modality) Arch {
	return Arch{Cells: allOpsCells(), Layers: 3, Channels: 4, StemMult: 2, Size: 8, MetaDim: 5,
		MetaHidden: 6, FusionHidden: 7, Classes: 3, Modality: m}
}

func randTensor(r *rand.Rand, shape ...int) *ir.Tensor {
	t := ir.NewTensor(shape...)
	for i := range t.Data {
		t.Data[i] = float32(r.NormFloat64())
	}
	return t
}

// TestExportMatchesGoMLX trains BN statistics a little, exports the network
// and checks the ir float executor against GoMLX inference.
func TestExportMatchesGoMLX(t *testing.T) {
	backend, err := NewBackend("go")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []Modality{Fusion, ImageOnly, MetadataOnly, "gated"} {
		t.Run(string(m), func(t *testing.T) {
			a := tinyArch(m)
			if m == "gated" {
				a.Modality, a.Fusion = Fusion, search.FusionGated
			}
			p, err := NewPlan(a)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.New()
			ctx.SetParam(ParamSeed, 7)
			build := func(training bool) *context.Exec {
				return context.MustNewExec(backend, ctx, func(ctx *context.Context, img, meta *Node) *Node {
					ctx.SetTraining(img.Graph(), training)
					return p.Forward(ctx, img, meta)
				})
			}
			r := rand.New(rand.NewPCG(1, 2))
			n := 4
			trainExec := build(true)
			for range 3 { // moves the BN running statistics away from 0/1
				img, meta := randTensor(r, n, a.Size, a.Size, 3), randTensor(r, n, a.MetaDim)
				trainExec.MustExec(tensors.FromFlatDataAndDimensions(img.Data, img.Shape...), tensors.FromFlatDataAndDimensions(meta.Data, meta.Shape...))
			}
			img, meta := randTensor(r, n, a.Size, a.Size, 3), randTensor(r, n, a.MetaDim)
			out := build(false).MustExec(tensors.FromFlatDataAndDimensions(img.Data, img.Shape...), tensors.FromFlatDataAndDimensions(meta.Data, meta.Shape...))
			want := tensors.MustCopyFlatData[float32](out[0])

			g, err := p.Export(ctx)
			if err != nil {
				t.Fatal(err)
			}
			inputs := []*ir.Tensor{img}
			if len(g.Inputs) == 2 {
				inputs = append(inputs, meta)
			}
			got, err := g.Run(inputs...)
			if err != nil {
				t.Fatal(err)
			}
			if len(got[0].Data) != n*a.Classes {
				t.Fatalf("ir output %v, want [%d,%d]", got[0].Shape, n, a.Classes)
			}
			scale := 0.0
			for _, v := range want {
				scale = math.Max(scale, math.Abs(float64(v)))
			}
			for i := range want {
				if d := math.Abs(float64(got[0].Data[i] - want[i])); d > 1e-4*math.Max(scale, 1) {
					t.Fatalf("logit %d: ir %v, GoMLX %v (scale %v)", i, got[0].Data[i], want[i], scale)
				}
			}
		})
	}
}

// TestAuxHead trains a step with the auxiliary head and checks that its
// weights learn but stay out of the exported graph.
func TestAuxHead(t *testing.T) {
	backend, err := NewBackend("go")
	if err != nil {
		t.Fatal(err)
	}
	a := tinyArch(Fusion)
	a.AuxWeight, a.Layers = 0.4, 4 // the cell at 2/3 depth must not be the last
	p, err := NewPlan(a)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRunner(p, backend, 3, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SetLR(1e-2); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	img, meta := randTensor(rng, 4, a.Size, a.Size, 3), randTensor(rng, 4, a.MetaDim)
	b := &Batch{N: 4, Size: a.Size, MetaDim: a.MetaDim, Images: img.Data, Meta: meta.Data, Labels: []int32{0, 1, 2, 1}}
	auxW := func() []float32 {
		v := r.Ctx.In(netScope).GetVariableByScopeAndName("/"+netScope, varName("aux/fc/w"))
		if v == nil {
			t.Fatal("no auxiliary head variable")
		}
		return append([]float32(nil), tensors.MustCopyFlatData[float32](v.MustValue())...)
	}
	var before []float32
	for i := range 2 {
		loss, _, err := r.TrainStep(b, []float32{1, 1, 1, 1})
		if err != nil || math.IsNaN(loss) {
			t.Fatalf("step: loss %v, %v", loss, err)
		}
		if i == 0 {
			before = auxW()
		}
	}
	after := auxW()
	changed := false
	for i := range before {
		changed = changed || before[i] != after[i]
	}
	if !changed {
		t.Error("auxiliary head weights did not change in training")
	}
	g, err := p.Export(r.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name := range g.Consts {
		if len(name) >= 4 && name[:4] == "aux/" {
			t.Errorf("exported graph holds auxiliary constant %q", name)
		}
	}
	for _, n := range g.Nodes {
		if len(n.Output) >= 4 && n.Output[:4] == "aux/" {
			t.Errorf("exported graph holds auxiliary node %q", n.Output)
		}
	}
}

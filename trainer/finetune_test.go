package trainer

import (
	"slices"
	"strings"
	"testing"
)

// TestInitFromGrowsHead: a network initialised from a model with one class
// fewer equals the model in every weight, its classifier keeps the model's
// rows by label name (here in another order) and the new class gets a
// fresh row; the fine-tuned export predicts like the model on old classes.
func TestInitFromGrowsHead(t *testing.T) {
	backend, err := NewBackend("go")
	if err != nil {
		t.Fatal(err)
	}
	a := Arch{Cells: darts2Cells(), Layers: 3, Channels: 4, StemMult: 1, Size: 8, MetaDim: 3, MetaHidden: 4, FusionHidden: 6, Classes: 3, Modality: Fusion, AuxWeight: 0.4}
	build := func(a Arch, seed uint64, init func(*Runner)) (*Runner, *Plan) {
		p, err := NewPlan(a)
		if err != nil {
			t.Fatal(err)
		}
		r, err := NewRunner(p, backend, seed, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if init != nil {
			init(r)
		}
		b := toyData(4, a.Classes, a.Size, 1)
		b.BatchSize = 4
		batch, err := b.Next(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Predict(batch); err != nil { // builds the variables
			t.Fatal(err)
		}
		return r, p
	}
	r0, p0 := build(a, 1, nil)
	g0, err := p0.Export(r0.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	old := &ModelDir{Graph: g0, Labels: []string{"a", "b", "c"}, Config: TrainConfig{Arch: a}}
	names := []string{"c", "a", "b", "new"}
	a1 := a
	a1.Classes = 4
	var rep *InitReport
	r1, p1 := build(a1, 2, func(r *Runner) {
		if rep, err = r.InitFrom(old, names); err != nil {
			t.Fatal(err)
		}
	})
	if rep.Grown != 2 || strings.Join(rep.NewClasses, ",") != "new" || rep.Copied < 10 {
		t.Errorf("report %+v", rep)
	}
	g1, err := p1.Export(r1.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name, c0 := range g0.Consts {
		c1 := g1.Consts[name]
		switch name {
		case "fusion/fc2/w", "fusion/fc2/b":
			row := len(c0.Data) / 3
			for i, n := range names[:3] {
				j := slices.Index(old.Labels, n)
				if !slices.Equal(c1.Data[i*row:(i+1)*row], c0.Data[j*row:(j+1)*row]) {
					t.Errorf("%s: row of %q not copied", name, n)
				}
			}
			if slices.Equal(c1.Data[3*row:], c0.Data[:row]) {
				t.Errorf("%s: new row copies an old one", name)
			}
		default:
			if !slices.Equal(c0.Data, c1.Data) {
				t.Errorf("%s differs from the model", name)
			}
		}
	}
	if _, err := r1.InitFrom(&ModelDir{Graph: g0, Labels: old.Labels, Config: TrainConfig{Arch: Arch{Size: 16, Layers: 3}}}, names); err == nil {
		t.Error("another architecture accepted")
	}
}

package trainer

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/search"
)

// skipCells: every edge is skip_connect, so an edge from a cell input is a
// factorised reduce exactly in reduction cells, in the supernet and in the
// derived net alike.
func skipCells() search.Cells {
	c := mkCell([]int{2}, []in{{"skip_connect", 0}, {"skip_connect", 1}})
	return search.Cells{Nodes: 1, Normal: c, Reduce: c}
}

// TestReductionCellsMatchSupernet ties the supernet that search trains to
// the derived net that trainer trains: for every depth, the cells that
// halve the resolution are the same ones, observed in the built networks.
func TestReductionCellsMatchSupernet(t *testing.T) {
	backend, err := NewBackend("go")
	if err != nil {
		t.Fatal(err)
	}
	for layers := 1; layers <= 7; layers++ {
		net := search.NetConfig{Classes: 2, MetaDim: 1, Channels: 2, Cells: layers, Nodes: 1, Ops: []string{search.OpZero, search.OpSkip}}
		ctx := context.New()
		img := tensors.FromFlatDataAndDimensions(make([]float32, 8*8*3), 1, 8, 8, 3)
		meta := tensors.FromFlatDataAndDimensions([]float32{0}, 1, 1)
		if _, err := context.ExecOnce(backend, ctx, func(ctx *context.Context, img, meta *Node) *Node {
			logits, err := search.Supernet(ctx, net, img, meta)
			if err != nil {
				panic(err)
			}
			return logits
		}, img, meta); err != nil {
			t.Fatal(err)
		}
		var super []int
		for v := range ctx.IterVariables() {
			for i := range layers {
				if strings.HasPrefix(v.Scope(), fmt.Sprintf("/net/cell%d/edge_0_0/skip_connect/conv1", i)) && !slices.Contains(super, i) {
					super = append(super, i)
				}
			}
		}
		slices.Sort(super)
		p, err := NewPlan(SearchArch(net, 8, skipCells()))
		if err != nil {
			t.Fatal(err)
		}
		var derived []int
		for i := range layers {
			if slices.ContainsFunc(p.Graph.Nodes, func(n *ir.Node) bool { return n.Name == fmt.Sprintf("cell%d/n0/e0_skip_connect/conv", i) }) {
				derived = append(derived, i)
			}
		}
		if !slices.Equal(super, derived) {
			t.Errorf("%d cells: supernet reduces at %v, derived net at %v", layers, super, derived)
		}
	}
}

// TestGenotypeParamsCountTrainedVariables: the parameter count written to
// genotype.json (GenotypeParams) is the number of trainable values the
// trained derived net has at the search's settings.
func TestGenotypeParamsCountTrainedVariables(t *testing.T) {
	backend, err := NewBackend("go")
	if err != nil {
		t.Fatal(err)
	}
	for _, fusion := range []string{search.FusionConcat, search.FusionGated} {
		net := search.NetConfig{Classes: 3, MetaDim: 4, Channels: 4, Cells: 3, Nodes: 3, Fusion: fusion}
		g := &search.Genotype{Nodes: 3}
		cells := allOpsCells()
		g.Normal, g.NormalConcat, g.Reduce, g.ReduceConcat = cells.Normal.Edges, cells.Normal.Concat, cells.Reduce.Edges, cells.Reduce.Concat
		want, err := GenotypeParams(net, 8)(g)
		if err != nil {
			t.Fatal(err)
		}
		p, err := NewPlan(SearchArch(net, 8, cells))
		if err != nil {
			t.Fatal(err)
		}
		r, err := NewRunner(p, backend, 1, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		b := &Batch{N: 1, Size: 8, MetaDim: 4, Images: make([]float32, 8*8*3), Meta: make([]float32, 4), Labels: []int32{0}}
		if _, err := r.Predict(b); err != nil {
			t.Fatal(err)
		}
		var got int64
		for v := range r.Ctx.IterVariables() {
			if !strings.HasPrefix(v.Scope(), "/"+netScope) || v.Name() == "mean" || v.Name() == "var" {
				continue
			}
			if pr, ok := p.params[strings.ReplaceAll(v.Name(), ".", "/")]; ok && pr.mask != nil {
				for _, m := range pr.mask {
					if m != 0 {
						got++
					}
				}
				continue
			}
			got += int64(v.Shape().Size())
		}
		if got != want || want == 0 {
			t.Errorf("%s: genotype params %d, trained net has %d trainable values", fusion, want, got)
		}
	}
}

package trainer

import (
	"context"
	"fmt"
	"github.com/trapnet/trapnet/trainer/metrics"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/gomlx/gomlx/backends"
	"github.com/trapnet/trapnet/search"
)

// RandomCells samples cells from the search space with the same shape as
// ref: every node keeps its number of edges, whose ops (search.DerivedOps)
// and inputs (distinct per node when possible, among the cell inputs and
// the nodes that have edges) are drawn uniformly; the concat lists are kept.
func RandomCells(ref search.Cells, seed uint64) search.Cells {
	r := rand.New(rand.NewPCG(seed, 0x6a09e667))
	ops := search.DerivedOps()
	draw := func(c search.CellSpec) search.CellSpec {
		out := search.CellSpec{Concat: append([]int(nil), c.Concat...)}
		live := []int{0, 1}
		for i := range ref.Nodes {
			edges := c.NodeEdges(i)
			inputs := r.Perm(len(live))
			for j := range edges {
				out.Edges = append(out.Edges, search.Edge{Op: ops[r.IntN(len(ops))], Input: live[inputs[j%len(inputs)]], Node: i})
			}
			if len(edges) > 0 {
				live = append(live, 2+i)
			}
		}
		return out
	}
	return search.Cells{Nodes: ref.Nodes, Normal: draw(ref.Normal), Reduce: draw(ref.Reduce)}
}

// CompareRow is one line of the comparison table: the test metrics of a
// model (averaged over Runs runs) at its best validation epoch.
type CompareRow struct {
	Model    string   `json:"model"`
	Modality Modality `json:"modality"`
	Runs     int      `json:"runs"`
	Accuracy float64  `json:"accuracy"`
	MacroP   float64  `json:"macro_precision"`
	MacroR   float64  `json:"macro_recall"`
	MacroF1  float64  `json:"macro_f1"`
	// F1Std is the standard deviation of macro-F1 over the runs.
	F1Std float64 `json:"macro_f1_std"`
}

// CompareOptions fix the common budget of every compared model.
type CompareOptions struct {
	// Arch is the template (size, depth, widths, data dims); Cells is the
	// searched genotype's.
	Arch  Arch
	Hyper Hyper
	// RandomRuns is the number of random genotypes (default 3).
	RandomRuns int
	// Modalities compared for every model (default fusion and image); a
	// metadata-only row is added when MetadataRow is set.
	Modalities  []Modality
	MetadataRow bool
	// ClassWeights for the loss (nil: uniform).
	ClassWeights []float32
	// Log, when set, receives a line per finished run.
	Log func(string)
}

// Compare trains, under the same budget, the searched cells, RandomRuns
// random genotypes and the hand-designed CNN, each with every modality, and
// returns their test metrics at the best validation epoch.
func Compare(ctx context.Context, backend backends.Backend, train, val, test BatchSource, o CompareOptions) ([]CompareRow, error) {
	if o.RandomRuns <= 0 {
		o.RandomRuns = 3
	}
	if len(o.Modalities) == 0 {
		o.Modalities = []Modality{Fusion, ImageOnly}
	}
	type variant struct {
		name  string
		archs []Arch
	}
	searched := o.Arch
	randoms := make([]Arch, o.RandomRuns)
	for i := range randoms {
		randoms[i] = o.Arch
		randoms[i].Cells = RandomCells(o.Arch.Cells, o.Hyper.Seed+uint64(i)+1)
	}
	baseline := o.Arch
	baseline.Baseline = true
	variants := []variant{{"searched", []Arch{searched}}, {fmt.Sprintf("random (mean of %d)", o.RandomRuns), randoms}, {"hand-designed CNN", []Arch{baseline}}}
	var rows []CompareRow
	for _, v := range variants {
		for _, m := range o.Modalities {
			row := CompareRow{Model: v.name, Modality: m}
			var f1s []float64
			for i, a := range v.archs {
				a.Modality = m
				tm, err := trainAndTest(ctx, backend, a, o.Hyper, train, val, test, o.ClassWeights)
				if err != nil {
					return nil, fmt.Errorf("compare %s %s run %d: %w", v.name, m, i+1, err)
				}
				if o.Log != nil {
					o.Log(fmt.Sprintf("%s / %s run %d: test accuracy %.3f macro-F1 %.3f", v.name, m, i+1, tm.Accuracy, tm.MacroF1))
				}
				row.Accuracy += tm.Accuracy
				row.MacroP += tm.MacroPrecision
				row.MacroR += tm.MacroRecall
				row.MacroF1 += tm.MacroF1
				f1s = append(f1s, tm.MacroF1)
			}
			n := float64(len(v.archs))
			row.Runs = len(v.archs)
			row.Accuracy, row.MacroP, row.MacroR, row.MacroF1 = row.Accuracy/n, row.MacroP/n, row.MacroR/n, row.MacroF1/n
			for _, f := range f1s {
				row.F1Std += (f - row.MacroF1) * (f - row.MacroF1)
			}
			row.F1Std = math.Sqrt(row.F1Std / n)
			rows = append(rows, row)
		}
	}
	if o.MetadataRow {
		a := o.Arch
		a.Modality = MetadataOnly
		tm, err := trainAndTest(ctx, backend, a, o.Hyper, train, val, test, o.ClassWeights)
		if err != nil {
			return nil, fmt.Errorf("compare metadata-only: %w", err)
		}
		rows = append(rows, CompareRow{Model: "metadata MLP", Modality: MetadataOnly, Runs: 1, Accuracy: tm.Accuracy,
			MacroP: tm.MacroPrecision, MacroR: tm.MacroRecall, MacroF1: tm.MacroF1})
	}
	return rows, nil
}

// trainAndTest trains a once and returns its test metrics at the epoch with
// the best validation macro-F1.
func trainAndTest(ctx context.Context, backend backends.Backend, a Arch, h Hyper, train, val, test BatchSource, cw []float32) (*metrics.Metrics, error) {
	p, err := NewPlan(a)
	if err != nil {
		return nil, err
	}
	r, err := NewRunner(p, backend, h.Seed, h.WeightDecay, h.DropPath)
	if err != nil {
		return nil, err
	}
	var best *metrics.Metrics
	_, err = r.Fit(ctx, h, FitOptions{Train: train, Val: val, ClassWeights: cw, OnBest: func(int, *metrics.Metrics) error {
		m, _, err := r.Evaluate(ctx, test, h.BatchSize, nil)
		best = m
		return err
	}})
	if err != nil {
		return nil, err
	}
	if best == nil {
		return nil, fmt.Errorf("no epoch finished")
	}
	return best, nil
}

// MarkdownTable formats comparison rows.
func MarkdownTable(rows []CompareRow) string {
	var b strings.Builder
	b.WriteString("| model | modality | runs | accuracy | macro precision | macro recall | macro F1 |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		f1 := fmt.Sprintf("%.3f", r.MacroF1)
		if r.Runs > 1 {
			f1 += fmt.Sprintf(" ± %.3f", r.F1Std)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %.3f | %.3f | %.3f | %s |\n", r.Model, r.Modality, r.Runs, r.Accuracy, r.MacroP, r.MacroR, f1)
	}
	return b.String()
}

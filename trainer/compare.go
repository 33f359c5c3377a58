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
// model (mean over Runs runs) at its best validation epoch.
type CompareRow struct {
	Model    string   `json:"model"`
	Modality Modality `json:"modality"`
	Runs     int      `json:"runs"`
	Accuracy float64  `json:"accuracy"`
	MacroP   float64  `json:"macro_precision"`
	MacroR   float64  `json:"macro_recall"`
	MacroF1  float64  `json:"macro_f1"`
	// AccStd and F1Std are the standard deviations over the runs.
	AccStd float64 `json:"accuracy_std"`
	F1Std  float64 `json:"macro_f1_std"`
	// F1s are the runs' macro-F1s.
	F1s []float64 `json:"macro_f1_runs"`
}

// CompareOptions fix the common budget of every compared model.
type CompareOptions struct {
	// Arch is the template (size, depth, widths, data dims); Cells is the
	// searched genotype's.
	Arch Arch
	// Searched, when not empty, are the genotypes of several searches (e.g.
	// one per search seed): the searched row's run i uses Searched[i mod
	// len] (Arch.Cells is then ignored) and has max(Seeds, len) runs.
	Searched []search.Cells
	Hyper    Hyper
	// Seeds is the number of runs of every row (default 1): run i trains
	// with seed Hyper.Seed+i, and the random row's run i uses random
	// genotype i, so every row gets the same budget.
	Seeds int
	// RandomRuns is the number of runs of the random row (default: Seeds,
	// at least 3).
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

// compareRun is one training of a row.
type compareRun struct {
	arch Arch
	seed uint64
}

// Compare trains, under the same budget, the searched cells, random
// genotypes of the same shape and the hand-designed CNN, each with every
// modality and Seeds seeds, and returns their test metrics at the best
// validation epoch (mean and standard deviation over the runs).
func Compare(ctx context.Context, backend backends.Backend, train, val, test BatchSource, o CompareOptions) ([]CompareRow, error) {
	o.Seeds = max(o.Seeds, 1)
	if o.RandomRuns <= 0 {
		o.RandomRuns = max(o.Seeds, 3)
	}
	if len(o.Modalities) == 0 {
		o.Modalities = []Modality{Fusion, ImageOnly}
	}
	seeded := func(a Arch, n int, cells func(i int) *search.Cells) []compareRun {
		runs := make([]compareRun, n)
		for i := range runs {
			runs[i] = compareRun{a, o.Hyper.Seed + uint64(i%o.Seeds)}
			if cells != nil {
				runs[i].arch.Cells = *cells(i)
			}
		}
		return runs
	}
	searchedRuns := seeded(o.Arch, o.Seeds, nil)
	if n := len(o.Searched); n > 0 {
		searchedRuns = seeded(o.Arch, max(o.Seeds, n), func(i int) *search.Cells { return &o.Searched[i%n] })
	}
	baseline := o.Arch
	baseline.Baseline = true
	variants := []struct {
		name string
		runs []compareRun
	}{
		{"searched", searchedRuns},
		{"random", seeded(o.Arch, o.RandomRuns, func(i int) *search.Cells {
			c := RandomCells(o.Arch.Cells, o.Hyper.Seed+uint64(i)+1)
			return &c
		})},
		{"hand-designed CNN", seeded(baseline, o.Seeds, nil)},
	}
	var rows []CompareRow
	for _, v := range variants {
		for _, m := range o.Modalities {
			row, err := compareRow(ctx, backend, v.name, m, v.runs, train, val, test, o)
			if err != nil {
				return nil, err
			}
			rows = append(rows, row)
		}
	}
	if o.MetadataRow {
		meta := o.Arch
		meta.Modality = MetadataOnly
		row, err := compareRow(ctx, backend, "metadata MLP", MetadataOnly, seeded(meta, o.Seeds, nil), train, val, test, o)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// compareRow trains every run of a row with modality m and averages.
func compareRow(ctx context.Context, backend backends.Backend, name string, m Modality, runs []compareRun, train, val, test BatchSource, o CompareOptions) (CompareRow, error) {
	row := CompareRow{Model: name, Modality: m, Runs: len(runs)}
	var accs []float64
	for i, r := range runs {
		a, h := r.arch, o.Hyper
		a.Modality, h.Seed = m, r.seed
		tm, err := trainAndTest(ctx, backend, a, h, train, val, test, o.ClassWeights)
		if err != nil {
			return row, fmt.Errorf("compare %s %s run %d: %w", name, m, i+1, err)
		}
		if o.Log != nil {
			o.Log(fmt.Sprintf("%s / %s run %d (seed %d): test accuracy %.3f macro-F1 %.3f", name, m, i+1, r.seed, tm.Accuracy, tm.MacroF1))
		}
		row.MacroP += tm.MacroPrecision / float64(len(runs))
		row.MacroR += tm.MacroRecall / float64(len(runs))
		accs, row.F1s = append(accs, tm.Accuracy), append(row.F1s, tm.MacroF1)
	}
	row.Accuracy, row.AccStd = meanStd(accs)
	row.MacroF1, row.F1Std = meanStd(row.F1s)
	return row, nil
}

// meanStd is the mean and the (population) standard deviation.
func meanStd(xs []float64) (mean, std float64) {
	for _, x := range xs {
		mean += x / float64(len(xs))
	}
	for _, x := range xs {
		std += (x - mean) * (x - mean) / float64(len(xs))
	}
	return mean, math.Sqrt(std)
}

// Verdict says plainly, per modality, whether the searched genotype beat
// the random ones on macro-F1: by more than the two standard deviations
// combined, within noise, or not.
func Verdict(rows []CompareRow) string {
	var b strings.Builder
	for _, s := range rows {
		if s.Model != "searched" {
			continue
		}
		for _, r := range rows {
			if r.Model != "random" || r.Modality != s.Modality {
				continue
			}
			d, noise := s.MacroF1-r.MacroF1, math.Hypot(s.F1Std, r.F1Std)
			verdict := "search does NOT beat random"
			switch {
			case d > noise && d > 0:
				verdict = "search beats random"
			case d > 0:
				verdict = "search is ahead of random, but within the run-to-run spread (no clear win)"
			}
			fmt.Fprintf(&b, "%s: searched macro-F1 %.3f ± %.3f (%d runs) vs random %.3f ± %.3f (%d runs): %s.\n",
				s.Modality, s.MacroF1, s.F1Std, s.Runs, r.MacroF1, r.F1Std, r.Runs, verdict)
		}
	}
	return b.String()
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

// MarkdownTable formats comparison rows (mean ± std over the runs).
func MarkdownTable(rows []CompareRow) string {
	var b strings.Builder
	b.WriteString("| model | modality | runs | accuracy | macro precision | macro recall | macro F1 |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		acc, f1 := fmt.Sprintf("%.3f", r.Accuracy), fmt.Sprintf("%.3f", r.MacroF1)
		if r.Runs > 1 {
			acc += fmt.Sprintf(" ± %.3f", r.AccStd)
			f1 += fmt.Sprintf(" ± %.3f", r.F1Std)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %.3f | %.3f | %s |\n", r.Model, r.Modality, r.Runs, acc, r.MacroP, r.MacroR, f1)
	}
	return b.String()
}

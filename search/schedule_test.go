package search

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestArchScheduleLR(t *testing.T) {
	s := DefaultArchSchedule()
	cases := []struct {
		total      int
		wantWarmup int
		wantLR     float64
	}{
		{90, 23, 6.0 / 67},     // the CPU demo: 3 epochs of 30 pair steps
		{1000, 250, 6.0 / 750}, // a longer CPU search
		{115000, 28750, 3e-4},  // BIOSCAN-5M on a GPU: DARTS's rate (the floor)
		{1, 0, 6},              // degenerate: everything is an architecture step
		{0, 0, DefaultOptConfig().ArchLR},
	}
	for _, c := range cases {
		if w := s.WarmupSteps(c.total); w != c.wantWarmup {
			t.Errorf("total %d: warm-up %d, want %d", c.total, w, c.wantWarmup)
		}
		if lr := s.ArchLR(3e-4, c.total); math.Abs(lr-c.wantLR) > 1e-12 {
			t.Errorf("total %d: arch lr %g, want %g", c.total, lr, c.wantLR)
		}
	}
}

func TestStalled(t *testing.T) {
	s := ArchSchedule{StopPatience: 2, DecidedMargin: 0.05}
	cases := []struct {
		sigs      []string
		top, marg float64
		want      bool
	}{
		{[]string{"a", "a", "a"}, 0.3, 0.1, true},
		{[]string{"a", "a"}, 0.3, 0.1, false},       // too few epochs after warm-up
		{[]string{"b", "a", "a"}, 0.3, 0.1, false},  // changed within the window
		{[]string{"a", "a", "a"}, 0.3, 0.01, false}, // stable but no clear winner: keep going
		{[]string{"a", "a", "a"}, 0.12, 0.1, false}, // stable but near uniform: keep going
	}
	for _, c := range cases {
		d := Decision{MedianTop: c.top, MedianMargin: c.marg, Uniform: 0.1}
		if got := s.stalled(c.sigs, s.Decided(d)); got != c.want {
			t.Errorf("%v %+v: stalled %v, want %v", c.sigs, d, got, c.want)
		}
	}
}

// TestDemoBudgetMovesAlphas: at the demo's budget (3 cells, 2 nodes, C=4,
// batch 16, 3 epochs of 30 pair steps; the planted offset task at 8x8 here
// to stay fast) the default schedule moves the alphas off their start: the median top
// softmax weight over all edges is >= 0.2 (0.1 is uniform), the run does
// not stop early, and the genotype is reported as decided.
func TestDemoBudgetMovesAlphas(t *testing.T) {
	cfg := RunConfig{
		Net:    NetConfig{Classes: 2, Channels: 4, Cells: 3, Nodes: 2},
		Opt:    DefaultOptConfig(),
		Derive: DefaultDeriveOptions(),
		Size:   8, Epochs: 3, StepsPerEpoch: 30, Batch: 16, Seed: 7, Out: t.TempDir(),
		Schedule: DefaultArchSchedule(),
	}
	train, val := offsetSource(1, 30, 16, 8, 0.1), offsetSource(2, 30, 16, 8, 0.1)
	geno, err := Run(t.Context(), testBackend(t), cfg, train, val, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var tops []float64
	for _, w := range RowSoftmax(slices.Concat(geno.AlphaNormal, geno.AlphaReduce)) {
		tops = append(tops, slices.Max(w))
	}
	if m := median(tops); m < 0.2 {
		t.Errorf("median top softmax weight %.3f, want >= 0.2", m)
	} else {
		t.Logf("median top softmax weight %.3f over %d edges", m, len(tops))
	}
	steps := 0
	for _, m := range readLog(t, cfg.Out) {
		if m["kind"] == "early_stop" {
			t.Errorf("stopped early: %v", m)
		}
		if m["kind"] == "step" {
			steps++
		}
	}
	if steps != 90 {
		t.Errorf("%d steps, want 90", steps)
	}
	if geno.Decision == nil || !geno.Decision.Decided || geno.Settings == nil || geno.Settings.WarmupSteps != 23 {
		t.Errorf("decision %+v settings %+v", geno.Decision, geno.Settings)
	}
}

// TestUndecidedGenotypeWarns: DARTS's fixed alpha rate over a short run
// leaves the alphas at their start; Run must say so instead of passing the
// genotype off as a result.
func TestUndecidedGenotypeWarns(t *testing.T) {
	cfg := tinyRunConfig(t.TempDir())
	cfg.Schedule = ArchSchedule{DecidedMargin: 0.05} // no warm-up, lr fixed at 3e-4
	train, val := newMemSource(1, 6, 8, 8, 3, 2), newMemSource(2, 6, 8, 8, 3, 2)
	geno, err := Run(t.Context(), testBackend(t), cfg, train, val, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := Summary(geno, "genotype.json")
	if geno.Decision == nil || geno.Decision.Decided || !strings.Contains(s, "WARNING: the genotype is not decided") {
		t.Errorf("decision %+v, summary:\n%s", geno.Decision, s)
	}
	if !strings.Contains(s, "pruned by the zero op") || !strings.Contains(s, "DARTS's fixed top-2") {
		t.Errorf("summary without the sparsity report:\n%s", s)
	}
}

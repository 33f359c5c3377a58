package search

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// offsetSource serves a planted task: every pixel is N(0,1) noise plus
// ±delta by class. The class is in a faint uniform offset under strong
// i.i.d. pixel noise, so a 3x3 average is the op that helps: it keeps the
// offset and cuts the noise threefold, and the supernet's non-affine BN after
// each op turns that into a threefold larger class signal. No other op does
// this without trained weights.
func offsetSource(seed uint64, nBatches, n, size int, delta float32) *memSource {
	r := rand.New(rand.NewPCG(seed, 11))
	s := &memSource{}
	for range nBatches {
		b := &Batch{N: n, Images: make([]float32, n*size*size*3), Labels: make([]int32, n)}
		for i := range n {
			y := r.IntN(2)
			b.Labels[i] = int32(y)
			for p := range size * size * 3 {
				b.Images[i*size*size*3+p] = float32(r.NormFloat64()) + delta*float32(2*y-1)
			}
		}
		s.batches = append(s.batches, b)
	}
	return s
}

// TestPlantedOpRankedFirst: with the default schedule and 60 pair steps,
// the search ranks avg_pool_3x3 first on every edge of the cell, for three
// seeds; with the offset removed (labels independent of the images) it does
// not, so the ranking comes from the planted signal, not from a bias of the
// op.
func TestPlantedOpRankedFirst(t *testing.T) {
	cases := []struct {
		name    string
		delta   float32
		planted bool
	}{
		{"offset 0.1", 0.1, true},
		{"no signal", 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			firsts, edges := 0, 0
			for seed := 1; seed <= 3; seed++ {
				cfg := RunConfig{
					Net:    NetConfig{Classes: 2, Channels: 4, Cells: 1, Nodes: 1, FusionHidden: 8},
					Opt:    DefaultOptConfig(),
					Derive: DefaultDeriveOptions(),
					Size:   8, Epochs: 2, StepsPerEpoch: 30, Batch: 16, Seed: seed, Out: t.TempDir(),
					Schedule: DefaultArchSchedule(),
				}
				tr := offsetSource(uint64(seed), 30, 16, 8, c.delta)
				val := offsetSource(uint64(seed)+100, 30, 16, 8, c.delta)
				geno, err := Run(t.Context(), testBackend(t), cfg, tr, val, nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				for row, w := range RowSoftmax(geno.AlphaNormal) {
					k := slices.Index(w, slices.Max(w))
					t.Logf("seed %d edge %d: first %s (%.2f)", seed, row, OpNames[k], w[k])
					edges++
					if OpNames[k] == OpAvgPool3 {
						firsts++
					}
				}
			}
			if c.planted && firsts != edges {
				t.Errorf("avg_pool_3x3 ranked first on %d of %d edges (3 seeds), want all", firsts, edges)
			}
			if !c.planted && firsts == edges {
				t.Errorf("avg_pool_3x3 ranked first on every edge without any signal: a bias, not a search result")
			}
		})
	}
}

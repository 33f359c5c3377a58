package search

import (
	"fmt"
	"slices"
	"strings"
)

// Decision says how decided a genotype is: whether its kept ops were chosen
// by learnt alphas or by their 1e-3 random initialisation.
type Decision struct {
	// MedianTop is the median softmax weight of the kept op over kept edges
	// (1/len(Ops) when the alphas have not moved).
	MedianTop float64 `json:"median_top"`
	// MedianMargin is the median top-1 minus top-2 weight over kept edges.
	MedianMargin float64 `json:"median_margin"`
	// Uniform is 1/len(Ops), the weight of every op at the start.
	Uniform float64 `json:"uniform"`
	// Decided: MedianTop >= 1.5·Uniform and MedianMargin >= the schedule's
	// DecidedMargin.
	Decided bool `json:"decided"`
}

// Decide computes the kept edges' median top weight and margin (Decided
// is left to the caller, which knows the threshold).
func (g *Genotype) Decide() Decision {
	var tops, margins []float64
	for _, e := range slices.Concat(g.Normal, g.Reduce) {
		tops, margins = append(tops, e.Weight), append(margins, e.Margin)
	}
	d := Decision{MedianTop: median(tops), MedianMargin: median(margins)}
	if len(g.Ops) > 0 {
		d.Uniform = 1 / float64(len(g.Ops))
	}
	return d
}

// Warning returns a plain sentence when the genotype is not decided ("" when
// it is).
func (d Decision) Warning() string {
	if d.Decided {
		return ""
	}
	return fmt.Sprintf("WARNING: the genotype is not decided: the kept ops have a median softmax weight of %.3f "+
		"(uniform %.3f) and a median lead over the runner-up of %.3f, so they were picked by the alphas' random "+
		"start more than by the search; search longer (more steps) or treat this genotype as a random draw",
		d.MedianTop, d.Uniform, d.MedianMargin)
}

// Signature is a compact text of the kept edges of both cells (equal
// signatures: the same derived net).
func (g *Genotype) Signature() string {
	var b strings.Builder
	for _, cell := range [][]Edge{g.Normal, g.Reduce} {
		for _, e := range cell {
			fmt.Fprintf(&b, "%d<%d:%s ", e.Node, e.Input, e.Op)
		}
		b.WriteString("| ")
	}
	return b.String()
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Summary is the plain-text report of a search result: where the genotype
// is, its sparsity (against the supernet and DARTS's fixed top-2), the edges
// the zero op pruned, how decided it is, and a warning when it is not.
func Summary(g *Genotype, path string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "genotype: %s (%d parameters)\n", path, g.Params)
	fmt.Fprintf(&b, "edges kept: %d of %d supernet edges (%.0f%%), %.0f%% of DARTS's fixed top-2; %d pruned by the zero op\n",
		len(g.Normal)+len(g.Reduce), 2*NumEdges(g.Nodes), 100*g.Sparsity, 100*g.VsTop2, g.ZeroPruned)
	if g.Decision != nil {
		fmt.Fprintf(&b, "decided: median kept-op weight %.3f (uniform %.3f), median margin over the runner-up %.3f\n",
			g.Decision.MedianTop, g.Decision.Uniform, g.Decision.MedianMargin)
		if w := g.Decision.Warning(); w != "" {
			b.WriteString(w + "\n")
		}
	}
	return b.String()
}

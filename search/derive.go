package search

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// DeriveOptions controls the discretisation of alphas into a Genotype.
type DeriveOptions struct {
	// TopK is the most incoming edges kept per intermediate node (DARTS: 2).
	TopK int
	// SkipCap is the most skip_connect edges in the derived normal cell; the
	// weakest extra skips take their next-best op instead (a guard against
	// skip-connect collapse). Negative: no cap.
	SkipCap int
	// KeepZero keeps edges whose zero weight beats every non-zero op
	// (DARTS's fixed-degree behaviour); false drops them.
	KeepZero bool
}

// DefaultDeriveOptions: top-2 edges, at most 2 skips, zero-dominated edges dropped.
func DefaultDeriveOptions() DeriveOptions { return DeriveOptions{TopK: 2, SkipCap: 2} }

// RowSoftmax returns the row-wise softmax.
func RowSoftmax(rows [][]float64) [][]float64 {
	out := make([][]float64, len(rows))
	for i, r := range rows {
		m := slices.Max(r)
		s := 0.0
		out[i] = make([]float64, len(r))
		for j, v := range r {
			out[i][j] = math.Exp(v - m)
			s += out[i][j]
		}
		for j := range r {
			out[i][j] /= s
		}
	}
	return out
}

// MeanEntropy is the mean over rows of the entropy (nats) of softmax(row).
func MeanEntropy(rows [][]float64) float64 {
	if len(rows) == 0 {
		return 0
	}
	t := 0.0
	for _, p := range RowSoftmax(rows) {
		for _, v := range p {
			if v > 0 {
				t -= v * math.Log(v)
			}
		}
	}
	return t / float64(len(rows))
}

// Derive discretises the alphas (rows in DARTS edge order, columns in ops
// order) into a sparse Genotype: per node at most TopK incoming edges, ranked
// by their strongest non-zero op; an edge whose zero weight beats that op is
// dropped; nodes left without edges (and edges reading them) are removed and
// the cell output concatenates the remaining nodes. If nothing survives, node
// 0 keeps its strongest edge.
func Derive(ops []string, nodes int, alphaNormal, alphaReduce [][]float64, opt DeriveOptions) (*Genotype, error) {
	if opt.TopK < 1 {
		return nil, fmt.Errorf("search: derive top-k = %d, want >= 1", opt.TopK)
	}
	g := &Genotype{Nodes: nodes, Ops: slices.Clone(ops), AlphaNormal: alphaNormal, AlphaReduce: alphaReduce}
	var err error
	if g.Normal, g.DroppedNormal, g.NormalConcat, err = deriveCell(ops, nodes, alphaNormal, opt, opt.SkipCap); err != nil {
		return nil, fmt.Errorf("normal cell: %w", err)
	}
	if g.Reduce, g.DroppedReduce, g.ReduceConcat, err = deriveCell(ops, nodes, alphaReduce, opt, -1); err != nil {
		return nil, fmt.Errorf("reduce cell: %w", err)
	}
	kept := len(g.Normal) + len(g.Reduce)
	g.Sparsity = float64(kept) / float64(2*NumEdges(nodes))
	g.VsTop2 = float64(kept) / float64(2*2*nodes)
	for _, e := range slices.Concat(g.DroppedNormal, g.DroppedReduce) {
		if e.Dropped == DropZero {
			g.ZeroPruned++
		}
	}
	return g, g.Validate()
}

type cand struct {
	Edge
	w []float64
}

// best returns the strongest op index of w that is not excluded.
func best(ops []string, w []float64, exclude ...string) int {
	k := -1
	for i, name := range ops {
		if !slices.Contains(exclude, name) && (k < 0 || w[i] > w[k]) {
			k = i
		}
	}
	return k
}

func deriveCell(ops []string, nodes int, alpha [][]float64, opt DeriveOptions, skipCap int) (kept, dropped []Edge, concat []int, err error) {
	if len(alpha) != NumEdges(nodes) {
		return nil, nil, nil, fmt.Errorf("search: %d alpha rows, want %d for %d nodes", len(alpha), NumEdges(nodes), nodes)
	}
	zero := slices.Index(ops, OpZero)
	probs := RowSoftmax(alpha)
	var all []cand
	for i := range nodes {
		var cs []cand
		for j := 0; j < i+2; j++ {
			w := probs[EdgeRow(i, j)]
			if len(w) != len(ops) {
				return nil, nil, nil, fmt.Errorf("search: alpha row %d has %d columns, want %d", EdgeRow(i, j), len(w), len(ops))
			}
			k := best(ops, w, OpZero)
			if k < 0 {
				return nil, nil, nil, fmt.Errorf("search: no non-zero op")
			}
			cs = append(cs, cand{Edge{Op: ops[k], Input: j, Node: i, Weight: w[k], Margin: Margin(w)}, w})
		}
		sort.SliceStable(cs, func(a, b int) bool { return cs[a].Weight > cs[b].Weight })
		for r, c := range cs {
			if !opt.KeepZero && zero >= 0 && c.w[zero] > c.Weight {
				c.Dropped = DropZero
				dropped = append(dropped, c.Edge)
			} else if r >= opt.TopK {
				c.Dropped = DropTopK
				dropped = append(dropped, c.Edge)
			} else {
				all = append(all, c)
			}
		}
	}
	if skipCap >= 0 {
		all = capSkips(ops, all, skipCap)
	}
	// Remove dead nodes in order (inputs only come from earlier nodes).
	live := map[int]bool{0: true, 1: true}
	for i := range nodes {
		for _, c := range all {
			if c.Node == i && live[c.Input] {
				kept = append(kept, c.Edge)
				live[2+i] = true
			} else if c.Node == i {
				c.Dropped = DropDeadInput
				dropped = append(dropped, c.Edge)
			}
		}
		if live[2+i] {
			concat = append(concat, 2+i)
		}
	}
	if len(kept) == 0 { // everything dropped: keep node 0's strongest edge
		var c Edge
		for j := range 2 {
			w := probs[EdgeRow(0, j)]
			k := best(ops, w, OpZero)
			if e := (Edge{Op: ops[k], Input: j, Node: 0, Weight: w[k], Margin: Margin(w)}); e.Weight > c.Weight {
				c = e
			}
		}
		kept, concat = []Edge{c}, []int{2}
		dropped = slices.DeleteFunc(dropped, func(e Edge) bool { return e.Node == 0 && e.Input == c.Input })
	}
	return kept, dropped, concat, nil
}

// capSkips replaces the weakest skip_connect edges beyond the cap by their
// next-best op (excluding zero and skip).
func capSkips(ops []string, cs []cand, cap int) []cand {
	var skips []int
	for i, c := range cs {
		if c.Op == OpSkip {
			skips = append(skips, i)
		}
	}
	sort.SliceStable(skips, func(a, b int) bool { return cs[skips[a]].Weight > cs[skips[b]].Weight })
	for _, i := range skips[min(cap, len(skips)):] {
		k := best(ops, cs[i].w, OpZero, OpSkip)
		if k >= 0 {
			cs[i].Op, cs[i].Weight = ops[k], cs[i].w[k]
		}
	}
	return cs
}

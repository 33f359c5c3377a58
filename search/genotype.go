package search

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
)

// Edge is one kept (or dropped) edge of a derived cell: intermediate node
// Node (0-based) receives Op applied to state Input, where inputs 0 and 1 are
// the outputs of the two previous cells and 2+i is intermediate node i.
type Edge struct {
	Op     string  `json:"op"`
	Input  int     `json:"input"`
	Node   int     `json:"node"`
	Weight float64 `json:"weight,omitempty"` // softmax weight of Op at derivation
	// Margin is how decided the edge is: its top-1 minus top-2 softmax
	// weight over all ops (zero included).
	Margin float64 `json:"margin,omitempty"`
	// Dropped says why a dropped edge was left out (DropZero, DropTopK,
	// DropDeadInput); empty on kept edges.
	Dropped string `json:"dropped,omitempty"`
}

// Reasons for dropping a supernet edge.
const (
	DropZero      = "zero"       // its zero weight beat its strongest op (the paper's pruning)
	DropTopK      = "top_k"      // not among the node's TopK strongest edges
	DropDeadInput = "dead_input" // it reads a node that lost all its edges
)

// CellSpec is the discrete structure of one cell type: node i sums its
// edges; the cell output concatenates the states in Concat (2+i for node i).
type CellSpec struct {
	Edges  []Edge `json:"edges"`
	Concat []int  `json:"concat"`
}

// Cells are the normal and reduction cells of a derived net (Nodes: the
// supernet's intermediate nodes per cell). Package trainer builds its
// derived net from them.
type Cells struct {
	Nodes  int      `json:"nodes"`
	Normal CellSpec `json:"normal"`
	Reduce CellSpec `json:"reduce"`
}

// NodeEdges returns node i's edges.
func (s CellSpec) NodeEdges(i int) []Edge {
	var out []Edge
	for _, e := range s.Edges {
		if e.Node == i {
			out = append(out, e)
		}
	}
	return out
}

// Validate checks op names (registered, not zero), node and input indices
// and the concat list of a cell with nodes intermediate nodes.
func (s CellSpec) Validate(kind string, nodes int) error {
	var errs []error
	if len(s.Concat) == 0 {
		errs = append(errs, fmt.Errorf("genotype: %s_concat is empty", kind))
	}
	for i, c := range s.Concat {
		if c < 2 || c >= nodes+2 {
			errs = append(errs, fmt.Errorf("genotype: %s_concat[%d] = %d, want 2..%d", kind, i, c, nodes+1))
		}
	}
	for i, e := range s.Edges {
		if spec, ok := LookupOp(e.Op); !ok || spec.Kind == KindZero {
			errs = append(errs, fmt.Errorf("genotype: %s[%d]: unknown op %q (known: %v)", kind, i, e.Op, DerivedOps()))
		}
		if e.Node < 0 || e.Node >= nodes {
			errs = append(errs, fmt.Errorf("genotype: %s[%d]: node %d out of range 0..%d", kind, i, e.Node, nodes-1))
		}
		if e.Input < 0 || e.Input >= e.Node+2 {
			errs = append(errs, fmt.Errorf("genotype: %s[%d]: input %d invalid for node %d (want 0..%d)", kind, i, e.Input, e.Node, e.Node+1))
		}
	}
	for _, c := range s.Concat {
		if !slices.ContainsFunc(s.Edges, func(e Edge) bool { return e.Node == c-2 }) {
			errs = append(errs, fmt.Errorf("genotype: %s_concat has node %d, which has no incoming edge", kind, c-2))
		}
	}
	for i, e := range s.Edges {
		if e.Input >= 2 && !slices.ContainsFunc(s.Edges, func(f Edge) bool { return f.Node == e.Input-2 }) {
			errs = append(errs, fmt.Errorf("genotype: %s[%d]: input node %d has no incoming edge", kind, i, e.Input-2))
		}
	}
	return errors.Join(errs...)
}

// Validate checks both cells.
func (c Cells) Validate() error {
	if c.Nodes < 1 || c.Nodes > 64 {
		return fmt.Errorf("genotype: nodes = %d, want 1..64", c.Nodes)
	}
	return errors.Join(c.Normal.Validate("normal", c.Nodes), c.Reduce.Validate("reduce", c.Nodes))
}

// Genotype is the result of the search, in DARTS's shape (normal,
// normal_concat, reduce, reduce_concat) with edges as objects, plus what was
// dropped and the final alpha matrices (rows in DARTS edge order, columns in
// Ops order).
type Genotype struct {
	Normal       []Edge `json:"normal"`
	NormalConcat []int  `json:"normal_concat"`
	Reduce       []Edge `json:"reduce"`
	ReduceConcat []int  `json:"reduce_concat"`
	// Nodes is the number of intermediate nodes per cell in the supernet.
	Nodes int `json:"nodes"`
	// Ops names the alpha columns.
	Ops []string `json:"ops,omitempty"`
	// DroppedNormal and DroppedReduce are supernet edges left out, with
	// their strongest non-zero op.
	DroppedNormal []Edge      `json:"dropped_normal,omitempty"`
	DroppedReduce []Edge      `json:"dropped_reduce,omitempty"`
	AlphaNormal   [][]float64 `json:"alpha_normal,omitempty"`
	AlphaReduce   [][]float64 `json:"alpha_reduce,omitempty"`
	// Sparsity is edges kept / edges in the supernet (both cell types).
	Sparsity float64 `json:"sparsity,omitempty"`
	// VsTop2 is edges kept / the edges of DARTS's fixed top-2 derivation
	// (2 per node and cell type): below 1 when the zero op pruned edges.
	VsTop2 float64 `json:"vs_top2,omitempty"`
	// ZeroPruned counts the supernet edges dropped by the zero op.
	ZeroPruned int `json:"zero_pruned"`
	// Decision says how decided the kept edges are (written by Run).
	Decision *Decision `json:"decision,omitempty"`
	// Settings are the search's settings (written by Run).
	Settings *SearchSettings `json:"settings,omitempty"`
	// Params is the trainable parameter count of the derived net at the
	// searched channels and cells (trainer.GenotypeParams via RunConfig.Params).
	Params int64 `json:"params,omitempty"`
}

// Cells returns the genotype's cells.
func (g *Genotype) Cells() Cells {
	return Cells{Nodes: g.Nodes, Normal: CellSpec{g.Normal, g.NormalConcat}, Reduce: CellSpec{g.Reduce, g.ReduceConcat}}
}

// Validate checks op names, node and input indices and the concat lists.
func (g *Genotype) Validate() error { return g.Cells().Validate() }

// Save writes the genotype as indented JSON after validating it.
func (g *Genotype) Save(path string) error {
	if err := g.Validate(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// ParseGenotype decodes and validates a genotype. Edges may also be given in
// DARTS's list form ["op", input] per edge, two per node in order.
func ParseGenotype(data []byte) (*Genotype, error) {
	var raw struct {
		Genotype
		Normal json.RawMessage `json:"normal"`
		Reduce json.RawMessage `json:"reduce"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("genotype: %w", err)
	}
	g := raw.Genotype
	var err error
	if g.Normal, err = parseEdges(raw.Normal, "normal"); err != nil {
		return nil, err
	}
	if g.Reduce, err = parseEdges(raw.Reduce, "reduce"); err != nil {
		return nil, err
	}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	return &g, nil
}

func parseEdges(data json.RawMessage, kind string) ([]Edge, error) {
	if len(data) == 0 || string(data) == "null" {
		return nil, nil
	}
	var edges []Edge
	inner := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(data), []byte("[")))
	if !bytes.HasPrefix(inner, []byte("[")) {
		if err := json.Unmarshal(data, &edges); err != nil {
			return nil, fmt.Errorf("genotype: %s: %w", kind, err)
		}
		return edges, nil
	}
	var pairs [][2]any
	if err := json.Unmarshal(data, &pairs); err != nil {
		return nil, fmt.Errorf("genotype: %s: want [{op,input,node}] or [[op, input]]: %w", kind, err)
	}
	for i, p := range pairs {
		op, ok1 := p[0].(string)
		in, ok2 := p[1].(float64)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("genotype: %s[%d]: want [\"op\", input]", kind, i)
		}
		edges = append(edges, Edge{Op: op, Input: int(in), Node: i / 2})
	}
	return edges, nil
}

// LoadGenotype reads and validates a genotype JSON file.
func LoadGenotype(path string) (*Genotype, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	g, err := ParseGenotype(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}

// SearchSettings are the settings a genotype was searched with.
type SearchSettings struct {
	Fusion      string  `json:"fusion"`
	Cells       int     `json:"cells"`
	Nodes       int     `json:"nodes"`
	Channels    int     `json:"channels"`
	Size        int     `json:"size"`
	Batch       int     `json:"batch"`
	Steps       int     `json:"steps"`        // pair steps run
	WarmupSteps int     `json:"warmup_steps"` // of which weight-only
	ArchLR      float64 `json:"arch_lr"`
	Seed        int     `json:"seed"`
	SecondOrder bool    `json:"second_order,omitempty"`
}

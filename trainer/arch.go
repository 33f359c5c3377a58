package trainer

import (
	"fmt"
	"slices"

	"github.com/trapnet/trapnet/search"
)

// Edge is one kept operation of a derived cell: Op applied to state From
// (0 and 1 are the two cell inputs, 2+i the i-th intermediate node).
type Edge struct {
	Op   string `json:"op"`
	From int    `json:"from"`
}

// Cell is a derived cell: each node sums its edges; the cell output
// concatenates the states listed in Concat.
type Cell struct {
	Nodes  [][]Edge `json:"nodes"`
	Concat []int    `json:"concat"`
}

// Cells are the normal and reduction cells of a genotype in the form the
// derived network is built from.
type Cells struct {
	Normal Cell `json:"normal"`
	Reduce Cell `json:"reduce"`
}

// KnownOps lists the candidate operations the derived network can build:
// the search space of package search except its zero op.
var KnownOps = []string{
	search.OpSkip, search.OpAvgPool3, search.OpMaxPool3, search.OpSepConv3, search.OpSepConv5,
	search.OpDilConv3, search.OpDilConv5, search.OpConv1x1, search.OpSqueezeExcite,
}

// CellsFromGenotype converts a searched genotype into derived cells and
// checks it.
func CellsFromGenotype(g *search.Genotype) (Cells, error) {
	if g == nil {
		return Cells{}, fmt.Errorf("genotype: nil")
	}
	if g.Nodes < 1 || g.Nodes > 64 {
		return Cells{}, fmt.Errorf("genotype: nodes = %d, want 1..64", g.Nodes)
	}
	conv := func(kind string, edges []search.Edge, concat []int) (Cell, error) {
		c := Cell{Nodes: make([][]Edge, g.Nodes), Concat: append([]int(nil), concat...)}
		for i, e := range edges {
			if e.Node < 0 || e.Node >= g.Nodes {
				return c, fmt.Errorf("genotype %s edge %d (%s): node %d out of range [0,%d)", kind, i, e.Op, e.Node, g.Nodes)
			}
			c.Nodes[e.Node] = append(c.Nodes[e.Node], Edge{Op: e.Op, From: e.Input})
		}
		return c, nil
	}
	var cs Cells
	var err error
	if cs.Normal, err = conv("normal", g.Normal, g.NormalConcat); err != nil {
		return cs, err
	}
	if cs.Reduce, err = conv("reduce", g.Reduce, g.ReduceConcat); err != nil {
		return cs, err
	}
	return cs, cs.Validate()
}

// Validate checks op names and edge sources.
func (c *Cells) Validate() error {
	for _, cc := range []struct {
		name string
		cell *Cell
	}{{"normal", &c.Normal}, {"reduce", &c.Reduce}} {
		if err := cc.cell.validate(); err != nil {
			return fmt.Errorf("genotype %s cell: %w", cc.name, err)
		}
	}
	return nil
}

func (c *Cell) validate() error {
	if len(c.Nodes) == 0 {
		return fmt.Errorf("no nodes")
	}
	used := map[int]bool{}
	for _, s := range c.Concat {
		used[s] = true
	}
	for _, node := range c.Nodes {
		for _, e := range node {
			used[e.From] = true
		}
	}
	for i, node := range c.Nodes {
		if len(node) == 0 && used[i+2] {
			return fmt.Errorf("node %d has no edges but is used", i)
		}
		for j, e := range node {
			if !slices.Contains(KnownOps, e.Op) {
				return fmt.Errorf("node %d edge %d: unknown op %q (known: %v)", i, j, e.Op, KnownOps)
			}
			if e.From < 0 || e.From >= i+2 {
				return fmt.Errorf("node %d edge %d (%s): input %d out of range [0,%d)", i, j, e.Op, e.From, i+2)
			}
		}
	}
	if len(c.Concat) == 0 {
		return fmt.Errorf("empty concat list")
	}
	for _, s := range c.Concat {
		if s < 0 || s >= len(c.Nodes)+2 {
			return fmt.Errorf("concat state %d out of range [0,%d)", s, len(c.Nodes)+2)
		}
	}
	return nil
}

// Modality selects which branches the network uses.
type Modality string

// The modalities.
const (
	Fusion       Modality = "fusion"
	ImageOnly    Modality = "image"
	MetadataOnly Modality = "metadata"
)

// ParseModality checks a --modality value.
func ParseModality(s string) (Modality, error) {
	switch m := Modality(s); m {
	case Fusion, ImageOnly, MetadataOnly:
		return m, nil
	}
	return "", fmt.Errorf("unknown modality %q (want fusion, image or metadata)", s)
}

// Arch is everything that fixes the derived network's structure.
type Arch struct {
	Cells Cells `json:"cells"`
	// Layers is the number of cells; reductions sit at Layers/3 and 2*Layers/3.
	Layers int `json:"layers"`
	// Channels is C of the first cells (the stem outputs StemMult*C).
	Channels int `json:"channels"`
	StemMult int `json:"stem_mult"`
	// Size is the input image side; MetaDim the metadata vector length.
	Size    int `json:"size"`
	MetaDim int `json:"meta_dim"`
	// MetaHidden is the width of the metadata branch's two dense layers.
	MetaHidden int `json:"meta_hidden"`
	// FusionHidden is the width of the fusion MLP's hidden layer (0: the
	// joined embedding feeds the classifier directly).
	FusionHidden int `json:"fusion_hidden,omitempty"`
	// Fusion is search.FusionConcat (default when empty) or
	// search.FusionGated.
	Fusion   string   `json:"fusion,omitempty"`
	Classes  int      `json:"classes"`
	Modality Modality `json:"modality"`
	// Baseline replaces the cells by a fixed hand-designed CNN of the same
	// depth and widths (conv3x3-BN-ReLU per layer, stride 2 at reductions).
	Baseline bool `json:"baseline,omitempty"`
	// AuxWeight > 0 adds a training-only auxiliary classifier after the cell
	// at 2/3 depth (unless that is the last cell) whose loss is added with
	// this weight (DARTS uses 0.4).
	AuxWeight float64 `json:"aux_weight,omitempty"`
}

// Validate checks Arch.
func (a *Arch) Validate() error {
	if _, err := ParseModality(string(a.Modality)); err != nil {
		return err
	}
	if a.Fusion != "" && a.Fusion != search.FusionConcat && a.Fusion != search.FusionGated {
		return fmt.Errorf("arch: unknown fusion %q (want %s or %s)", a.Fusion, search.FusionConcat, search.FusionGated)
	}
	if a.Classes < 2 {
		return fmt.Errorf("arch: %d classes (need at least 2)", a.Classes)
	}
	if a.Modality != MetadataOnly {
		if a.Layers < 1 || a.Channels < 2 || a.Channels%2 != 0 || a.StemMult < 1 {
			return fmt.Errorf("arch: bad image branch (layers %d, channels %d (even), stem mult %d)", a.Layers, a.Channels, a.StemMult)
		}
		red := 0
		for i := range a.Layers {
			if a.isReduction(i) {
				red++
			}
		}
		if a.Size < 1 || a.Size%(1<<red) != 0 {
			return fmt.Errorf("arch: image size %d must be divisible by %d (%d reduction cells)", a.Size, 1<<red, red)
		}
		if !a.Baseline {
			if err := a.Cells.Validate(); err != nil {
				return err
			}
		}
	}
	if a.Modality != ImageOnly && (a.MetaDim < 1 || a.MetaHidden < 1) {
		return fmt.Errorf("arch: metadata branch needs meta_dim (%d) and meta_hidden (%d) >= 1", a.MetaDim, a.MetaHidden)
	}
	return nil
}

func (a *Arch) isReduction(i int) bool {
	if a.Layers < 3 {
		return i == a.Layers-1 && a.Layers > 1
	}
	return i == a.Layers/3 || i == 2*a.Layers/3
}

// LoadCells reads a genotype file and converts it into derived cells; errors
// name the file and the bad op or edge.
func LoadCells(path string) (Cells, *search.Genotype, error) {
	g, err := search.LoadGenotype(path)
	if err != nil {
		return Cells{}, nil, fmt.Errorf("genotype: %w", err)
	}
	c, err := CellsFromGenotype(g)
	if err != nil {
		return Cells{}, nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, g, nil
}

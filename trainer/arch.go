package trainer

import (
	"fmt"

	"github.com/trapnet/trapnet/search"
)

// CellsFromGenotype returns a searched genotype's cells after checking them.
func CellsFromGenotype(g *search.Genotype) (search.Cells, error) {
	if g == nil {
		return search.Cells{}, fmt.Errorf("genotype: nil")
	}
	c := g.Cells()
	return c, c.Validate()
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
	Cells search.Cells `json:"cells"`
	// Layers is the number of cells; search.IsReduction places the
	// reduction cells (the rule the supernet was searched with).
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
			if search.IsReduction(i, a.Layers) {
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

// LoadCells reads a genotype file and converts it into derived cells; errors
// name the file and the bad op or edge.
func LoadCells(path string) (search.Cells, *search.Genotype, error) {
	g, err := search.LoadGenotype(path)
	if err != nil {
		return search.Cells{}, nil, fmt.Errorf("genotype: %w", err)
	}
	c, err := CellsFromGenotype(g)
	if err != nil {
		return search.Cells{}, nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, g, nil
}

// GenotypeWarnings lists what makes g a weak basis for training a: a cell
// type a uses whose alphas got no gradient in the search (the search had
// no reduction cell), and a genotype the search reported as undecided.
func GenotypeWarnings(g *search.Genotype, a Arch) []string {
	var out []string
	if s := g.Settings; s != nil && a.Modality != MetadataOnly {
		searched := false
		for i := range s.Cells {
			searched = searched || search.IsReduction(i, s.Cells)
		}
		used := false
		for i := range a.Layers {
			used = used || search.IsReduction(i, a.Layers)
		}
		if used && !searched {
			out = append(out, fmt.Sprintf("the genotype was searched with %d cells (no reduction cell), so its reduce cell "+
				"was never trained; %d cells use it: search with >= 3 cells", s.Cells, a.Layers))
		}
	}
	if d := g.Decision; d != nil {
		if w := d.Warning(); w != "" {
			out = append(out, w)
		}
	}
	return out
}

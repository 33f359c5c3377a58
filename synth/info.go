package synth

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
)

// InfoFile is the name of the ground-truth description in a dataset dir.
const InfoFile = "synth_info.json"

// Version identifies the generator; it changes whenever output bytes for
// the same options change.
const Version = "synth/8"

// infoCompatible lists earlier versions whose datasets (catalog, CSV,
// images) are byte-identical to this one's, so LoadInfo accepts them:
// synth/7 and synth/8 (a trap camera's white point, synth/trap) changed
// only the trap frames.
var infoCompatible = []string{"synth/6", "synth/7"}

// Info is the content of synth_info.json: how the set was made and the
// ground truth behind it (taxonomy, look-alike groups, regions, sizes).
type Info struct {
	// Version is the generator version; Seed to Square are the Options
	// that made the set.
	Version   string  `json:"generator_version"`
	Seed      uint64  `json:"seed"`
	Species   int     `json:"species"`
	Unseen    int     `json:"unseen_species"`
	Images    int     `json:"images"`
	Imbalance float64 `json:"imbalance"`
	Size      int     `json:"size"`
	Square    bool    `json:"square"`
	// OrigPixelsPerMM, OrigWidth, OrigHeight describe the imaging model
	// behind image_measurement_value, area_fraction and scale_factor.
	OrigPixelsPerMM float64 `json:"orig_pixels_per_mm"`
	OrigWidth       int     `json:"orig_width"`
	OrigHeight      int     `json:"orig_height"`
	// Summary counts the rows (its Dir and Duration are left empty so the
	// file is reproducible); Catalog is the ground truth.
	Summary Summary `json:"summary"`
	Catalog Catalog `json:"catalog"`
}

func writeInfo(path string, cat *Catalog, o *Options, s Summary) error {
	info := Info{
		Version: Version, Seed: o.Seed, Species: o.Species, Unseen: o.Unseen, Images: o.Images,
		Imbalance: o.Imbalance, Size: o.Size, Square: o.Square,
		OrigPixelsPerMM: OrigPixelsPerMM, OrigWidth: OrigWidth, OrigHeight: OrigHeight,
		Summary: s, Catalog: *cat,
	}
	info.Summary.Duration = 0 // keep the file byte-identical across runs
	info.Summary.Dir = ""
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}

// LoadInfo reads a synth_info.json and rebuilds its catalog (so that the
// species can be drawn again), checking that the rebuilt species match.
func LoadInfo(path string) (*Info, *Catalog, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var info Info
	if err := json.Unmarshal(b, &info); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if info.Version != Version && !slices.Contains(infoCompatible, info.Version) {
		return nil, nil, fmt.Errorf("%s: generator version %q, this build writes %q", path, info.Version, Version)
	}
	cat, err := NewCatalog(info.Seed, info.Species, info.Unseen)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(cat.Species) != len(info.Catalog.Species) {
		return nil, nil, fmt.Errorf("%s: catalog has %d species, rebuilt %d", path, len(info.Catalog.Species), len(cat.Species))
	}
	for i := range cat.Species {
		if cat.Species[i].Name != info.Catalog.Species[i].Name {
			return nil, nil, fmt.Errorf("%s: species %d is %q, rebuilt %q", path, i, info.Catalog.Species[i].Name, cat.Species[i].Name)
		}
	}
	return &info, cat, nil
}

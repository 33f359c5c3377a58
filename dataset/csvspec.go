package dataset

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// Spec describes a generic CSV dataset (Insects-1M-style data, trap
// captures): one row per image with an image path, a label and optional
// split and metadata columns. It can be written as a small YAML file.
type Spec struct {
	// CSV is the CSV file (relative paths are relative to the spec file's
	// folder when loaded with LoadSpec).
	CSV string `yaml:"csv" json:"csv"`
	// Root is the folder image paths are relative to (default: the CSV's
	// folder).
	Root string `yaml:"root" json:"root"`
	// ImageColumn holds the image path (default "image").
	ImageColumn string `yaml:"image_column" json:"image_column"`
	// LabelColumn holds the class name (default "label").
	LabelColumn string `yaml:"label_column" json:"label_column"`
	// SplitColumn holds the split; empty means every row is train (use
	// SplitFraction to carve out a validation set).
	SplitColumn string `yaml:"split_column" json:"split_column"`
	// IDColumn optionally holds a specimen id (default: the image path).
	IDColumn string `yaml:"id_column" json:"id_column"`
	// MetadataColumns are the columns passed to the metadata schema; empty
	// means every column other than image, label, split and id.
	MetadataColumns []string `yaml:"metadata_columns" json:"metadata_columns"`
	// SplitBy says how rows are split when there is no split column:
	// SplitByTrapNight (val and test drawn by trap and night, from the
	// trap_id and datetime metadata columns) or SplitByNone (all train).
	// Empty: SplitByTrapNight when both columns are metadata, else none.
	SplitBy string `yaml:"split_by" json:"split_by,omitempty"`
}

// LoadSpec reads a YAML spec file. Relative CSV and Root paths are made
// relative to the spec file's folder.
func LoadSpec(path string) (Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Spec{}, fmt.Errorf("dataset: spec file: %w", err)
	}
	var s Spec
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return Spec{}, fmt.Errorf("dataset: spec file %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	if s.CSV == "" {
		return Spec{}, fmt.Errorf("dataset: spec file %s: csv is required", path)
	}
	if !filepath.IsAbs(s.CSV) {
		s.CSV = filepath.Join(dir, s.CSV)
	}
	if s.Root != "" && !filepath.IsAbs(s.Root) {
		s.Root = filepath.Join(dir, s.Root)
	}
	return s, nil
}

func (s Spec) withDefaults() Spec {
	if s.ImageColumn == "" {
		s.ImageColumn = "image"
	}
	if s.LabelColumn == "" {
		s.LabelColumn = "label"
	}
	if s.Root == "" {
		s.Root = filepath.Dir(s.CSV)
	}
	return s
}

// OpenCSV reads a generic CSV dataset. The image and label columns are
// required; the split column, if named, must exist. Split values are the
// BIOSCAN names or the aliases validation/valid/dev/training/testing;
// unknown ones are reported and the row skipped. Options.Rank is ignored
// (the dataset's Rank is the label column's name); Package is unused.
func OpenCSV(spec Spec, opts Options) (*Dataset, error) {
	opts.Rank = ""
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if spec.CSV == "" {
		return nil, fmt.Errorf("dataset: CSV spec names no csv file")
	}
	spec = spec.withDefaults()
	switch spec.SplitBy {
	case "", SplitByNone, SplitByTrapNight:
	default:
		return nil, fmt.Errorf("dataset: %s: split_by %q: want %s or %s", spec.CSV, spec.SplitBy, SplitByTrapNight, SplitByNone)
	}
	f, err := openFile(spec.CSV, "dataset CSV file")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := newBuilder(opts, spec.CSV)
	img, label, split, id := -1, -1, -1, -1
	onHeader := func(h *header) error {
		img, label = h.col(spec.ImageColumn), h.col(spec.LabelColumn)
		if img < 0 || label < 0 {
			return fmt.Errorf("header lacks image column %q or label column %q (have %v)", spec.ImageColumn, spec.LabelColumn, h.names)
		}
		if spec.SplitColumn != "" {
			if split = h.col(spec.SplitColumn); split < 0 {
				return fmt.Errorf("header lacks split column %q (have %v)", spec.SplitColumn, h.names)
			}
		}
		if spec.IDColumn != "" {
			if id = h.col(spec.IDColumn); id < 0 {
				return fmt.Errorf("header lacks id column %q (have %v)", spec.IDColumn, h.names)
			}
		}
		var meta []int
		if len(spec.MetadataColumns) > 0 {
			for _, c := range spec.MetadataColumns {
				j := h.col(c)
				if j < 0 {
					return fmt.Errorf("header lacks metadata column %q (have %v)", c, h.names)
				}
				meta = append(meta, j)
			}
		} else {
			for j, n := range h.names {
				if n != "" && j != img && j != label && j != split && j != id {
					meta = append(meta, j)
				}
			}
		}
		b.setMeta(h, meta)
		return nil
	}
	err = readCSV(f, spec.CSV, b.rep, onHeader, func(line int, rec []string) {
		sp := SplitTrain
		if split >= 0 {
			if sp = canonicalSplit(rec[split]); sp == "" {
				b.rep.Add(Issue{Kind: UnknownSplit, File: spec.CSV, Line: line, Reason: fmt.Sprintf("unknown split %q (want train, val, test or another of %v)", rec[split], Splits)})
				return
			}
		}
		if !b.wanted(sp) {
			return
		}
		p := strings.TrimSpace(rec[img])
		if p == "" {
			b.rep.Add(Issue{Kind: BadRow, File: spec.CSV, Line: line, Reason: fmt.Sprintf("empty image path in column %s", spec.ImageColumn)})
			return
		}
		pid := p
		if id >= 0 && strings.TrimSpace(rec[id]) != "" {
			pid = strings.TrimSpace(rec[id])
		}
		path := filepath.FromSlash(p)
		if !filepath.IsAbs(path) {
			path = filepath.Join(spec.Root, path)
		}
		b.add(Sample{
			Line:      line,
			ProcessID: strings.Clone(pid),
			Split:     sp,
			Label:     cleanLabel(rec[label]),
			ImagePath: path,
			Meta:      b.meta(rec, line),
		})
	})
	if err != nil {
		return nil, err
	}
	by := spec.SplitBy
	if by == "" && split < 0 && contains(*b.metaCols, ColTrapID) && contains(*b.metaCols, ColDatetime) {
		by = SplitByTrapNight
	}
	var groups map[string]int
	if split < 0 && by == SplitByTrapNight {
		groups = splitByGroup(b.samples, spec.CSV, b.rep)
	}
	d := b.finish(spec.Root, strings.ToLower(spec.LabelColumn))
	d.Groups = groups
	return d, nil
}

// Package dataset reads labelled insect image datasets (BIOSCAN-5M and a
// generic CSV format for Insects-1M-style data and trap captures), assigns
// class ids at a chosen taxonomic rank, and streams preprocessed, shuffled
// batches of (image, metadata, label) for architecture search and training.
//
// Bad input never stops it: malformed rows, unusable values and unreadable
// images are skipped (or, for bad values, blanked), counted and listed in a
// Report with the file, row or path and the reason.
package dataset

import (
	"fmt"
	"sort"
)

// Taxonomic ranks usable as targets.
const (
	RankOrder     = "order"
	RankFamily    = "family"
	RankSubfamily = "subfamily"
	RankGenus     = "genus"
	RankSpecies   = "species"
)

// Ranks lists the target ranks, coarsest first.
var Ranks = []string{RankOrder, RankFamily, RankSubfamily, RankGenus, RankSpecies}

// The official BIOSCAN-5M splits.
const (
	SplitPretrain     = "pretrain"
	SplitTrain        = "train"
	SplitVal          = "val"
	SplitTest         = "test"
	SplitKeyUnseen    = "key_unseen"
	SplitValUnseen    = "val_unseen"
	SplitTestUnseen   = "test_unseen"
	SplitOtherHeldout = "other_heldout"
)

// Splits lists the known split names in their canonical order.
var Splits = []string{SplitPretrain, SplitTrain, SplitVal, SplitTest, SplitKeyUnseen, SplitValUnseen, SplitTestUnseen, SplitOtherHeldout}

// openWorld reports whether a split holds, by design, labels absent from
// train (BIOSCAN-5M's open-world splits and pretrain).
func openWorld(split string) bool {
	switch split {
	case SplitKeyUnseen, SplitValUnseen, SplitTestUnseen, SplitOtherHeldout, SplitPretrain:
		return true
	}
	return false
}

// OtherClass is the name of the class rare classes are folded into
// (Options.RareMode == RareOther).
const OtherClass = "other"

// How classes with fewer than Options.MinPerClass training samples are handled.
const (
	// RareOther folds them into one class named OtherClass (the last id).
	RareOther = "other"
	// RareDrop leaves their samples out (counted in the report).
	RareDrop = "drop"
)

// Sample is one specimen: its row, split, label and image.
type Sample struct {
	// Line is the 1-based line of the row in its CSV file (the header is
	// line 1).
	Line int
	// ProcessID identifies the specimen (BIOSCAN processid; for generic CSV
	// the image path as written in the file).
	ProcessID string
	// Split is the sample's split (one of Splits).
	Split string
	// Label is the name at the target rank; empty when unlabelled.
	Label string
	// Class is the class id (index in Dataset.Classes), or -1 when the label
	// is unknown to the training split.
	Class int
	// ImagePath is the image file path (see ResolveImage for BIOSCAN's
	// chunk-less fallback).
	ImagePath string
	// Meta holds the metadata column values (compact; see Meta.Row).
	Meta Meta

	// noChunkFallback marks BIOSCAN paths whose file may also sit directly
	// under the split folder.
	chunkFallback bool
}

// Dataset is an opened dataset: its samples (text only, no images) and the
// class list at the target rank.
type Dataset struct {
	// Root is the dataset directory.
	Root string
	// Rank is the target rank (or the label column of a generic CSV).
	Rank string
	// Classes are the class names; the index is the class id. Sorted by
	// name, assigned from the train split, with OtherClass last when rare
	// classes are folded.
	Classes []string
	// Samples are all kept samples in file order.
	Samples []Sample
	// Report counts and lists everything that was skipped or repaired.
	Report *Report
	// Sources says what each source contributed (set by Open).
	Sources []SourceSummary
	// Groups counts the trap-night groups per split when a generic CSV's
	// splits were drawn by group (Spec.SplitBy); nil otherwise.
	Groups map[string]int
}

// Options control how a dataset is opened.
type Options struct {
	// Rank is the target rank (order, family, subfamily, genus, species;
	// default species). Ignored by OpenCSV.
	Rank string
	// Package is the BIOSCAN image package: cropped_256 (default),
	// original_256, cropped or original_full.
	Package string
	// Splits, when not empty, keeps only samples of these splits (the
	// train split is always read, as it defines the classes). Use it to
	// skip BIOSCAN's 4.5M-row pretrain split when it is not needed.
	Splits []string
	// KeepUnlabelled keeps rows with no label at the rank (Class -1);
	// by default they are left out and counted per split.
	KeepUnlabelled bool
	// MinPerClass is the fewest train samples a class needs (0: no limit).
	MinPerClass int
	// RareMode says what happens to rarer classes: RareOther (default) or
	// RareDrop.
	RareMode string
	// CheckImages stats every image file while opening and leaves out (and
	// counts) rows whose image is missing. Slow for millions of rows.
	CheckImages bool
	// MaxListed caps the issues listed per kind in the Report (0: 20).
	MaxListed int

	// deferClasses leaves class ids (-1) and their issues to Open, which
	// assigns them over all sources.
	deferClasses bool
}

func (o Options) withDefaults() (Options, error) {
	if o.Rank == "" {
		o.Rank = RankSpecies
	}
	if !contains(Ranks, o.Rank) {
		return o, fmt.Errorf("dataset: unknown rank %q (want one of %v)", o.Rank, Ranks)
	}
	if o.Package == "" {
		o.Package = "cropped_256"
	}
	switch o.Package {
	case "cropped_256", "original_256", "cropped", "original_full":
	default:
		return o, fmt.Errorf("dataset: unknown BIOSCAN image package %q (want cropped_256, original_256, cropped or original_full)", o.Package)
	}
	if o.RareMode == "" {
		o.RareMode = RareOther
	}
	if o.RareMode != RareOther && o.RareMode != RareDrop {
		return o, fmt.Errorf("dataset: unknown rare-class mode %q (want %s or %s)", o.RareMode, RareOther, RareDrop)
	}
	for _, s := range o.Splits {
		if !contains(Splits, s) {
			return o, fmt.Errorf("dataset: unknown split %q in options (want one of %v)", s, Splits)
		}
	}
	if o.MaxListed <= 0 {
		o.MaxListed = 20
	}
	return o, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Split returns the samples of the named split (labelled or not; see
// Labelled), in file order. The slice shares no memory with d.Samples.
func (d *Dataset) Split(name string) []Sample {
	var out []Sample
	for i := range d.Samples {
		if d.Samples[i].Split == name {
			out = append(out, d.Samples[i])
		}
	}
	return out
}

// SplitSizes returns the number of samples per split.
func (d *Dataset) SplitSizes() map[string]int {
	m := map[string]int{}
	for i := range d.Samples {
		m[d.Samples[i].Split]++
	}
	return m
}

// Labelled returns the samples with a class id (Class >= 0).
func Labelled(samples []Sample) []Sample {
	var out []Sample
	for _, s := range samples {
		if s.Class >= 0 {
			out = append(out, s)
		}
	}
	return out
}

// ClassCounts returns, for numClasses classes, how many samples have each
// class id; samples with Class < 0 or >= numClasses are not counted.
func ClassCounts(samples []Sample, numClasses int) []int {
	c := make([]int, numClasses)
	for i := range samples {
		if k := samples[i].Class; k >= 0 && k < numClasses {
			c[k]++
		}
	}
	return c
}

// ClassCounts returns the per-class sample counts of the named split.
func (d *Dataset) ClassCounts(split string) []int {
	return ClassCounts(d.Split(split), len(d.Classes))
}

// classIDs assigns sorted ids to the names in counts whose count is at least
// minCount; with fold the rest map to OtherClass (the last id).
func classIDs(counts map[string]int, minCount int, fold bool) (classes []string, ids map[string]int) {
	ids = map[string]int{}
	rare := false
	for name, c := range counts {
		if c >= minCount {
			classes = append(classes, name)
		} else {
			rare = true
		}
	}
	sort.Strings(classes)
	for i, c := range classes {
		ids[c] = i
	}
	if fold && rare {
		other, ok := ids[OtherClass] // a real class named "other" absorbs them
		if !ok {
			other = len(classes)
			classes = append(classes, OtherClass)
		}
		for name, c := range counts {
			if c < minCount {
				ids[name] = other
			}
		}
	}
	return classes, ids
}

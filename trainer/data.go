package trainer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/metadata"
	"github.com/trapnet/trapnet/preprocess"
)

// Data is an opened dataset ready for training: loaders for train (shuffled
// or balanced, augmented), val and test, and what the model directory
// records about it.
type Data struct {
	Train, Val, Test BatchSource
	Names            []string
	Rank             string
	Schema           *metadata.Schema
	Prep             preprocess.Params
	Summary          DataSummary
	// ClassWeights are the class-weighted loss weights (nil unless
	// balance is "weights").
	ClassWeights []float32
	// Sources says what came from which dataset; Report lists what was
	// skipped or repaired.
	Sources []dataset.SourceSummary
	Report  *dataset.Report
	// NormFitted is the number of training images the normalisation
	// statistics were fitted on (0: BIOSCAN-5M's published values or
	// DataOptions.Prep).
	NormFitted int
}

// DataOptions select how OpenData prepares a dataset.
type DataOptions struct {
	Rank    string
	Size    int
	Batch   int
	Balance string // weights, sampler or none
	Augment preprocess.Augment
	Seed    uint64
	// ValFraction of train is held out when the dataset has no val split.
	ValFraction float64
	// Schema and Prep, when set, are used as they are instead of being
	// fitted (fine-tuning keeps the initial model's).
	Schema *metadata.Schema
	Prep   *preprocess.Params
	// BaseClasses, when set, keep these class names first and in this
	// order (fine-tuning: the initial model's labels), new ones after.
	BaseClasses []string
	// NormImages caps the training images the normalisation statistics
	// are fitted on (0: 2000).
	NormImages int
	// MaxPerClass caps the training samples per class (0: no cap); with
	// BaseClasses only those classes are capped: it bounds the old data
	// replayed while fine-tuning, new classes are kept whole.
	MaxPerClass int
}

// OpenData opens the datasets at paths (BIOSCAN-5M folders, generic CSV
// folders or spec files; see dataset.ParseSource) as one, with the union
// of their train labels as classes, fits the metadata schema and, unless
// every source is BIOSCAN-5M, the image normalisation on the train split,
// and builds the loaders.
func OpenData(paths []string, o DataOptions) (*Data, error) {
	if o.Balance == "" {
		o.Balance = "weights"
	}
	if !slices.Contains([]string{"weights", "sampler", "none"}, o.Balance) {
		return nil, fmt.Errorf("balance %q: want weights, sampler or none", o.Balance)
	}
	if err := o.Augment.Check(); err != nil {
		return nil, err
	}
	srcs, err := dataset.ParseSources(paths)
	if err != nil {
		return nil, err
	}
	ds, err := dataset.Open(srcs, dataset.Options{Rank: o.Rank, Splits: []string{dataset.SplitTrain, dataset.SplitVal, dataset.SplitTest}})
	if err != nil {
		return nil, err
	}
	names := ds.Classes
	if len(o.BaseClasses) > 0 {
		names = withBase(o.BaseClasses, ds.Classes)
		ds.Samples, _ = dataset.MapToLabels(ds.Samples, names)
	}
	train := dataset.Labelled(ds.Split(dataset.SplitTrain))
	val := dataset.Labelled(ds.Split(dataset.SplitVal))
	test := dataset.Labelled(ds.Split(dataset.SplitTest))
	where := strings.Join(paths, " + ")
	if len(names) < 2 || len(train) == 0 {
		return nil, fmt.Errorf("dataset %s: %d classes and %d labelled train samples at rank %s: nothing to train", where, len(names), len(train), ds.Rank)
	}
	if len(val) == 0 {
		frac := o.ValFraction
		if frac <= 0 {
			frac = 0.15
		}
		val, train = dataset.SplitFraction(train, frac, o.Seed)
	}
	train = capTrain(train, o.MaxPerClass, len(o.BaseClasses), o.Seed)
	d := &Data{Names: names, Rank: ds.Rank, Schema: o.Schema, Sources: ds.Sources, Report: ds.Report}
	if d.Schema == nil {
		if d.Schema, err = dataset.FitMetadata(train, nil); err != nil {
			return nil, err
		}
	}
	switch {
	case o.Prep != nil:
		d.Prep = *o.Prep
	default:
		if d.Prep, d.NormFitted, err = dataset.TrainPrep(srcs, train, o.Size, o.NormImages, o.Seed, ds.Report); err != nil {
			return nil, fmt.Errorf("dataset %s: %w", where, err)
		}
	}
	prep := d.Prep
	d.Summary = DataSummary{Dataset: where, Rank: ds.Rank, ClassCounts: dataset.ClassCounts(train, len(names)),
		SplitSizes: map[string]int{"train": len(train), "val": len(val), "test": len(test)}}
	topts := dataset.LoaderOptions{BatchSize: o.Batch, Shuffle: true, Augment: o.Augment, Seed: o.Seed, DropLast: true}
	switch o.Balance {
	case "weights":
		d.ClassWeights = dataset.ClassWeights(d.Summary.ClassCounts)
	case "sampler":
		topts.Weights = dataset.BalancedWeights(train, len(names), 1)
	}
	schema := d.Schema
	if d.Train, err = dataset.NewLoader(train, schema, prep, topts); err != nil {
		return nil, err
	}
	eopts := dataset.LoaderOptions{BatchSize: o.Batch, Seed: o.Seed}
	if d.Val, err = dataset.NewLoader(val, schema, prep, eopts); err != nil {
		return nil, err
	}
	if len(test) > 0 {
		if d.Test, err = dataset.NewLoader(test, schema, prep, eopts); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// capTrain caps the samples per class (n <= 0: no cap); when base > 0 only
// the classes below base (the initial model's) are capped.
func capTrain(train []dataset.Sample, n, base int, seed uint64) []dataset.Sample {
	if n <= 0 || base == 0 {
		return dataset.CapPerClass(train, n, seed)
	}
	var known, added []dataset.Sample
	for _, s := range train {
		if s.Class < base {
			known = append(known, s)
		} else {
			added = append(added, s)
		}
	}
	return append(dataset.CapPerClass(known, n, seed), added...)
}

// withBase returns base followed by the names of extra not in base (in
// extra's order).
func withBase(base, extra []string) []string {
	out := slices.Clone(base)
	for _, n := range extra {
		if !slices.Contains(base, n) {
			out = append(out, n)
		}
	}
	return out
}

// OpenEvalSplit opens split of the datasets at paths for a trained model:
// samples are mapped to the model's class ids by label name, and labels the
// model does not know are an error naming them.
func OpenEvalSplit(paths []string, split string, m *ModelDir, batch int) (BatchSource, error) {
	rank := m.DataSummary.Rank
	if rank == "" {
		rank = m.Config.Rank
	}
	ds, err := dataset.OpenPaths(paths, rank, dataset.Options{Splits: []string{dataset.SplitTrain, split}})
	if err != nil {
		return nil, err
	}
	where := strings.Join(paths, " + ")
	samples, unknown := dataset.MapToLabels(ds.Split(split), m.Labels)
	if len(unknown) > 0 {
		return nil, fmt.Errorf("dataset %s split %s: labels at rank %s not in the model's label map (%d classes): %s",
			where, split, ds.Rank, len(m.Labels), dataset.DescribeCounts(unknown, 5))
	}
	if len(samples) == 0 {
		return nil, fmt.Errorf("dataset %s: split %s has no labelled samples", where, split)
	}
	return dataset.NewLoader(samples, m.Schema, m.Preprocess, dataset.LoaderOptions{BatchSize: batch})
}

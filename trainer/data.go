package trainer

import (
	"fmt"
	"slices"
	"sort"
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
}

// OpenData opens a BIOSCAN-layout dataset, fits the metadata schema on its
// train split and builds the loaders.
func OpenData(dir string, o DataOptions) (*Data, error) {
	if o.Balance == "" {
		o.Balance = "weights"
	}
	if !slices.Contains([]string{"weights", "sampler", "none"}, o.Balance) {
		return nil, fmt.Errorf("balance %q: want weights, sampler or none", o.Balance)
	}
	ds, err := dataset.OpenBIOSCAN(dir, dataset.Options{Rank: o.Rank, Splits: []string{dataset.SplitTrain, dataset.SplitVal, dataset.SplitTest}})
	if err != nil {
		return nil, err
	}
	train := dataset.Labelled(ds.Split(dataset.SplitTrain))
	val := dataset.Labelled(ds.Split(dataset.SplitVal))
	test := dataset.Labelled(ds.Split(dataset.SplitTest))
	if len(ds.Classes) < 2 || len(train) == 0 {
		return nil, fmt.Errorf("dataset %s: %d classes and %d labelled train samples at rank %s: nothing to train", dir, len(ds.Classes), len(train), ds.Rank)
	}
	if len(val) == 0 {
		frac := o.ValFraction
		if frac <= 0 {
			frac = 0.15
		}
		val, train = dataset.SplitFraction(train, frac, o.Seed)
	}
	schema, err := dataset.FitMetadata(train, nil)
	if err != nil {
		return nil, err
	}
	prep := preprocess.Default(o.Size)
	d := &Data{Names: ds.Classes, Rank: ds.Rank, Schema: schema, Prep: prep,
		Summary: DataSummary{Dataset: dir, Rank: ds.Rank, ClassCounts: dataset.ClassCounts(train, len(ds.Classes)),
			SplitSizes: map[string]int{"train": len(train), "val": len(val), "test": len(test)}}}
	topts := dataset.LoaderOptions{BatchSize: o.Batch, Shuffle: true, Augment: o.Augment, Seed: o.Seed, DropLast: true}
	switch o.Balance {
	case "weights":
		d.ClassWeights = dataset.ClassWeights(d.Summary.ClassCounts)
	case "sampler":
		topts.Weights = dataset.BalancedWeights(train, len(ds.Classes), 1)
	}
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

// OpenEvalSplit opens split of a BIOSCAN-layout dataset for a trained model:
// samples are mapped to the model's class ids by label name, and labels the
// model does not know are an error naming them.
func OpenEvalSplit(dir, split string, m *ModelDir, batch int) (BatchSource, error) {
	rank := m.DataSummary.Rank
	if rank == "" {
		rank = m.Config.Rank
	}
	ds, err := dataset.OpenBIOSCAN(dir, dataset.Options{Rank: rank, Splits: []string{dataset.SplitTrain, split}})
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	for i, l := range m.Labels {
		index[l] = i
	}
	var samples []dataset.Sample
	unknown := map[string]int{}
	for _, s := range ds.Split(split) {
		if s.Label == "" {
			continue
		}
		c, ok := index[s.Label]
		if !ok {
			unknown[s.Label]++
			continue
		}
		s.Class = c
		samples = append(samples, s)
	}
	if len(unknown) > 0 {
		var names []string
		for l, n := range unknown {
			names = append(names, fmt.Sprintf("%q (%d)", l, n))
		}
		sort.Strings(names)
		if len(names) > 5 {
			names = append(names[:5], fmt.Sprintf("and %d more", len(names)-5))
		}
		return nil, fmt.Errorf("dataset %s split %s: labels at rank %s not in the model's label map (%d classes): %s",
			dir, split, rank, len(m.Labels), strings.Join(names, ", "))
	}
	if len(samples) == 0 {
		return nil, fmt.Errorf("dataset %s: split %s has no labelled samples", dir, split)
	}
	return dataset.NewLoader(samples, m.Schema, m.Preprocess, dataset.LoaderOptions{BatchSize: batch})
}

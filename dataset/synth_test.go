package dataset_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/preprocess"
	"github.com/trapnet/trapnet/synth"
)

// TestSynthDataset opens a small synthetic BIOSCAN-layout dataset written by
// package synth and streams one epoch of it, end to end.
func TestSynthDataset(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a synthetic dataset")
	}
	o := synth.DefaultOptions()
	o.Dir, o.Species, o.Images, o.Imbalance, o.Size, o.Workers = t.TempDir(), 4, 120, 2, 32, 1
	if _, err := synth.Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	d, err := dataset.OpenBIOSCAN(o.Dir, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []dataset.Kind{dataset.BadRow, dataset.BadValue, dataset.UnknownSplit} {
		if n := d.Report.Count(k); n != 0 {
			t.Errorf("synth output has %d %s issues: %v", n, k, d.Report.Issues(k))
		}
	}
	if len(d.Classes) != 4 {
		t.Fatalf("classes %v, want 4", d.Classes)
	}
	train := dataset.Labelled(d.Split(dataset.SplitTrain))
	schema, err := dataset.FitMetadata(train, nil)
	if err != nil {
		t.Fatal(err)
	}
	l, err := dataset.NewLoader(train, schema, preprocess.Default(16), dataset.LoaderOptions{BatchSize: 16, Shuffle: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	n := 0
	for {
		b, err := l.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n += b.N
	}
	if n != len(train) || l.Skipped() != 0 {
		t.Fatalf("loaded %d of %d train samples, skipped %d: %v", n, len(train), l.Skipped(), l.Report().Issues(dataset.MissingImage))
	}
}

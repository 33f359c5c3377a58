package dataset

import (
	"context"
	"errors"
	"io"
	"slices"
	"testing"

	"github.com/trapnet/trapnet/preprocess"
)

// epoch drains one epoch and returns its batches.
func drain(t *testing.T, l *Loader) []*Batch {
	t.Helper()
	var out []*Batch
	for {
		b, err := l.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
}

func TestLoaderBatches(t *testing.T) {
	root := writeBIOSCAN(t, goodRows(t, 10))
	d, err := OpenBIOSCAN(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	train := d.Split("train")
	schema, err := d.FitMetadata(nil)
	if err != nil {
		t.Fatal(err)
	}
	prep := preprocess.Default(16)
	cases := []struct {
		name      string
		opts      LoaderOptions
		wantSizes []int
	}{
		{"plain", LoaderOptions{BatchSize: 4}, []int{4, 4, 2}},
		{"drop last", LoaderOptions{BatchSize: 4, DropLast: true}, []int{4, 4}},
		{"shuffle augment", LoaderOptions{BatchSize: 3, Shuffle: true, Augment: preprocess.Augment{Pad: 2, HFlip: true, VFlip: true}, Seed: 7}, []int{3, 3, 3, 1}},
		{"weighted", LoaderOptions{BatchSize: 5, Weights: BalancedWeights(train, len(d.Classes), 1), Seed: 3}, []int{5, 5}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ref []*Batch
			for _, workers := range []int{1, 3} {
				opts := tc.opts
				opts.Workers, opts.Prefetch = workers, 1
				l, err := NewLoader(train, schema, prep, opts)
				if err != nil {
					t.Fatal(err)
				}
				bs := drain(t, l)
				l.Close()
				var sizes []int
				for _, b := range bs {
					sizes = append(sizes, b.N)
					if len(b.Images) != b.N*16*16*3 || len(b.Meta) != b.N*schema.Dim() || len(b.Labels) != b.N {
						t.Fatalf("batch shapes: images %d meta %d labels %d for N=%d", len(b.Images), len(b.Meta), len(b.Labels), b.N)
					}
				}
				if !slices.Equal(sizes, tc.wantSizes) {
					t.Fatalf("workers=%d: batch sizes %v, want %v", workers, sizes, tc.wantSizes)
				}
				if ref == nil {
					ref = bs
					continue
				}
				for i := range bs {
					if !slices.Equal(bs[i].ProcessIDs, ref[i].ProcessIDs) || !slices.Equal(bs[i].Images, ref[i].Images) || !slices.Equal(bs[i].Meta, ref[i].Meta) {
						t.Fatalf("workers=%d: batch %d differs from workers=1", workers, i)
					}
				}
			}
		})
	}
}

package dataset

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/trapnet/trapnet/metadata"
	"github.com/trapnet/trapnet/preprocess"
)

// LoaderOptions configure a Loader.
type LoaderOptions struct {
	// BatchSize is the number of samples per batch (default 32).
	BatchSize int
	// Shuffle visits the samples in a new random order each epoch.
	Shuffle bool
	// Weights, when set (one per sample), makes each epoch len(samples)
	// draws with replacement, sample i drawn with probability proportional
	// to Weights[i] (see BalancedWeights). It overrides Shuffle.
	Weights []float64
	// Augment is applied to each image after preprocessing (zero: none).
	Augment preprocess.Augment
	// Seed makes shuffling and augmentation reproducible. The batches of an
	// epoch depend only on (samples, Seed, epoch), not on Workers.
	Seed uint64
	// Workers decode and preprocess in parallel (default GOMAXPROCS).
	Workers int
	// Prefetch is the number of ready batches queued ahead (default 2).
	Prefetch int
	// DropLast drops the last, partial batch of an epoch.
	DropLast bool
	// Report receives the images skipped while loading (default: a new
	// report, see Loader.Report).
	Report *Report
}

// Batch is a set of decoded, preprocessed samples.
type Batch struct {
	// N is the number of samples.
	N int
	// Size is the image side (H = W = Size).
	Size int
	// MetaDim is the metadata vector length D.
	MetaDim int
	// Images holds N*Size*Size*3 floats, NHWC.
	Images []float32
	// Meta holds N*MetaDim floats.
	Meta []float32
	// Labels holds the class ids (-1: unknown to train).
	Labels []int32
	// ProcessIDs identify the samples.
	ProcessIDs []string
	// Indices are the samples' indices in the slice given to NewLoader.
	Indices []int
}

// Loader streams batches of samples: a bounded pool of workers decodes and
// preprocesses images, and an assembler puts them back in epoch order, so
// the output is the same for any number of workers. Memory is bounded by
// Prefetch+1 batches plus a few images per worker. Images that cannot be
// read are reported, skipped, and their place taken by the next samples.
type Loader struct {
	samples []Sample
	schema  *metadata.Schema
	prep    preprocess.Params
	opts    LoaderOptions
	metaDim int
	rep     *Report
	skipped atomic.Int64

	mu    sync.Mutex
	epoch int
	cur   *pipeline
}

// NewLoader returns a loader over samples (not copied; do not modify them
// while it runs). schema may be nil (no metadata; MetaDim 0); it should be
// fitted (see FitMetadata). The first epoch is 0; see Reset.
func NewLoader(samples []Sample, schema *metadata.Schema, prep preprocess.Params, opts LoaderOptions) (*Loader, error) {
	if err := prep.Validate(); err != nil {
		return nil, err
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 32
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Prefetch <= 0 {
		opts.Prefetch = 2
	}
	if opts.Weights != nil && len(opts.Weights) != len(samples) {
		return nil, fmt.Errorf("dataset: loader has %d weights for %d samples", len(opts.Weights), len(samples))
	}
	if opts.Augment.Pad < 0 || opts.Augment.Pad >= prep.Size {
		return nil, fmt.Errorf("dataset: augmentation pad %d out of range [0, %d)", opts.Augment.Pad, prep.Size)
	}
	l := &Loader{samples: samples, schema: schema, prep: prep, opts: opts, rep: opts.Report}
	if l.rep == nil {
		l.rep = NewReport(0)
	}
	if schema != nil {
		if err := schema.Validate(); err != nil {
			return nil, err
		}
		l.metaDim = schema.Dim()
	}
	return l, nil
}

// MetaDim is the length of each sample's metadata vector.
func (l *Loader) MetaDim() int { return l.metaDim }

// Len is the number of samples visited per epoch.
func (l *Loader) Len() int { return len(l.samples) }

// Report returns the report that skipped images are added to.
func (l *Loader) Report() *Report { return l.rep }

// Skipped returns how many samples were skipped so far (all epochs).
func (l *Loader) Skipped() int64 { return l.skipped.Load() }

// Next returns the next batch of the current epoch, io.EOF once the epoch is
// exhausted (until Reset), or ctx's error.
func (l *Loader) Next(ctx context.Context) (*Batch, error) {
	l.mu.Lock()
	if l.cur == nil {
		l.cur = l.start(l.epoch)
	}
	p := l.cur
	l.mu.Unlock()
	select {
	case b, ok := <-p.out:
		if !ok {
			return nil, io.EOF
		}
		return b, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Reset stops the current epoch and makes the next call to Next start epoch
// epoch (which fixes its order and augmentation).
func (l *Loader) Reset(epoch int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur != nil {
		l.cur.stop()
		l.cur = nil
	}
	l.epoch = epoch
}

// Close stops the loader's goroutines. Next then starts afresh.
func (l *Loader) Close() error {
	l.Reset(l.epoch)
	return nil
}

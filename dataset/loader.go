package dataset

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
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

// pipeline is one running epoch.
type pipeline struct {
	cancel context.CancelFunc
	out    chan *Batch
	wg     sync.WaitGroup
}

func (p *pipeline) stop() {
	p.cancel()
	p.wg.Wait()
}

// item is one processed sample.
type item struct {
	pos   int
	index int
	image []float32
	meta  []float32
	err   error
}

// mix derives a per-(epoch, position) stream from the seed.
func mix(seed uint64, epoch, pos int) (uint64, uint64) {
	z := seed ^ 0x9e3779b97f4a7c15*uint64(epoch+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	return z, uint64(pos)*0x94d049bb133111eb + uint64(epoch)
}

// order returns the sample indices of epoch.
func (l *Loader) order(epoch int) []int {
	n := len(l.samples)
	s1, s2 := mix(l.opts.Seed, epoch, -1)
	rng := rand.New(rand.NewPCG(s1, s2))
	switch {
	case l.opts.Weights != nil:
		return weightedDraws(l.opts.Weights, n, rng)
	case l.opts.Shuffle:
		return rng.Perm(n)
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

func (l *Loader) start(epoch int) *pipeline {
	ctx, cancel := context.WithCancel(context.Background())
	p := &pipeline{cancel: cancel, out: make(chan *Batch, l.opts.Prefetch)}
	order := l.order(epoch)
	workers := l.opts.Workers
	window := 4*workers + 4
	tokens := make(chan struct{}, window)
	jobs := make(chan int, workers)
	results := make(chan item, window)
	free := make(chan []float32, window) // recycled image buffers

	p.wg.Add(1)
	go func() { // dispatcher
		defer p.wg.Done()
		defer close(jobs)
		for pos := range order {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- pos:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wwg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			wk := newWorker(l)
			for pos := range jobs {
				var buf []float32
				select {
				case buf = <-free:
				default:
					buf = make([]float32, l.prep.Len())
				}
				it := wk.process(pos, order[pos], epoch, buf)
				select {
				case results <- it:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	p.wg.Add(1)
	go func() { defer p.wg.Done(); wwg.Wait(); close(results) }()
	p.wg.Add(1)
	go func() { // assembler
		defer p.wg.Done()
		defer close(p.out)
		pending := map[int]item{}
		next := 0
		var b *Batch
		for it := range results {
			pending[it.pos] = it
			for {
				x, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				<-tokens
				next++
				if x.err != nil {
					continue
				}
				if b == nil {
					b = l.newBatch()
				}
				l.put(b, x)
				select {
				case free <- x.image:
				default:
				}
				if b.N == l.opts.BatchSize {
					select {
					case p.out <- b:
					case <-ctx.Done():
						return
					}
					b = nil
				}
			}
		}
		if b != nil && b.N > 0 && !l.opts.DropLast && ctx.Err() == nil {
			b.Images, b.Meta = b.Images[:b.N*l.prep.Len()], b.Meta[:b.N*l.metaDim]
			select {
			case p.out <- b:
			case <-ctx.Done():
			}
		}
	}()
	return p
}

func (l *Loader) newBatch() *Batch {
	n := l.opts.BatchSize
	return &Batch{
		Size:       l.prep.Size,
		MetaDim:    l.metaDim,
		Images:     make([]float32, n*l.prep.Len()),
		Meta:       make([]float32, n*l.metaDim),
		Labels:     make([]int32, 0, n),
		ProcessIDs: make([]string, 0, n),
		Indices:    make([]int, 0, n),
	}
}

func (l *Loader) put(b *Batch, x item) {
	s := &l.samples[x.index]
	copy(b.Images[b.N*l.prep.Len():], x.image)
	copy(b.Meta[b.N*l.metaDim:], x.meta)
	b.Labels = append(b.Labels, int32(s.Class))
	b.ProcessIDs = append(b.ProcessIDs, s.ProcessID)
	b.Indices = append(b.Indices, x.index)
	b.N++
}

// worker holds one goroutine's reusable buffers.
type worker struct {
	l       *Loader
	row     metadata.Row
	scratch []float32
}

func newWorker(l *Loader) *worker { return &worker{l: l, row: metadata.Row{}} }

// process decodes, preprocesses and augments one sample; failures are
// reported and returned in item.err.
func (w *worker) process(pos, index, epoch int, buf []float32) item {
	l := w.l
	s := &l.samples[index]
	it := item{pos: pos, index: index}
	img, path, kind, err := DecodeImage(*s)
	if err == nil {
		if err = preprocess.Into(buf, img, l.prep); err != nil {
			kind = UnreadableImage
		}
	}
	if err != nil {
		l.skipped.Add(1)
		l.rep.Add(Issue{Kind: kind, File: path, Reason: fmt.Sprintf("%v (row %d, %s; skipped)", err, s.Line, s.ProcessID)})
		it.err = err
		return it
	}
	if l.opts.Augment.Enabled() {
		s1, s2 := mix(l.opts.Seed, epoch, pos)
		w.scratch = l.opts.Augment.Apply(buf, l.prep.Size, rand.New(rand.NewPCG(s1, s2)), w.scratch)
	}
	it.image = buf
	if l.schema != nil {
		s.Meta.Fill(w.row)
		it.meta, _ = l.schema.Encode(make([]float32, 0, l.metaDim), w.row)
	}
	return it
}

// weightedDraws draws n indices with replacement, proportionally to w
// (negative, NaN or infinite weights count as 0; all zero: uniform).
func weightedDraws(w []float64, n int, rng *rand.Rand) []int {
	cum := make([]float64, len(w))
	total := 0.0
	for i, x := range w {
		if x > 0 && x < 1e300 {
			total += x
		}
		cum[i] = total
	}
	out := make([]int, n)
	for i := range out {
		if total <= 0 {
			out[i] = rng.IntN(len(w))
			continue
		}
		u := rng.Float64() * total
		lo, hi := 0, len(cum)-1
		for lo < hi {
			m := (lo + hi) / 2
			if cum[m] > u {
				hi = m
			} else {
				lo = m + 1
			}
		}
		out[i] = lo
	}
	return out
}

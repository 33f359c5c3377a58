package dataset

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/trapnet/trapnet/metadata"
	"github.com/trapnet/trapnet/preprocess"
)

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

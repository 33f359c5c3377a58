package trainer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/preprocess"
)

// Batch is a batch of preprocessed examples (dataset's type).
type Batch = dataset.Batch

// BatchSource streams the batches of an epoch; *dataset.Loader is one.
type BatchSource interface {
	// Reset starts epoch (which fixes order and augmentation).
	Reset(epoch int)
	// Next returns the next batch, or io.EOF at the end of the epoch.
	Next(ctx context.Context) (*Batch, error)
	// Len is the number of examples per epoch.
	Len() int
}

// MemorySource keeps a whole split in memory and serves it in batches,
// optionally shuffled and augmented per epoch. Compare and tests use it to
// decode images once for many runs.
type MemorySource struct {
	Size, MetaDim int
	Images, Meta  []float32
	Labels        []int32
	// BatchSize, Shuffle, DropLast and Augment control the batches.
	BatchSize int
	Shuffle   bool
	DropLast  bool
	Augment   preprocess.Augment
	Seed      uint64

	order   []int
	pos     int
	rng     *rand.Rand
	scratch []float32
}

// ReadAll reads one epoch of src into a MemorySource (same batch size,
// no shuffling or augmentation until set).
func ReadAll(ctx context.Context, src BatchSource) (*MemorySource, error) {
	src.Reset(0)
	m := &MemorySource{}
	for {
		b, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if m.BatchSize == 0 {
			m.Size, m.MetaDim, m.BatchSize = b.Size, b.MetaDim, b.N
		}
		if b.Size != m.Size || b.MetaDim != m.MetaDim {
			return nil, fmt.Errorf("read split: batch of size %d meta %d after %d/%d", b.Size, b.MetaDim, m.Size, m.MetaDim)
		}
		m.Images = append(m.Images, b.Images[:b.N*b.Size*b.Size*3]...)
		m.Meta = append(m.Meta, b.Meta[:b.N*b.MetaDim]...)
		m.Labels = append(m.Labels, b.Labels[:b.N]...)
	}
	if len(m.Labels) == 0 {
		return nil, fmt.Errorf("read split: no examples")
	}
	return m, nil
}

// Len is the number of examples.
func (m *MemorySource) Len() int { return len(m.Labels) }

// Reset starts an epoch.
func (m *MemorySource) Reset(epoch int) {
	n := len(m.Labels)
	m.order = make([]int, n)
	for i := range m.order {
		m.order[i] = i
	}
	m.rng = rand.New(rand.NewPCG(m.Seed, uint64(epoch)))
	if m.Shuffle {
		m.rng.Shuffle(n, func(i, j int) { m.order[i], m.order[j] = m.order[j], m.order[i] })
	}
	m.pos = 0
}

// Next returns the next batch or io.EOF.
func (m *MemorySource) Next(ctx context.Context) (*Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if m.order == nil {
		m.Reset(0)
	}
	bs := max(m.BatchSize, 1)
	left := len(m.order) - m.pos
	if left <= 0 || (m.DropLast && left < bs && m.pos > 0) {
		return nil, io.EOF
	}
	n := min(bs, left)
	img := m.Size * m.Size * 3
	b := &Batch{N: n, Size: m.Size, MetaDim: m.MetaDim, Images: make([]float32, n*img),
		Meta: make([]float32, n*m.MetaDim), Labels: make([]int32, n), Indices: make([]int, n)}
	for i := range n {
		j := m.order[m.pos+i]
		copy(b.Images[i*img:(i+1)*img], m.Images[j*img:(j+1)*img])
		copy(b.Meta[i*m.MetaDim:(i+1)*m.MetaDim], m.Meta[j*m.MetaDim:(j+1)*m.MetaDim])
		b.Labels[i], b.Indices[i] = m.Labels[j], j
		if m.Augment.Enabled() {
			m.scratch = m.Augment.Apply(b.Images[i*img:(i+1)*img], m.Size, m.rng, m.scratch)
		}
	}
	m.pos += n
	return b, nil
}

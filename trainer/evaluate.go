package trainer

import (
	"context"
	"errors"
	"fmt"
	"github.com/trapnet/trapnet/trainer/metrics"
	"io"
)

// Scores runs the network over one epoch of src in inference mode and
// returns the logits (row-major [n, K]) and labels of the examples whose
// label is a known class. Batches are padded to batch so the compiled graph
// is reused.
func (r *Runner) Scores(ctx context.Context, src BatchSource, batch int) ([]float32, []int32, error) {
	k := r.Plan.Arch.Classes
	var scores []float32
	var labels []int32
	src.Reset(0)
	for {
		b, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		logits, err := r.Predict(padBatch(b, batch))
		if err != nil {
			return nil, nil, err
		}
		for i := range b.N {
			if y := b.Labels[i]; y >= 0 && int(y) < k {
				scores = append(scores, logits[i*k:(i+1)*k]...)
				labels = append(labels, y)
			}
		}
	}
	return scores, labels, nil
}

// padBatch returns b grown to n examples with zeros (b itself when it is
// large enough).
func padBatch(b *Batch, n int) *Batch {
	if b.N >= n {
		return b
	}
	img := b.Size * b.Size * 3
	p := *b
	p.N = n
	p.Images = append(append([]float32(nil), b.Images[:b.N*img]...), make([]float32, (n-b.N)*img)...)
	p.Meta = append(append([]float32(nil), b.Meta[:b.N*b.MetaDim]...), make([]float32, (n-b.N)*b.MetaDim)...)
	p.Labels = append(append([]int32(nil), b.Labels[:b.N]...), make([]int32, n-b.N)...)
	return &p
}

// Evaluate computes Metrics and the mean cross-entropy on src.
func (r *Runner) Evaluate(ctx context.Context, src BatchSource, batch int, names []string) (*metrics.Metrics, float64, error) {
	scores, labels, err := r.Scores(ctx, src, batch)
	if err != nil {
		return nil, 0, err
	}
	if len(labels) == 0 {
		return nil, 0, fmt.Errorf("evaluate: no labelled examples")
	}
	k := r.Plan.Arch.Classes
	m, err := metrics.Evaluate(labels, scores, k, names)
	if err != nil {
		return nil, 0, err
	}
	return m, metrics.CrossEntropy(scores, labels, k), nil
}

// Metrics is metrics.Metrics (kept here for callers of trainer.Evaluate).
type Metrics = metrics.Metrics

// Evaluate is metrics.Evaluate: Metrics from labels and per-example class
// scores [len(labels), k].
func Evaluate(labels []int32, scores []float32, k int, names []string) (*Metrics, error) {
	return metrics.Evaluate(labels, scores, k, names)
}

package trainer

import (
	"context"
	"github.com/trapnet/trapnet/trainer/metrics"
	"os"
	"path/filepath"
	"testing"
)

// cancelAfter cancels a context once n batches have been served.
type cancelAfter struct {
	BatchSource
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Next(ctx context.Context) (*Batch, error) {
	if c.n == 0 {
		c.cancel()
	}
	c.n--
	return c.BatchSource.Next(ctx)
}

// TestInterruptAndResume stops training in the middle of epoch 2, resumes
// from the checkpoint and checks that the run completes with one log line
// per epoch and the same weights as a run that was never interrupted.
func TestInterruptAndResume(t *testing.T) {
	backend, err := NewBackend("go")
	if err != nil {
		t.Fatal(err)
	}
	a := Arch{Cells: darts2Cells(), Layers: 3, Channels: 4, StemMult: 1, Size: 8, MetaDim: 3, MetaHidden: 4, Classes: 4, Modality: Fusion}
	h := Hyper{Epochs: 3, BatchSize: 16, LR: 3e-3, MinLR: 1e-4, Seed: 1}
	dir := t.TempDir()
	newData := func() (*MemorySource, *MemorySource) {
		train, val := toyData(64, 4, 8, 1), toyData(32, 4, 8, 2)
		train.BatchSize, val.BatchSize = 16, 16
		train.Shuffle, train.DropLast = true, true
		return train, val
	}
	run := func(ckpt string, resume bool, src BatchSource, val BatchSource, ctx context.Context) (*FitResult, *Runner) {
		p, err := NewPlan(a)
		if err != nil {
			t.Fatal(err)
		}
		r, err := NewRunner(p, backend, 1, 1e-4, 0)
		if err != nil {
			t.Fatal(err)
		}
		res, err := r.Fit(ctx, h, FitOptions{Train: src, Val: val, CheckpointDir: ckpt, Resume: resume, LogPath: filepath.Join(filepath.Dir(ckpt), FileTrainLog)})
		if err != nil {
			t.Fatal(err)
		}
		return res, r
	}
	train, val := newData()
	ctx, cancel := context.WithCancel(context.Background())
	ckpt := filepath.Join(dir, "a", "checkpoint")
	res, _ := run(ckpt, false, &cancelAfter{BatchSource: train, n: 4 + 2, cancel: cancel}, val, ctx)
	if !res.Interrupted || len(res.Epochs) != 1 {
		t.Fatalf("interrupted run: interrupted=%v with %d epochs logged, want true and 1", res.Interrupted, len(res.Epochs))
	}
	train, val = newData()
	res, r1 := run(ckpt, true, train, val, context.Background())
	if res.Interrupted || len(res.Epochs) != 3 {
		t.Fatalf("resumed run: interrupted=%v with %d epochs, want 3", res.Interrupted, len(res.Epochs))
	}
	log, err := metrics.ReadLog(filepath.Join(dir, "a", FileTrainLog))
	if err != nil || len(log) != 3 || log[2].Epoch != 3 || log[2].Step != 12 {
		t.Fatalf("train log after resume: %+v (%v), want epochs 1..3 ending at step 12", log, err)
	}
	train, val = newData()
	_, r2 := run(filepath.Join(dir, "b", "checkpoint"), false, train, val, context.Background())
	g1, err := r1.Plan.Export(r1.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	g2, err := r2.Plan.Export(r2.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := "cell0/pre1/conv/w"
	for i, v := range g1.Consts[w].Data {
		if d := v - g2.Consts[w].Data[i]; d > 1e-4 || d < -1e-4 {
			t.Fatalf("%s[%d]: resumed %v, uninterrupted %v", w, i, v, g2.Consts[w].Data[i])
		}
	}
	if _, err := os.Stat(filepath.Join(ckpt, stateFile)); err != nil {
		t.Fatal(err)
	}
}

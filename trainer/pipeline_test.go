package trainer

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/trapnet/trapnet/quantize"
	"github.com/trapnet/trapnet/synth"
)

// TestTrainWritesModelDirAndEvalReadsIt runs the train -> model directory
// -> eval path on a tiny synthetic dataset and checks the contract files,
// that quantize accepts the directory, and that eval covers the test split.
func TestTrainWritesModelDirAndEvalReadsIt(t *testing.T) {
	base := t.TempDir()
	o := synth.DefaultOptions()
	o.Dir, o.Species, o.Images, o.Size, o.Square, o.Imbalance, o.Seed = filepath.Join(base, "data"), 4, 160, 16, true, 2, 4
	if _, err := synth.Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	d, err := OpenData([]string{o.Dir}, DataOptions{Size: 16, Batch: 16, Balance: "sampler", Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	g := goodGenotype()
	cells, err := CellsFromGenotype(g)
	if err != nil {
		t.Fatal(err)
	}
	cfg := TrainConfig{Data: o.Dir, Arch: Arch{Cells: cells, Layers: 3, Channels: 4, StemMult: 1, MetaHidden: 8, Modality: Fusion},
		Hyper: Hyper{Epochs: 2, BatchSize: 16, LR: 3e-3, MinLR: 1e-4, DropPath: 0.1, Seed: 1}, Balance: "sampler", Backend: "go"}
	run := filepath.Join(base, "run")
	res, err := Train(context.Background(), cfg, d, g, run, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Epochs) != 2 || res.BestEpoch < 1 {
		t.Fatalf("train result %+v", res)
	}
	model := filepath.Join(run, DirModel)
	for _, f := range []string{FileGraph, FileWeights, FileLabels, FileSchema, FilePreprocess, FileGenotype,
		FileTrainConfig, FileVersion, FileDataSummary, DirCheckpoint, "../" + FileTrainLog, "../" + FileCurves} {
		if _, err := os.Stat(filepath.Join(model, f)); err != nil {
			t.Errorf("model directory: %v", err)
		}
	}
	if _, err := quantize.ReadModelDir(model); err != nil {
		t.Errorf("quantize cannot read the model directory: %v", err)
	}
	out := filepath.Join(run, "eval-test")
	er, err := EvalModel(context.Background(), []string{o.Dir}, model, "test", out, 16)
	if err != nil {
		t.Fatal(err)
	}
	if er.Metrics.N != d.Summary.SplitSizes["test"] || er.Metrics.Classes != len(d.Names) {
		t.Errorf("eval saw %d examples of %d classes, test split has %d of %d", er.Metrics.N, er.Metrics.Classes, d.Summary.SplitSizes["test"], len(d.Names))
	}
	for _, f := range []string{FileMetrics, FileConfusion, FileCurves} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("eval output: %v", err)
		}
	}
}

package trainer

import (
	"context"
	"errors"
	"fmt"
	"github.com/trapnet/trapnet/trainer/metrics"
	"io"
	"os"
	"path/filepath"
	"reflect"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/search"
)

// Run layout inside RUN/.
const (
	FileTrainLog = "train.jsonl"
	FileCurves   = "curves.png"
	DirModel     = "model"
)

// Train trains the derived network described by cfg on data and writes RUN
// (runDir): train.jsonl, curves.png and model/ (the best epoch's network by
// validation macro-F1, plus checkpoint/ for resume). cfg.Arch's data-bound
// fields (Size, MetaDim, Classes) are filled from data. g is recorded in the
// model directory (nil for baselines).
func Train(ctx context.Context, cfg TrainConfig, data *Data, g *search.Genotype, runDir string, resume bool, progress io.Writer) (*FitResult, error) {
	cfg.Arch.Size, cfg.Arch.MetaDim, cfg.Arch.Classes = data.Prep.Size, data.Schema.Dim(), len(data.Names)
	cfg.Rank = data.Rank
	p, err := NewPlan(cfg.Arch)
	if err != nil {
		return nil, err
	}
	modelDir := filepath.Join(runDir, DirModel)
	if resume {
		var prev TrainConfig
		if err := readJSON(filepath.Join(modelDir, FileTrainConfig), &prev); err == nil && !reflect.DeepEqual(prev.Arch, cfg.Arch) {
			return nil, fmt.Errorf("resume: %s was trained with a different architecture (flags or data changed)", modelDir)
		}
	}
	if err := os.MkdirAll(modelDir, 0o755); err != nil {
		return nil, err
	}
	backend, err := NewBackend(cfg.Backend)
	if err != nil {
		return nil, err
	}
	r, err := NewRunner(p, backend, cfg.Hyper.Seed, cfg.Hyper.WeightDecay, cfg.Hyper.DropPath)
	if err != nil {
		return nil, err
	}
	if cfg.Init != "" && !resume {
		m, err := LoadModelDir(cfg.Init)
		if err != nil {
			return nil, err
		}
		irep, err := r.InitFrom(m, data.Names)
		if err != nil {
			return nil, err
		}
		if progress != nil {
			fmt.Fprintf(progress, "init from %s: %d weights copied, %d grown for new classes %v, %d fresh (auxiliary head)\n",
				cfg.Init, irep.Copied, irep.Grown, irep.NewClasses, irep.Fresh)
		}
	}
	version := CodeVersion()
	onBest := func(epoch int, m *metrics.Metrics) error {
		graph, err := p.Export(r.Ctx)
		if err != nil {
			return err
		}
		md := &ModelDir{Graph: graph, Labels: data.Names, Schema: data.Schema, Preprocess: data.Prep,
			Genotype: g, Config: cfg, DataSummary: data.Summary, Version: version}
		return md.Save(modelDir)
	}
	res, err := r.Fit(ctx, cfg.Hyper, FitOptions{Train: data.Train, Val: data.Val, ClassWeights: data.ClassWeights,
		Names: data.Names, LogPath: filepath.Join(runDir, FileTrainLog), Progress: progress, OnBest: onBest,
		CheckpointDir: filepath.Join(modelDir, DirCheckpoint), Resume: resume})
	if err != nil {
		return nil, err
	}
	if len(res.Epochs) > 0 {
		if err := metrics.PlotCurves(res.Epochs, filepath.Join(runDir, FileCurves)); err != nil {
			return res, err
		}
	}
	return res, nil
}

// EvaluateIR runs an ir graph (pure Go) over src and computes Metrics. The
// graph's inputs are fed the image and, if it has a second input, the
// metadata.
func EvaluateIR(ctx context.Context, g *ir.Graph, src BatchSource, names []string) (*metrics.Metrics, error) {
	shapes, err := g.InferShapes(1)
	if err != nil {
		return nil, err
	}
	k := shapes[g.Outputs[0]][1]
	if len(names) != k {
		return nil, fmt.Errorf("evaluate: graph has %d classes, label map %d", k, len(names))
	}
	var scores []float32
	var labels []int32
	src.Reset(0)
	for {
		b, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		in := []*ir.Tensor{{Shape: []int{b.N, b.Size, b.Size, 3}, Data: b.Images[:b.N*b.Size*b.Size*3]}}
		if len(g.Inputs) > 1 {
			if d := g.Inputs[1].Shape[1]; d != b.MetaDim {
				return nil, fmt.Errorf("evaluate: graph takes %d metadata values, data has %d", d, b.MetaDim)
			}
			in = append(in, &ir.Tensor{Shape: []int{b.N, b.MetaDim}, Data: b.Meta[:b.N*b.MetaDim]})
		}
		out, err := g.Run(in...)
		if err != nil {
			return nil, err
		}
		for i := range b.N {
			if y := b.Labels[i]; y >= 0 && int(y) < k {
				scores = append(scores, out[0].Data[i*k:(i+1)*k]...)
				labels = append(labels, y)
			}
		}
	}
	if len(labels) == 0 {
		return nil, fmt.Errorf("evaluate: no labelled examples")
	}
	return metrics.Evaluate(labels, scores, k, names)
}

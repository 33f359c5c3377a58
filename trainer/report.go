package trainer

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/trapnet/trapnet/trainer/metrics"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Eval output files.
const (
	FileMetrics   = "metrics.json"
	FileConfusion = "confusion.png"
)

// EvalResult is metrics.json.
type EvalResult struct {
	Model   string           `json:"model"`
	Version string           `json:"version"`
	Data    string           `json:"data"`
	Split   string           `json:"split"`
	Seconds float64          `json:"seconds"`
	Metrics *metrics.Metrics `json:"metrics"`
}

// EvalModel evaluates a model directory on a split of the datasets at
// paths (see OpenData) with the ir float executor and writes metrics.json,
// confusion.png and (when RUN/train.jsonl exists next to the model)
// curves.png into outDir.
func EvalModel(ctx context.Context, paths []string, modelDir, split, outDir string, batch int) (*EvalResult, error) {
	m, err := LoadModelDir(modelDir)
	if err != nil {
		return nil, err
	}
	src, err := OpenEvalSplit(paths, split, m, batch)
	dataDir := strings.Join(paths, " + ")
	if err != nil {
		return nil, err
	}
	start := time.Now()
	met, err := EvaluateIR(ctx, m.Graph, src, m.Labels)
	if err != nil {
		return nil, fmt.Errorf("evaluate %s on %s/%s: %w", modelDir, dataDir, split, err)
	}
	res := &EvalResult{Model: modelDir, Version: m.Version, Data: dataDir, Split: split, Seconds: time.Since(start).Seconds(), Metrics: met}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	if err := writeJSON(filepath.Join(outDir, FileMetrics), res); err != nil {
		return nil, err
	}
	if err := metrics.PlotConfusion(met, filepath.Join(outDir, FileConfusion)); err != nil {
		return nil, err
	}
	log, err := metrics.ReadLog(filepath.Join(filepath.Dir(filepath.Clean(modelDir)), FileTrainLog))
	if err == nil && len(log) > 0 {
		if err := metrics.PlotCurves(log, filepath.Join(outDir, FileCurves)); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// MarshalIndent is a helper for printing results as JSON.
func MarshalIndent(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

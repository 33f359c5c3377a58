package trainer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Eval output files.
const (
	FileMetrics   = "metrics.json"
	FileConfusion = "confusion.png"
)

// EvalResult is metrics.json.
type EvalResult struct {
	Model   string   `json:"model"`
	Version string   `json:"version"`
	Data    string   `json:"data"`
	Split   string   `json:"split"`
	Seconds float64  `json:"seconds"`
	Metrics *Metrics `json:"metrics"`
}

// EvalModel evaluates a model directory on a split of a BIOSCAN-layout
// dataset with the ir float executor and writes metrics.json,
// confusion.png and (when RUN/train.jsonl exists next to the model)
// curves.png into outDir.
func EvalModel(ctx context.Context, dataDir, modelDir, split, outDir string, batch int) (*EvalResult, error) {
	m, err := LoadModelDir(modelDir)
	if err != nil {
		return nil, err
	}
	src, err := OpenEvalSplit(dataDir, split, m, batch)
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
	if err := PlotConfusion(met, filepath.Join(outDir, FileConfusion)); err != nil {
		return nil, err
	}
	log, err := ReadLog(filepath.Join(filepath.Dir(filepath.Clean(modelDir)), FileTrainLog))
	if err == nil && len(log) > 0 {
		if err := PlotCurves(log, filepath.Join(outDir, FileCurves)); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// WriteReport prints the summary and the per-class report (all classes
// when there are at most 30, else the 15 worst by F1).
func (m *Metrics) WriteReport(w io.Writer) {
	fmt.Fprintf(w, "examples %d, classes %d\n", m.N, m.Classes)
	fmt.Fprintf(w, "accuracy %.4f  top-5 %.4f\n", m.Accuracy, m.Top5)
	fmt.Fprintf(w, "macro:    precision %.4f recall %.4f F1 %.4f\n", m.MacroPrecision, m.MacroRecall, m.MacroF1)
	fmt.Fprintf(w, "weighted: precision %.4f recall %.4f F1 %.4f\n", m.WeightedPrecision, m.WeightedRecall, m.WeightedF1)
	rows := m.PerClass
	title := "per class"
	if len(rows) > 30 {
		rows, title = m.Worst(15), "15 worst classes by F1"
	}
	fmt.Fprintf(w, "\n%s:\n%-32s %9s %9s %9s %8s\n", title, "class", "precision", "recall", "f1", "support")
	for _, r := range rows {
		fmt.Fprintf(w, "%-32s %9.4f %9.4f %9.4f %8d\n", r.Label, r.Precision, r.Recall, r.F1, r.Support)
	}
}

// MarshalIndent is a helper for printing results as JSON.
func MarshalIndent(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

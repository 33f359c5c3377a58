package quantize

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/trapnet/trapnet/tflite"
	"github.com/trapnet/trapnet/trainer/metrics"
)

// ReportFile is the name of Run's report, written next to the .tflite file.
const ReportFile = "quantize_report.json"

// Report is what Run measured (written to quantize_report.json).
type Report struct {
	Model        string  `json:"model"`
	Output       string  `json:"output"`
	IO           string  `json:"io"`
	Calibration  string  `json:"calibration"`
	Percentile   float64 `json:"percentile,omitempty"`
	CalibBatches int     `json:"calib_batches"`
	CalibSamples int     `json:"calib_samples"`
	TestSamples  int     `json:"test_samples"`
	// EvalSplit is the split TestSamples come from: test, or val when the
	// data has no test split.
	EvalSplit     string           `json:"eval_split"`
	Float         *metrics.Metrics `json:"float"`
	Int8          *metrics.Metrics `json:"int8"`
	AccuracyDrop  float64          `json:"accuracy_drop"`
	MacroF1Drop   float64          `json:"macro_f1_drop"`
	Top1Agreement float64          `json:"top1_agreement"`
	MaxProbDiff   float64          `json:"max_prob_diff"`
	FileBytes     int64            `json:"file_bytes"`
	FloatWeights  int64            `json:"float_weights_bytes"`
	SizeRatio     float64          `json:"size_ratio"`
	// ConstBytes are the int8 file's constant tensor bytes (weights, biases):
	// the rest is TFLite structure (per-channel quantisation parameters,
	// names, tables) and the metadata buffers.
	ConstBytes int64   `json:"const_bytes"`
	ConstRatio float64 `json:"const_ratio"`
	FloatFile  string  `json:"float_file,omitempty"`
	FloatBytes int64   `json:"float_file_bytes,omitempty"`
	Seconds    float64 `json:"seconds"`
}

// Path is where the report is written: ReportFile next to the .tflite file.
func (rep *Report) Path() string { return filepath.Join(filepath.Dir(rep.Output), ReportFile) }

// sizes fills the size ratios of the int8 model m.
func (rep *Report) sizes(m *tflite.Model) {
	rep.SizeRatio = float64(rep.FileBytes) / float64(rep.FloatWeights)
	for _, t := range m.Tensors {
		if t.Buffer != 0 {
			rep.ConstBytes += int64(len(m.Buffers[t.Buffer].Data))
		}
	}
	rep.ConstRatio = float64(rep.ConstBytes) / float64(rep.FloatWeights)
}

// compare fills the float-vs-int8 metrics from cmp.
func (rep *Report) compare(cmp *Comparison, labels []string) error {
	rep.TestSamples = len(cmp.Labels)
	if rep.TestSamples == 0 {
		return errors.New("quantize: no labelled test or val samples to evaluate")
	}
	var err error
	if rep.Float, err = metrics.Evaluate(cmp.Labels, cmp.Float, cmp.K, labels); err != nil {
		return err
	}
	if rep.Int8, err = metrics.Evaluate(cmp.Labels, cmp.Int8, cmp.K, labels); err != nil {
		return err
	}
	rep.AccuracyDrop = rep.Float.Accuracy - rep.Int8.Accuracy
	rep.MacroF1Drop = rep.Float.MacroF1 - rep.Int8.MacroF1
	rep.Top1Agreement = cmp.Agreement()
	rep.MaxProbDiff = cmp.MaxProbDiff()
	return nil
}

func (rep *Report) write() error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(rep.Path(), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("quantize: %w", err)
	}
	return nil
}

package quantize

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/tflite"
)

// Config is what Run needs (the flags of `trainer quantize`).
type Config struct {
	Model, Out string // model directory (RUN/model), output .tflite
	// Data are the dataset paths (BIOSCAN-5M folders, generic CSV folders or
	// spec files; see dataset.ParseSource).
	Data                []string
	CalibBatches, Batch int     // training batches used for calibration, batch size
	Calib               Method  // MinMax or Percentile
	Percentile          float64 // upper percentile for Percentile
	IO                  IO      // IOFloat or IOInt8
	Float               bool    // also write the float model as <Out>_float.tflite
	EvalLimit           int     // test samples evaluated (0: all)
	Rank                string  // label rank (default: the model's, else species)
	Seed                uint64  // seed of the calibration sample order
}

// Run is the quantisation pipeline: it folds batch norm into the trained
// float graph, calibrates activation ranges on cfg.CalibBatches training
// batches, writes the int8 .tflite (and with cfg.Float the float one), then
// evaluates the float graph and the int8 file as read back on the test split
// and writes quantize_report.json next to cfg.Out. It returns the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	start := time.Now()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	md, err := ReadModelDir(cfg.Model)
	if err != nil {
		return nil, err
	}
	rank := cfg.Rank
	if rank == "" {
		rank = md.Rank
	}
	train, test, evalSplit, summary, err := OpenSplits(cfg.Data, md, rank, cfg.Seed)
	if err != nil {
		return nil, err
	}
	if _, ok := md.Metadata[tflite.MetaDataSummary]; !ok {
		md.Metadata[tflite.MetaDataSummary] = summary
	}
	folded, err := FoldBatchNorm(md.Graph)
	if err != nil {
		return nil, err
	}
	cal, err := NewCalibrator(folded, cfg.Calib)
	if err != nil {
		return nil, err
	}
	cal.Percentile = cfg.Percentile
	calibN := 0
	err = EachBatch(ctx, md, train, cfg.Batch, cfg.CalibBatches*cfg.Batch, func(inputs []*ir.Tensor, labels []int32) error {
		calibN += len(labels)
		_, err := cal.Observe(inputs...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("quantize: calibration: %w", err)
	}
	ranges, err := cal.Ranges()
	if err != nil {
		return nil, err
	}
	slog.Info("calibrated", "batches", cal.Batches(), "samples", calibN, "method", cfg.Calib)
	opts := Options{IO: cfg.IO, Description: "trapnet int8 " + string(md.Metadata[tflite.MetaVersion]), Metadata: md.Metadata}
	m, err := Build(folded, ranges, opts)
	if err != nil {
		return nil, err
	}
	data, err := writeTFLite(m, cfg.Out)
	if err != nil {
		return nil, err
	}
	rep := &Report{Model: cfg.Model, Output: cfg.Out, IO: string(cfg.IO), Calibration: string(cfg.Calib), CalibBatches: cal.Batches(),
		CalibSamples: calibN, FileBytes: int64(len(data)), FloatWeights: md.Graph.WeightsSize(), EvalSplit: evalSplit}
	if cfg.Calib == Percentile {
		rep.Percentile = cfg.Percentile
	}
	rep.sizes(m)
	if cfg.Float {
		opts.Description = "trapnet float " + string(md.Metadata[tflite.MetaVersion])
		fm, err := BuildFloat(folded, opts)
		if err != nil {
			return nil, err
		}
		rep.FloatFile = strings.TrimSuffix(cfg.Out, ".tflite") + "_float.tflite"
		fdata, err := writeTFLite(fm, rep.FloatFile)
		if err != nil {
			return nil, err
		}
		rep.FloatBytes = int64(len(fdata))
	}
	// Evaluate the file as written, read back.
	back, err := tflite.Read(data)
	if err != nil {
		return nil, fmt.Errorf("quantize: reading back %s: %w", cfg.Out, err)
	}
	runner, err := NewRunner(back, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, fmt.Errorf("quantize: %s: %w", cfg.Out, err)
	}
	cmp := Comparison{K: len(md.Labels)}
	err = EachBatch(ctx, md, test, cfg.Batch, cfg.EvalLimit, func(inputs []*ir.Tensor, labels []int32) error {
		fp, err := FloatProbs(md.Graph, inputs...)
		if err != nil {
			return err
		}
		qp, err := runner.Run(inputs...)
		if err != nil {
			return err
		}
		return cmp.Add(labels, fp, qp)
	})
	if err != nil {
		return nil, fmt.Errorf("quantize: evaluation: %w", err)
	}
	if err := rep.compare(&cmp, md.Labels); err != nil {
		return nil, err
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, rep.write()
}

// check rejects a Config that Run cannot use, naming the flag.
func (cfg Config) check() error {
	if cfg.Model == "" || len(cfg.Data) == 0 || cfg.Out == "" {
		return errors.New("quantize: --model, --data and --out are required")
	}
	if cfg.IO != IOFloat && cfg.IO != IOInt8 {
		return fmt.Errorf("quantize: --io %q, want float or int8", cfg.IO)
	}
	if cfg.Calib != MinMax && cfg.Calib != Percentile {
		return fmt.Errorf("quantize: --calib %q, want minmax or percentile", cfg.Calib)
	}
	if cfg.CalibBatches < 1 || cfg.Batch < 1 {
		return errors.New("quantize: --calib-batches and --batch must be >= 1")
	}
	return nil
}

func writeTFLite(m *tflite.Model, path string) ([]byte, error) {
	data, err := tflite.Write(m)
	if err != nil {
		return nil, fmt.Errorf("quantize: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("quantize: %w", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return nil, fmt.Errorf("quantize: %w", err)
	}
	return data, nil
}

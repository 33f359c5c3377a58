package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/quantize"
	"github.com/trapnet/trapnet/tflite"
	"github.com/trapnet/trapnet/trainer"
)

// quantizeFlags are the flags of `trainer quantize`.
type quantizeFlags struct {
	model, data, out    string
	calibBatches, batch int
	calib, io, rank     string
	percentile          float64
	float               bool
	evalLimit           int
	seed                uint64
}

func init() {
	var q quantizeFlags
	cmd := &cobra.Command{
		Use:   "quantize --model RUN/model --data DIR --out model.tflite",
		Short: "int8 post-training quantisation of a trained model to .tflite, with a float-vs-int8 report",
		Long: `quantize folds batch norm into the trained float graph (RUN/model), calibrates
activation ranges on --calib-batches training batches, writes an int8 .tflite
(per-channel symmetric weights, asymmetric activations, TFLite's int8 spec) with
the trapnet.* metadata buffers, then evaluates the float graph (ir executor) and
the int8 file (tflite interpreter) on the test split and writes
quantize_report.json next to --out.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			return runQuantize(ctx, q)
		},
	}
	f := cmd.Flags()
	f.StringVar(&q.model, "model", "", "model directory (RUN/model)")
	f.StringVar(&q.data, "data", "", "BIOSCAN-5M-layout dataset directory")
	f.StringVar(&q.out, "out", "", "output .tflite file")
	f.IntVar(&q.calibBatches, "calib-batches", 16, "number of training batches for calibration")
	f.IntVar(&q.batch, "batch", 32, "batch size for calibration and evaluation")
	f.StringVar(&q.calib, "calib", string(quantize.MinMax), "activation range method: minmax or percentile")
	f.Float64Var(&q.percentile, "percentile", quantize.DefaultPercentile, "upper percentile for --calib percentile")
	f.StringVar(&q.io, "io", string(quantize.IOFloat), "input/output type: float (QUANTIZE/DEQUANTIZE inside) or int8")
	f.BoolVar(&q.float, "float", false, "also write the float model as <out>_float.tflite")
	f.IntVar(&q.evalLimit, "eval-limit", 0, "evaluate at most this many test samples (0: all)")
	f.StringVar(&q.rank, "rank", "", "taxonomic rank of the labels (default: from labels.json, else species)")
	f.Uint64Var(&q.seed, "seed", 1, "seed of the calibration sample order")
	rootCmd.AddCommand(cmd)
}

// quantizeReport is written to quantize_report.json.
type quantizeReport struct {
	Model         string           `json:"model"`
	Output        string           `json:"output"`
	IO            string           `json:"io"`
	Calibration   string           `json:"calibration"`
	Percentile    float64          `json:"percentile,omitempty"`
	CalibBatches  int              `json:"calib_batches"`
	CalibSamples  int              `json:"calib_samples"`
	TestSamples   int              `json:"test_samples"`
	Float         *trainer.Metrics `json:"float"`
	Int8          *trainer.Metrics `json:"int8"`
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

func runQuantize(ctx context.Context, q quantizeFlags) error {
	start := time.Now()
	if q.model == "" || q.data == "" || q.out == "" {
		return errors.New("quantize: --model, --data and --out are required")
	}
	if q.io != string(quantize.IOFloat) && q.io != string(quantize.IOInt8) {
		return fmt.Errorf("quantize: --io %q, want float or int8", q.io)
	}
	if q.calib != string(quantize.MinMax) && q.calib != string(quantize.Percentile) {
		return fmt.Errorf("quantize: --calib %q, want minmax or percentile", q.calib)
	}
	if q.calibBatches < 1 || q.batch < 1 {
		return errors.New("quantize: --calib-batches and --batch must be >= 1")
	}
	md, err := quantize.ReadModelDir(q.model)
	if err != nil {
		return err
	}
	rank := q.rank
	if rank == "" {
		rank = md.Rank
	}
	train, test, summary, err := quantize.OpenSplits(q.data, md, rank, q.seed)
	if err != nil {
		return err
	}
	if _, ok := md.Metadata[tflite.MetaDataSummary]; !ok {
		md.Metadata[tflite.MetaDataSummary] = summary
	}
	folded, err := quantize.FoldBatchNorm(md.Graph)
	if err != nil {
		return err
	}
	cal, err := quantize.NewCalibrator(folded, quantize.Method(q.calib))
	if err != nil {
		return err
	}
	cal.Percentile = q.percentile
	calibN := 0
	err = quantize.EachBatch(ctx, md, train, q.batch, q.calibBatches*q.batch, func(inputs []*ir.Tensor, labels []int32) error {
		calibN += len(labels)
		_, err := cal.Observe(inputs...)
		return err
	})
	if err != nil {
		return fmt.Errorf("quantize: calibration: %w", err)
	}
	ranges, err := cal.Ranges()
	if err != nil {
		return err
	}
	slog.Info("calibrated", "batches", cal.Batches(), "samples", calibN, "method", q.calib)
	opts := quantize.Options{IO: quantize.IO(q.io), Description: "trapnet int8 " + string(md.Metadata[tflite.MetaVersion]), Metadata: md.Metadata}
	m, err := quantize.Build(folded, ranges, opts)
	if err != nil {
		return err
	}
	data, err := writeTFLite(m, q.out)
	if err != nil {
		return err
	}
	rep := &quantizeReport{Model: q.model, Output: q.out, IO: q.io, Calibration: q.calib, CalibBatches: cal.Batches(),
		CalibSamples: calibN, FileBytes: int64(len(data)), FloatWeights: md.Graph.WeightsSize()}
	if q.calib == string(quantize.Percentile) {
		rep.Percentile = q.percentile
	}
	rep.SizeRatio = float64(rep.FileBytes) / float64(rep.FloatWeights)
	for _, t := range m.Tensors {
		if t.Buffer != 0 {
			rep.ConstBytes += int64(len(m.Buffers[t.Buffer].Data))
		}
	}
	rep.ConstRatio = float64(rep.ConstBytes) / float64(rep.FloatWeights)
	if q.float {
		opts.Description = "trapnet float " + string(md.Metadata[tflite.MetaVersion])
		fm, err := quantize.BuildFloat(folded, opts)
		if err != nil {
			return err
		}
		rep.FloatFile = strings.TrimSuffix(q.out, ".tflite") + "_float.tflite"
		fdata, err := writeTFLite(fm, rep.FloatFile)
		if err != nil {
			return err
		}
		rep.FloatBytes = int64(len(fdata))
	}
	// Evaluate the file as written, read back.
	back, err := tflite.Read(data)
	if err != nil {
		return fmt.Errorf("quantize: reading back %s: %w", q.out, err)
	}
	runner, err := quantize.NewRunner(back, runtime.GOMAXPROCS(0))
	if err != nil {
		return fmt.Errorf("quantize: %s: %w", q.out, err)
	}
	cmp := quantize.Comparison{K: len(md.Labels)}
	err = quantize.EachBatch(ctx, md, test, q.batch, q.evalLimit, func(inputs []*ir.Tensor, labels []int32) error {
		fp, err := quantize.FloatProbs(md.Graph, inputs...)
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
		return fmt.Errorf("quantize: evaluation: %w", err)
	}
	if err := fillReport(rep, &cmp, md.Labels); err != nil {
		return err
	}
	rep.Seconds = time.Since(start).Seconds()
	return writeReport(rep, q.out)
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

func fillReport(rep *quantizeReport, cmp *quantize.Comparison, labels []string) error {
	rep.TestSamples = len(cmp.Labels)
	if rep.TestSamples == 0 {
		return errors.New("quantize: no labelled test samples to evaluate")
	}
	var err error
	if rep.Float, err = trainer.Evaluate(cmp.Labels, cmp.Float, cmp.K, labels); err != nil {
		return err
	}
	if rep.Int8, err = trainer.Evaluate(cmp.Labels, cmp.Int8, cmp.K, labels); err != nil {
		return err
	}
	rep.AccuracyDrop = rep.Float.Accuracy - rep.Int8.Accuracy
	rep.MacroF1Drop = rep.Float.MacroF1 - rep.Int8.MacroF1
	rep.Top1Agreement = cmp.Agreement()
	rep.MaxProbDiff = cmp.MaxProbDiff()
	return nil
}

func writeReport(rep *quantizeReport, out string) error {
	path := filepath.Join(filepath.Dir(out), "quantize_report.json")
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("quantize: %w", err)
	}
	fmt.Printf("float: accuracy %.4f macro-F1 %.4f | int8: accuracy %.4f macro-F1 %.4f | top-1 agreement %.4f | %d test samples\n",
		rep.Float.Accuracy, rep.Float.MacroF1, rep.Int8.Accuracy, rep.Int8.MacroF1, rep.Top1Agreement, rep.TestSamples)
	fmt.Printf("size: %s %d bytes = %.1f%% of float weights (%d bytes; int8 constants alone %.1f%%); report %s\n",
		rep.Output, rep.FileBytes, 100*rep.SizeRatio, rep.FloatWeights, 100*rep.ConstRatio, path)
	return nil
}

package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/quantize"
)

// quantizeFlags are the flags of `trainer quantize`.
type quantizeFlags struct {
	data                dataFlags
	model, out          string
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
quantize_report.json next to --out (library entry point: quantize.Run).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			return runQuantize(ctx, q)
		},
	}
	f := cmd.Flags()
	f.StringVar(&q.model, "model", "", "model directory (RUN/model)")
	q.data.add(cmd)
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

func runQuantize(ctx context.Context, q quantizeFlags) error {
	paths, err := q.data.paths()
	if err != nil {
		return err
	}
	rep, err := quantize.Run(ctx, quantize.Config{Model: q.model, Data: paths, Out: q.out, CalibBatches: q.calibBatches,
		Batch: q.batch, Calib: quantize.Method(q.calib), Percentile: q.percentile, IO: quantize.IO(q.io), Float: q.float,
		EvalLimit: q.evalLimit, Rank: q.rank, Seed: q.seed})
	if err != nil {
		return err
	}
	fmt.Printf("float: accuracy %.4f macro-F1 %.4f | int8: accuracy %.4f macro-F1 %.4f | top-1 agreement %.4f | %d %s samples\n",
		rep.Float.Accuracy, rep.Float.MacroF1, rep.Int8.Accuracy, rep.Int8.MacroF1, rep.Top1Agreement, rep.TestSamples, rep.EvalSplit)
	fmt.Printf("size: %s %d bytes = %.1f%% of float weights (%d bytes; int8 constants alone %.1f%%); report %s\n",
		rep.Output, rep.FileBytes, 100*rep.SizeRatio, rep.FloatWeights, 100*rep.ConstRatio, rep.Path())
	return nil
}

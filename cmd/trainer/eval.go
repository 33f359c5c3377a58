package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/trainer"
)

func init() {
	var data dataFlags
	var model, split, out string
	var batch int
	cmd := &cobra.Command{
		Use:   "eval --data DIR --model RUN/model [--split test]",
		Short: "evaluate a trained model: metrics.json, per-class report, confusion matrix and curves",
		Long: `eval runs the model directory's ir float graph (pure Go) over a split and
writes OUT/metrics.json (accuracy, top-5, precision/recall/F1 macro and
weighted, per-class report, confusion matrix), OUT/confusion.png (rows
normalised) and OUT/curves.png (from RUN/train.jsonl). OUT defaults to
RUN/eval-<split>. Labels of the split that the model does not know are an error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			paths, err := data.paths()
			if err != nil {
				return err
			}
			if model == "" {
				return fmt.Errorf("--model is required")
			}
			if out == "" {
				out = filepath.Join(filepath.Dir(filepath.Clean(model)), "eval-"+split)
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			res, err := trainer.EvalModel(ctx, paths, model, split, out, batch)
			if err != nil {
				return err
			}
			res.Metrics.WriteReport(os.Stdout)
			fmt.Printf("\nwrote %s, %s in %s (%.1fs)\n", trainer.FileMetrics, trainer.FileConfusion, out, res.Seconds)
			return nil
		},
	}
	f := cmd.Flags()
	data.add(cmd)
	f.StringVar(&model, "model", "", "model directory (RUN/model)")
	f.StringVar(&split, "split", "test", "split to evaluate")
	f.StringVar(&out, "out", "", "output directory (default RUN/eval-<split>)")
	f.IntVar(&batch, "batch", 64, "batch size")
	rootCmd.AddCommand(cmd)
}

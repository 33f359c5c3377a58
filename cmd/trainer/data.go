package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/trapnet/trapnet/loopkit"

	"github.com/trapnet/trapnet/dataset"
)

// dataCheckFlags are the flags of `trainer data check`.
type dataCheckFlags struct {
	data                            dataFlags
	rank, format, pkg, rare         string
	checkImages                     bool
	minPerClass, maxListed, workers int
	maxClasses                      int
}

func init() {
	dataCmd := &cobra.Command{
		Use:   "data",
		Short: "dataset tools (check)",
	}
	var o dataCheckFlags
	check := &cobra.Command{
		Use:   "check --data DIR",
		Short: "report split/class counts, imbalance, missing or unreadable images and bad rows",
		Long: `check opens a dataset the way search and train do and reports per-split and
per-class counts, the train imbalance ratio, and every skipped or repaired row
or image with its file:line or path and the reason (long listings are capped,
with a count of the rest).

Every image file is checked without decoding its pixels: it must exist and be
a JPEG or PNG whose header parses and that ends with its end marker, which
names empty, truncated and non-image files. --check-images decodes every image
fully, which also finds damage inside the compressed data (slow for millions
of images).

The exit status is non-zero only when nothing usable remains: no labelled
training sample, or the dataset cannot be opened at all.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			return runDataCheck(ctx, o)
		},
	}
	f := check.Flags()
	o.data.add(check)
	f.StringVar(&o.rank, "rank", dataset.RankSpecies, "target rank: order, family, subfamily, genus or species (a generic CSV's label column is taken to be at this rank)")
	f.StringVar(&o.format, "format", "auto", "dataset format: auto (from the folder's files), bioscan or csv")
	f.StringVar(&o.pkg, "package", "cropped_256", "BIOSCAN image package: cropped_256, original_256, cropped or original_full")
	f.BoolVar(&o.checkImages, "check-images", false, "decode every image fully, not just its header and end marker")
	f.IntVar(&o.minPerClass, "min-per-class", 0, "fewest train samples a class needs (0: no limit)")
	f.StringVar(&o.rare, "rare", dataset.RareOther, "rarer classes: other (fold into one class) or drop")
	f.IntVar(&o.maxListed, "max-listed", 20, "issues listed per kind")
	f.IntVar(&o.maxClasses, "max-classes", 40, "classes listed (most and least frequent)")
	f.IntVar(&o.workers, "workers", runtime.GOMAXPROCS(0), "image-checking goroutines")
	dataCmd.AddCommand(check)
	rootCmd.AddCommand(dataCmd)
}

func runDataCheck(ctx context.Context, o dataCheckFlags) error {
	if o.format != "auto" && o.format != dataset.FormatBIOSCAN && o.format != dataset.FormatCSV {
		return fmt.Errorf("--format %q: want auto, bioscan or csv", o.format)
	}
	paths, err := o.data.paths()
	if err != nil {
		return err
	}
	srcs, err := dataset.ParseSources(paths)
	if err != nil {
		return err
	}
	for _, s := range srcs {
		if o.format != "auto" && s.Format != o.format {
			return fmt.Errorf("--format %s: %s is a %s dataset", o.format, s.Path, s.Format)
		}
	}
	opts := dataset.Options{Rank: o.rank, Package: o.pkg, MinPerClass: o.minPerClass, RareMode: o.rare, MaxListed: o.maxListed}
	d, err := dataset.Open(srcs, opts)
	if err != nil {
		return err
	}
	out := os.Stdout
	fmt.Fprintf(out, "dataset %s: %d rows read, %d samples kept\n", strings.Join(paths, " + "), d.Report.RowsRead, len(d.Samples))
	for _, s := range d.Sources {
		fmt.Fprintf(out, "  source %s\n", s.Describe())
	}

	bar := loopkit.Bar(os.Stderr, int64(len(d.Samples)), "checking images", progressbar.OptionShowCount(),
		progressbar.OptionThrottle(200_000_000), progressbar.OptionClearOnFinish())
	d.Samples = dataset.VerifyImages(ctx, d.Samples, o.checkImages, o.workers, d.Report, func(n int) { _ = bar.Set(n) })
	_ = bar.Finish()
	if err := ctx.Err(); err != nil {
		return err
	}

	sum := dataset.Summarize(d)
	sum.Write(out, o.maxClasses)
	fmt.Fprintln(out, "problems:")
	d.Report.WriteTo(out)
	if sum.LabelledTrain == 0 {
		return fmt.Errorf("nothing usable: no labelled training sample with a readable image at rank %s", d.Rank)
	}
	return nil
}

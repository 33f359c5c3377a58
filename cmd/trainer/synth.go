package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/synth"
)

func init() {
	o := synth.DefaultOptions()
	var images int
	cmd := &cobra.Command{
		Use:   "synth --out DIR",
		Short: "write a synthetic dataset in the BIOSCAN-5M layout (and/or synthetic trap frames)",
		Long: `synth draws procedural insects and writes them in the BIOSCAN-5M layout:
DIR/BIOSCAN_5M_Insect_Dataset_metadata.csv (23 columns), images under
DIR/images/cropped_256/<split>/[<chunk>/]<processid>.jpg and DIR/synth_info.json
(the taxonomy, look-alike groups, regions and sizes behind the data).

Look-alike species share appearance but differ in region or size, so only
image+metadata fusion separates them. Output is identical for identical flags,
whatever the number of workers.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			if o.Dir == "" {
				return fmt.Errorf("--out is required")
			}
			if images == 0 && !cmd.Flags().Changed("frames") {
				return fmt.Errorf("nothing to do: --images is 0 and no --frames")
			}
			if images > 0 {
				o.Images = images
				bar := progressbar.NewOptions(images, progressbar.OptionSetWriter(os.Stderr),
					progressbar.OptionSetDescription("synth images"), progressbar.OptionShowCount(),
					progressbar.OptionShowIts(), progressbar.OptionThrottle(100_000_000), progressbar.OptionClearOnFinish())
				o.Progress = func(done, total int) { _ = bar.Set(done) }
				sum, err := synth.Generate(ctx, o)
				_ = bar.Finish()
				if err != nil {
					return err
				}
				fmt.Fprintln(os.Stderr, sum)
			}
			return runFrames(ctx, cmd, &o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Dir, "out", "", "output directory")
	f.IntVar(&o.Species, "species", o.Species, "number of labelled species")
	f.IntVar(&o.Unseen, "unseen", o.Unseen, "number of species only in the unseen splits (-1: species/10, at least 1)")
	f.IntVar(&images, "images", o.Images, "number of rows/images (0 with --frames: frames only)")
	f.Uint64Var(&o.Seed, "seed", o.Seed, "random seed")
	f.Float64Var(&o.Imbalance, "imbalance", o.Imbalance, "ratio of the most to the least frequent species")
	f.IntVar(&o.Size, "size", o.Size, "image short side in pixels (256 is the published cropped_256 layout)")
	f.BoolVar(&o.Square, "square", false, "square images instead of the published short-side-256 convention")
	f.IntVar(&o.Quality, "quality", o.Quality, "JPEG quality")
	f.IntVar(&o.Workers, "workers", 0, "drawing goroutines (0: all CPUs); does not change the output")
	addFrameFlags(cmd)
	rootCmd.AddCommand(cmd)
}

// runFrames is replaced once frame generation exists.
var runFrames = func(ctx context.Context, cmd *cobra.Command, o *synth.Options) error { return nil }

// addFrameFlags is replaced once frame generation exists.
var addFrameFlags = func(cmd *cobra.Command) {
	cmd.Flags().Int("frames", 0, "number of synthetic trap frames (not yet implemented)")
}

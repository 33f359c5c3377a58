package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"time"

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

With --frames N, it also (or, without --images, only) writes N trap frames to
DIR/frames/frame_0001.jpg ... and DIR/frames/ground_truth.json, drawing the
species of the dataset in DIR (its synth_info.json) when one is there.

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
			if frameFlags.Frames > 0 && !cmd.Flags().Changed("images") {
				images = 0 // --frames alone: frames only
			}
			if images == 0 && frameFlags.Frames == 0 {
				return fmt.Errorf("nothing to do: --images is 0 and no --frames")
			}
			o.Images = images
			if images > 0 {
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
	f.IntVar(&images, "images", o.Images, "number of rows/images (not written when --frames is given without --images)")
	f.Uint64Var(&o.Seed, "seed", o.Seed, "random seed")
	f.Float64Var(&o.Imbalance, "imbalance", o.Imbalance, "ratio of the most to the least frequent species")
	f.IntVar(&o.Size, "size", o.Size, "image short side in pixels (256 is the published cropped_256 layout)")
	f.BoolVar(&o.Square, "square", false, "square images instead of the published short-side-256 convention")
	f.IntVar(&o.Quality, "quality", o.Quality, "JPEG quality")
	f.IntVar(&o.Workers, "workers", 0, "drawing goroutines (0: all CPUs); does not change the output")
	addFrameFlags(cmd)
	rootCmd.AddCommand(cmd)
}

// frameFlags holds the --frames options of `trainer synth`.
var frameFlags = synth.DefaultFrameOptions()

func addFrameFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	fo := &frameFlags
	f.IntVar(&fo.Frames, "frames", 0, "number of synthetic trap frames to write to OUT/frames (with ground_truth.json)")
	f.IntVar(&fo.Width, "frame-width", fo.Width, "frame width in pixels")
	f.IntVar(&fo.Height, "frame-height", fo.Height, "frame height in pixels")
	f.IntVar(&fo.MinSpecimens, "frame-min", fo.MinSpecimens, "fewest specimens per frame")
	f.IntVar(&fo.MaxSpecimens, "frame-max", fo.MaxSpecimens, "most specimens per frame")
	f.Float64Var(&fo.PixelsPerMM, "frame-ppm", fo.PixelsPerMM, "frame scale in pixels per millimetre")
	f.StringVar(&fo.Background, "frame-background", fo.Background, "trap background: sheet, sticky or mixed")
	f.BoolVar(&fo.SeenOnly, "frame-seen-only", false, "draw only labelled (seen) species on frames")
}

// runFrames writes --frames trap frames using the species of the dataset in
// --out: the one just generated, else OUT/synth_info.json, else a catalog
// built from --seed/--species/--unseen.
func runFrames(ctx context.Context, cmd *cobra.Command, o *synth.Options) error {
	fo := frameFlags
	if fo.Frames == 0 {
		return nil
	}
	fo.Dir, fo.Seed, fo.Workers = o.Dir, o.Seed, o.Workers
	unseen := o.Unseen
	if unseen < 0 {
		unseen = max(1, o.Species/10)
	}
	infoPath := filepath.Join(o.Dir, synth.InfoFile)
	if _, err := os.Stat(infoPath); err == nil && o.Images == 0 {
		_, cat, err := synth.LoadInfo(infoPath)
		if err != nil {
			return err
		}
		fo.Catalog = cat
	} else {
		cat, err := synth.NewCatalog(o.Seed, o.Species, unseen)
		if err != nil {
			return err
		}
		fo.Catalog = cat
	}
	bar := progressbar.NewOptions(fo.Frames, progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetDescription("synth frames"), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
	fo.Progress = func(done, total int) { _ = bar.Set(done) }
	start := time.Now()
	gt, err := synth.GenerateFrames(ctx, fo)
	_ = bar.Finish()
	if err != nil {
		return err
	}
	n := 0
	for _, f := range gt.Frames {
		n += len(f.Specimens)
	}
	fmt.Fprintf(os.Stderr, "synth: %d frames %dx%d, %d specimens in %s -> %s\n", len(gt.Frames), gt.Width, gt.Height, n,
		time.Since(start).Round(time.Millisecond), filepath.Join(o.Dir, synth.FramesDir))
	return nil
}

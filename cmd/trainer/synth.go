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
	"github.com/trapnet/trapnet/loopkit"

	"github.com/trapnet/trapnet/synth"
	"github.com/trapnet/trapnet/synth/trap"
)

func init() {
	o := synth.DefaultOptions()
	var images int
	var force bool
	cmd := &cobra.Command{
		Use:   "synth --out DIR",
		Short: "write a synthetic dataset in the BIOSCAN-5M layout (and/or synthetic trap frames)",
		Long: `synth draws procedural insects and writes them in the BIOSCAN-5M layout:
DIR/BIOSCAN_5M_Insect_Dataset_metadata.csv (23 columns), images under
DIR/images/cropped_256/<split>/[<chunk>/]<processid>.jpg and DIR/synth_info.json
(the taxonomy, look-alike groups, regions and sizes behind the data).

With --frames N, it also (or, without --images, only) writes N trap frames to
DIR/frames/frame_0001.jpg ... and DIR/frames/ground_truth.json, drawing the
species of the dataset in DIR (its synth_info.json) when one is there. The
frames are one trap session: one trap (--frame-region, default a region with
several seen species chosen by --seed) photographed every 15 minutes, where
specimens accumulate: every frame shows all specimens of the previous one at
the same place plus --frame-new-min..--frame-new-max new ones (the first frame
has --frame-min..--frame-max). Ground truth gives each specimen a stable id
and first_frame and each frame its count of new specimens.
--frame-independent writes independent frames at random regions instead.

synth refuses to write over the output of an earlier run in DIR (a dataset, or
frames), whose files would otherwise mix with the new ones. --force replaces
it: synth then deletes only what it writes itself (the metadata CSV,
synth_info.json and the .jpg files under images/cropped_256/<split>/, or
frames/frame_NNNN.jpg and frames/ground_truth.json), and only where
synth_info.json or ground_truth.json shows synth wrote them; other files stay.

Look-alike species share appearance but differ in region or size, so only
image+metadata fusion separates them. Output is identical for identical flags,
whatever the number of workers.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			o := o // flags stay as parsed
			o.Images, o.Overwrite = images, force
			if frameFlags.Frames > 0 && !cmd.Flags().Changed("images") {
				o.Images = 0 // --frames alone: frames only
			}
			fo, err := prepareSynth(cmd, &o)
			if err != nil {
				return err
			}
			if o.Images > 0 {
				bar := loopkit.Bar(os.Stderr, int64(o.Images), "synth images", progressbar.OptionShowCount(),
					progressbar.OptionShowIts(), progressbar.OptionThrottle(100_000_000), progressbar.OptionClearOnFinish())
				o.Progress = func(done, total int) { _ = bar.Set(done) }
				sum, err := synth.Generate(ctx, o)
				_ = bar.Finish()
				if err != nil {
					return err
				}
				fmt.Fprintln(os.Stderr, sum)
			}
			if fo != nil {
				return runFrames(ctx, fo)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Dir, "out", "", "output directory")
	f.IntVar(&o.Species, "species", o.Species, "number of labelled species (>= 2)")
	f.IntVar(&o.Unseen, "unseen", o.Unseen, "number of species only in the unseen splits (-1: species/10, at least 1)")
	f.IntVar(&images, "images", o.Images, "number of rows/images (not written when --frames is given without --images)")
	f.Uint64Var(&o.Seed, "seed", o.Seed, "random seed")
	f.Float64Var(&o.Imbalance, "imbalance", o.Imbalance, "ratio of the most to the least frequent species")
	f.IntVar(&o.Size, "size", o.Size, "image short side in pixels (256 is the published cropped_256 layout)")
	f.BoolVar(&o.Square, "square", false, "square images instead of the published short-side-256 convention")
	f.IntVar(&o.Quality, "quality", o.Quality, "JPEG quality")
	f.IntVar(&o.Workers, "workers", 0, "drawing goroutines (0: all CPUs); does not change the output")
	f.BoolVar(&force, "force", false, "replace the output of an earlier synth run in --out (only synth's own files are deleted)")
	addFrameFlags(cmd)
	rootCmd.AddCommand(cmd)
}

// frameFlags holds the --frames options of `trainer synth`.
var frameFlags = trap.DefaultOptions()

func addFrameFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	fo := &frameFlags
	f.IntVar(&fo.Frames, "frames", 0, "number of synthetic trap frames to write to OUT/frames (with ground_truth.json)")
	f.IntVar(&fo.Width, "frame-width", fo.Width, "frame width in pixels")
	f.IntVar(&fo.Height, "frame-height", fo.Height, "frame height in pixels")
	f.IntVar(&fo.MinSpecimens, "frame-min", fo.MinSpecimens, "fewest specimens on the first frame (on every frame with --frame-independent)")
	f.IntVar(&fo.MaxSpecimens, "frame-max", fo.MaxSpecimens, "most specimens on the first frame (on every frame with --frame-independent)")
	f.IntVar(&fo.NewMin, "frame-new-min", fo.NewMin, "fewest new specimens per frame after the first")
	f.IntVar(&fo.NewMax, "frame-new-max", fo.NewMax, "most new specimens per frame after the first")
	f.IntVar(&fo.Region, "frame-region", fo.Region, "index of the trap's region in the catalog (synth_info.json regions; -1: chosen by --seed)")
	f.BoolVar(&fo.Independent, "frame-independent", false, "independent frames at random regions instead of one trap session")
	f.Float64Var(&fo.PixelsPerMM, "frame-ppm", fo.PixelsPerMM, "frame scale in pixels per millimetre")
	f.StringVar(&fo.Background, "frame-background", fo.Background, "trap background: sheet, sticky or mixed")
	f.BoolVar(&fo.SeenOnly, "frame-seen-only", false, "draw only labelled (seen) species on frames")
	f.BoolVar(&fo.PhotoCard, "frame-photo-card", fo.PhotoCard, "sticky cards as phone photos of used cards: darker card on dark cloth, uneven daylight, punched holes, whiteflies (see synth/trap); =false for a plain bright card")
}

// prepareSynth checks all flags before anything is written and returns
// the frame options (nil without --frames). Frames draw the species of
// the dataset in --out: the one about to be generated, else
// OUT/synth_info.json, else a catalog built from --seed/--species/--unseen.
func prepareSynth(cmd *cobra.Command, o *synth.Options) (*trap.Options, error) {
	fl := cmd.Flags()
	switch {
	case o.Dir == "":
		return nil, fmt.Errorf("--out is required")
	case o.Images < 0:
		return nil, fmt.Errorf("--images must be >= 0, got %d", o.Images)
	case frameFlags.Frames < 0:
		return nil, fmt.Errorf("--frames must be >= 0, got %d", frameFlags.Frames)
	case o.Images == 0 && frameFlags.Frames == 0:
		return nil, fmt.Errorf("nothing to do: --images is 0 and no --frames")
	case o.Species < 2:
		return nil, fmt.Errorf("--species must be >= 2, got %d", o.Species)
	case frameFlags.Frames == 0 && (fl.Changed("frame-region") || fl.Changed("frame-independent") || fl.Changed("frame-new-min") || fl.Changed("frame-new-max")):
		return nil, fmt.Errorf("--frame-* flags need --frames N")
	case frameFlags.Independent && (fl.Changed("frame-new-min") || fl.Changed("frame-new-max")):
		return nil, fmt.Errorf("--frame-new-min/--frame-new-max apply to trap sessions, not to --frame-independent frames")
	}
	if o.Images > 0 {
		if err := o.Validate(); err != nil {
			return nil, err
		}
	}
	if frameFlags.Frames == 0 {
		return nil, nil
	}
	fo := frameFlags
	fo.Dir, fo.Seed, fo.Workers, fo.Overwrite = o.Dir, o.Seed, o.Workers, o.Overwrite
	unseen := o.Unseen
	if unseen < 0 {
		unseen = max(1, o.Species/10)
	}
	infoPath := filepath.Join(o.Dir, synth.InfoFile)
	if _, err := os.Stat(infoPath); err == nil && o.Images == 0 {
		_, cat, err := synth.LoadInfo(infoPath)
		if err != nil {
			return nil, err
		}
		fo.Catalog = cat
	} else {
		cat, err := synth.NewCatalog(o.Seed, o.Species, unseen)
		if err != nil {
			return nil, err
		}
		fo.Catalog = cat
	}
	if err := fo.Validate(); err != nil {
		return nil, err
	}
	return &fo, nil
}

// runFrames writes the trap frames.
func runFrames(ctx context.Context, fo *trap.Options) error {
	bar := loopkit.Bar(os.Stderr, int64(fo.Frames), "synth frames", progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
	fo.Progress = func(done, total int) { _ = bar.Set(done) }
	start := time.Now()
	gt, err := trap.Generate(ctx, *fo)
	_ = bar.Finish()
	if err != nil {
		return err
	}
	n := 0
	for _, f := range gt.Frames {
		n += f.New
	}
	where := "random regions"
	if len(gt.Frames) > 0 && gt.Mode == trap.ModeSession {
		f := gt.Frames[0]
		where = fmt.Sprintf("one trap in %s, %s (%.4f, %.4f) from %s", f.Province, f.Country, f.Lat, f.Lon, f.Time)
	}
	fmt.Fprintf(os.Stderr, "synth: %d frames %dx%d (%s), %d specimens in %s -> %s\n", len(gt.Frames), gt.Width, gt.Height, where, n,
		time.Since(start).Round(time.Millisecond), filepath.Join(fo.Dir, trap.FramesDir))
	return nil
}

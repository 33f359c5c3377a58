package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/search"
	"github.com/trapnet/trapnet/trainer"
)

func init() {
	var (
		data                             dataFlags
		genoPath, out, modality, initDir string
		resume                           bool
		maxPerClass                      int
		cfg                              = trainer.TrainConfig{Hyper: defaultHyper(), Balance: "weights", Backend: "auto"}
		arch                             = defaultArch()
	)
	cfg.Augment.Pad, cfg.Augment.HFlip, cfg.Augment.VFlip = 2, true, true
	cmd := &cobra.Command{
		Use:   "train --data DIR --genotype RUN/genotype.json --out RUN",
		Short: "train the derived network of a searched genotype and write RUN/model",
		Long: `train builds the derived network of a genotype (only the kept op of each edge,
more cells and channels than the search), trains it with cosine-annealed Adam,
augmentation and class-weighted loss (or a balanced sampler), evaluates macro-F1
on the val split after each epoch, stops early, and writes:

  RUN/train.jsonl   one line per epoch
  RUN/curves.png    training curves
  RUN/model/        the best epoch as an ir graph + weights, labels, metadata
                    schema, preprocess, genotype, train config, version;
                    checkpoint/ for --resume

Ctrl-C saves a checkpoint; run again with --resume to continue.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			paths, err := data.paths()
			if err != nil {
				return err
			}
			if out == "" || (genoPath == "" && initDir == "") {
				return fmt.Errorf("--out and --genotype (or --init) are required")
			}
			dopts := trainer.DataOptions{Rank: cfg.Rank, Size: arch.Size, Batch: cfg.Hyper.BatchSize,
				Balance: cfg.Balance, Augment: cfg.Augment, Seed: cfg.Hyper.Seed, MaxPerClass: maxPerClass}
			g, err := trainArch(&arch, &dopts, cmd, genoPath, modality, initDir)
			if err != nil {
				return err
			}
			if g != nil && initDir == "" {
				for _, w := range trainer.GenotypeWarnings(g, arch) {
					fmt.Fprintln(os.Stderr, "train: "+w)
				}
			}
			if initDir != "" && !cmd.Flags().Changed("lr") {
				cfg.Hyper.LR = trainer.FineTuneLR
			}
			cfg.Arch, cfg.Data, cfg.Genotype, cfg.Init, cfg.Rank = arch, strings.Join(paths, " + "), genoPath, initDir, dopts.Rank
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			d, err := trainer.OpenData(paths, dopts)
			if err != nil {
				return err
			}
			printSources(os.Stderr, "train", d.Sources)
			if d.NormFitted > 0 {
				fmt.Fprintf(os.Stderr, "train: normalisation fitted on %d train images: mean %.3f std %.3f\n", d.NormFitted, d.Prep.Mean, d.Prep.Std)
			}
			fmt.Fprintf(os.Stderr, "train: %d classes at rank %s, splits %v, metadata dim %d\n",
				len(d.Names), d.Rank, d.Summary.SplitSizes, d.Schema.Dim())
			res, err := trainer.Train(ctx, cfg, d, g, out, resume, os.Stderr)
			if err != nil {
				return err
			}
			if res.Interrupted {
				fmt.Fprintf(os.Stderr, "train: interrupted; checkpoint saved, continue with --resume\n")
				return nil
			}
			fmt.Printf("best epoch %d: val macro-F1 %.4f (%.1f images/s); model in %s\n",
				res.BestEpoch, res.BestMacroF1, res.ImagesPerSec, filepath.Join(out, trainer.DirModel))
			return nil
		},
	}
	f := cmd.Flags()
	data.add(cmd)
	f.StringVar(&genoPath, "genotype", "", "genotype.json written by search")
	f.StringVar(&out, "out", "", "run directory")
	f.StringVar(&modality, "modality", "fusion", "fusion, image or metadata (ablations)")
	f.BoolVar(&resume, "resume", false, "continue from RUN/model/checkpoint")
	f.IntVar(&maxPerClass, "max-per-class", 0, "use at most this many training samples per class (0: all); with --init only of the model's classes: it bounds the old data replayed next to the new classes' crops")
	f.StringVar(&initDir, "init", "", "fine-tune: start from this model directory (RUN/model): its network, metadata schema and normalisation; new classes get new classifier rows; --lr defaults to 1e-3")
	f.StringVar(&cfg.Rank, "rank", "species", "target rank")
	addArchFlags(cmd, &arch)
	addHyperFlags(cmd, &cfg)
	rootCmd.AddCommand(cmd)
}

// defaultArch is the derived network's default size: DARTS goes from 8
// cells x 16 channels in search to 20 x 36; scaled down for CPUs.
func defaultArch() trainer.Arch {
	return trainer.Arch{Layers: 6, Channels: 12, StemMult: 3, Size: 32, MetaHidden: 32, FusionHidden: 128, AuxWeight: 0.4}
}

func defaultHyper() trainer.Hyper {
	return trainer.Hyper{Epochs: 30, BatchSize: 32, LR: 3e-3, MinLR: 1e-5, WeightDecay: 1e-4, DropPath: 0.1, Patience: 8, Seed: 1}
}

func addArchFlags(cmd *cobra.Command, a *trainer.Arch) {
	f := cmd.Flags()
	f.IntVar(&a.Size, "size", a.Size, "image side in pixels")
	f.IntVar(&a.Layers, "cells", a.Layers, "number of cells (reductions at 1/3 and 2/3)")
	f.IntVar(&a.Channels, "channels", a.Channels, "channels of the first cells (even)")
	f.IntVar(&a.StemMult, "stem-mult", a.StemMult, "stem channels = stem-mult x channels")
	f.IntVar(&a.MetaHidden, "meta-hidden", a.MetaHidden, "width of the metadata branch (as in search: 32)")
	f.IntVar(&a.FusionHidden, "fusion-hidden", a.FusionHidden, "width of the fusion MLP's hidden layer (0: none)")
	f.StringVar(&a.Fusion, "fusion", "concat", "fusion module as in search: concat or gated")
	f.Float64Var(&a.AuxWeight, "aux-weight", a.AuxWeight, "loss weight of the auxiliary head after the cell at 2/3 depth (0: none)")
}

func addHyperFlags(cmd *cobra.Command, c *trainer.TrainConfig) {
	f := cmd.Flags()
	h := &c.Hyper
	f.IntVar(&h.Epochs, "epochs", h.Epochs, "training epochs")
	f.IntVar(&h.BatchSize, "batch", h.BatchSize, "batch size")
	f.Float64Var(&h.LR, "lr", h.LR, "initial learning rate (cosine-annealed)")
	f.Float64Var(&h.MinLR, "min-lr", h.MinLR, "final learning rate")
	f.Float64Var(&h.WeightDecay, "wd", h.WeightDecay, "Adam decoupled weight decay")
	f.Float64Var(&h.DropPath, "drop-path", h.DropPath, "drop-path probability on cell edges")
	f.IntVar(&h.Patience, "patience", h.Patience, "stop after this many epochs without a better val macro-F1 (0: never)")
	f.Uint64Var(&h.Seed, "seed", h.Seed, "random seed")
	f.StringVar(&c.Balance, "balance", c.Balance, "class imbalance: weights (weighted loss), sampler (balanced sampling) or none")
	f.IntVar(&c.Augment.Pad, "aug-pad", c.Augment.Pad, "random-crop shift in pixels (0: none)")
	f.BoolVar(&c.Augment.HFlip, "hflip", c.Augment.HFlip, "random horizontal flips")
	f.BoolVar(&c.Augment.VFlip, "vflip", c.Augment.VFlip, "random vertical flips")
	f.BoolVar(&c.Augment.Transpose, "transpose", c.Augment.Transpose, "random transposes (with both flips: every right-angle turn and mirror image)")
	f.Float64Var(&c.Augment.Jitter, "jitter", c.Augment.Jitter, "random per-channel gain 1 +- J and offset +- J on the normalised image (0: none)")
	f.StringVar(&c.Backend, "backend", c.Backend, "GoMLX backend: auto, go or xla")
}

// trainArch fills the architecture (and, for --init, the data options) of
// `trainer train`: from the genotype and flags, or with --init from the
// model directory, whose network, schema, normalisation, rank and classes
// are kept (architecture flags are then ignored).
func trainArch(arch *trainer.Arch, o *trainer.DataOptions, cmd *cobra.Command, genoPath, modality, init string) (*search.Genotype, error) {
	if init == "" {
		m, err := trainer.ParseModality(modality)
		if err != nil {
			return nil, err
		}
		cells, g, err := trainer.LoadCells(genoPath)
		if err != nil {
			return nil, fmt.Errorf("--genotype: %w", err)
		}
		arch.Cells, arch.Modality = cells, m
		return g, nil
	}
	if !cmd.Flags().Changed("rank") {
		o.Rank = "" // the model's
	}
	m, a, err := trainer.PrepareFineTune(init, o)
	if err != nil {
		return nil, err
	}
	*arch = a
	return m.Genotype, nil
}

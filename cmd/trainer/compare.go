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
		data              dataFlags
		genoPath, out     string
		randomRuns, seeds int
		modalities        []string
		metaRow           bool
		cfg               = trainer.TrainConfig{Hyper: defaultHyper(), Balance: "weights", Backend: "auto"}
		arch              = defaultArch()
	)
	cfg.Hyper.Epochs, cfg.Hyper.Patience = 10, 0
	cfg.Augment.Pad, cfg.Augment.HFlip, cfg.Augment.VFlip = 2, true, true
	cmd := &cobra.Command{
		Use:   "compare --data DIR --genotype RUN/genotype.json",
		Short: "searched genotype vs random genotypes vs a hand-designed CNN, fusion vs image-only",
		Long: `compare trains, under the same budget (flags as for train), the searched
genotype, random genotypes of the same shape from the same op space and a
fixed hand-designed CNN of the same depth and widths, each with metadata fusion
and image-only, plus a metadata-only MLP, and prints a markdown table of test
accuracy and macro precision, recall and F1 (at the best val epoch), mean ± std
over --seeds training seeds (the random row's run i uses random genotype i),
then says plainly whether search beat random. Images are decoded once and kept
in memory.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			paths, err := data.paths()
			if err != nil {
				return err
			}
			if genoPath == "" {
				return fmt.Errorf("--genotype is required")
			}
			if cfg.Balance == "sampler" {
				return fmt.Errorf("--balance sampler is not supported by compare (use weights or none)")
			}
			var searched []search.Cells
			for _, path := range strings.Split(genoPath, ",") {
				cells, _, err := trainer.LoadCells(path)
				if err != nil {
					return fmt.Errorf("--genotype: %w", err)
				}
				searched = append(searched, cells)
			}
			arch.Cells = searched[0]
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			d, err := trainer.OpenData(paths, trainer.DataOptions{Rank: cfg.Rank, Size: arch.Size, Batch: cfg.Hyper.BatchSize,
				Balance: cfg.Balance, Seed: cfg.Hyper.Seed})
			if err != nil {
				return err
			}
			if d.Test == nil {
				return fmt.Errorf("dataset %s has no labelled test split", strings.Join(paths, " + "))
			}
			var srcs [3]*trainer.MemorySource
			for i, s := range []trainer.BatchSource{d.Train, d.Val, d.Test} {
				if srcs[i], err = trainer.ReadAll(ctx, s); err != nil {
					return err
				}
			}
			srcs[0].Shuffle, srcs[0].DropLast, srcs[0].Augment, srcs[0].Seed = true, true, cfg.Augment, cfg.Hyper.Seed
			arch.Size, arch.MetaDim, arch.Classes = d.Prep.Size, d.Schema.Dim(), len(d.Names)
			backend, err := trainer.NewBackend(cfg.Backend)
			if err != nil {
				return err
			}
			var mods []trainer.Modality
			for _, m := range modalities {
				mod, err := trainer.ParseModality(m)
				if err != nil {
					return fmt.Errorf("--modalities: %w", err)
				}
				mods = append(mods, mod)
			}
			rows, err := trainer.Compare(ctx, backend, srcs[0], srcs[1], srcs[2], trainer.CompareOptions{
				Arch: arch, Hyper: cfg.Hyper, Searched: searched, Seeds: seeds, RandomRuns: randomRuns, Modalities: mods, MetadataRow: metaRow, ClassWeights: d.ClassWeights,
				Log: func(s string) { fmt.Fprintln(os.Stderr, "compare:", s) }})
			if err != nil {
				return err
			}
			table := trainer.MarkdownTable(rows) + "\n" + trainer.Verdict(rows)
			fmt.Print(table)
			if out != "" {
				if err := os.MkdirAll(out, 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(filepath.Join(out, "compare.md"), []byte(table), 0o644); err != nil {
					return err
				}
				return os.WriteFile(filepath.Join(out, "compare.json"), []byte(trainer.MarshalIndent(rows)+"\n"), 0o644)
			}
			return nil
		},
	}
	f := cmd.Flags()
	data.add(cmd)
	f.StringVar(&genoPath, "genotype", "", "genotype.json written by search; several, comma-separated (e.g. one per search seed): the searched row's run i uses the i-th")
	f.StringVar(&out, "out", "", "directory for compare.md and compare.json (optional)")
	f.IntVar(&seeds, "seeds", 1, "training seeds per row (mean ± std)")
	f.IntVar(&randomRuns, "random", 0, "runs of the random row, one random genotype each (0: --seeds, at least 3)")
	f.BoolVar(&metaRow, "metadata-row", true, "add a metadata-only MLP row")
	f.StringSliceVar(&modalities, "modalities", []string{"fusion", "image"}, "modalities of the searched, random and CNN rows")
	f.StringVar(&cfg.Rank, "rank", "species", "target rank")
	addArchFlags(cmd, &arch)
	addHyperFlags(cmd, &cfg)
	rootCmd.AddCommand(cmd)
}

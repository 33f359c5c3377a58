package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/trapnet/trapnet/loopkit"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/search"
	"github.com/trapnet/trapnet/trainer"
)

var searchFlags struct {
	data                                                      dataFlags
	out, rank, backend, plugin, classWeights, sampler, fusion string
	size, cells, nodes, channels, epochs, batch, maxSteps     int
	maxImages, seed, skipCap, topK, stopPatience, ckEvery     int
	valFrac, warmup, logitBudget, decidedMargin               float64
	resume, secondOrder, keepZero                             bool
}

var searchCmd = &cobra.Command{
	Use:   "search --data DIR --out RUN",
	Short: "multimodal DARTS architecture search; writes RUN/genotype.json",
	Long: `search runs BioAutoML-NAS on the train split of the datasets given (BIOSCAN-5M
folders, generic CSV folders or spec files; several are joined, classes = the
union of their labels):
train is split into search-train and search-val; each step updates the
architecture (Adam on alpha, search-val batch) then the weights (SGD, cosine lr,
search-train batch). Writes RUN/genotype.json, RUN/search.jsonl, RUN/alphas.png,
RUN/metadata_schema.json and RUN/checkpoint (Ctrl-C saves; --resume continues).
Keys of --config (YAML) are flag names; flags given on the command line win.`,
	RunE: runSearch,
}

func init() {
	f := searchCmd.Flags()
	s := &searchFlags
	s.data.add(searchCmd)
	f.StringVar(&s.out, "out", "", "run directory")
	f.StringVar(&s.rank, "rank", dataset.RankSpecies, "target rank")
	f.StringVar(&s.backend, "backend", "auto", "engine: auto, go or xla")
	f.StringVar(&s.plugin, "pjrt-plugin", "", "PJRT plugin .so for --backend xla/auto")
	f.StringVar(&s.classWeights, "class-weights", "invsqrt", "loss class weights: invsqrt or none")
	f.StringVar(&s.sampler, "sampler", "shuffle", "batch sampler: shuffle or balanced")
	f.StringVar(&s.fusion, "fusion", search.FusionConcat, "fusion: concat or gated")
	f.IntVar(&s.size, "size", 32, "image side")
	f.IntVar(&s.cells, "cells", 3, "stacked cells L")
	f.IntVar(&s.nodes, "nodes", 2, "intermediate nodes per cell")
	f.IntVar(&s.channels, "channels", 8, "channels C of the first cell")
	f.IntVar(&s.epochs, "epochs", 10, "epochs")
	f.IntVar(&s.batch, "batch", 32, "batch size")
	f.IntVar(&s.maxSteps, "max-steps", 0, "stop after this many pair steps (0: no limit)")
	f.IntVar(&s.maxImages, "max-images", 0, "stop after this many training images (0: no limit)")
	f.IntVar(&s.seed, "seed", 1, "random seed")
	f.IntVar(&s.skipCap, "skip-cap", 2, "most skip_connect edges in the derived normal cell (-1: no cap)")
	f.IntVar(&s.topK, "top-k", 2, "most incoming edges kept per node")
	d := search.DefaultArchSchedule()
	f.Float64Var(&s.warmup, "warmup", d.WarmupFrac, "share of the steps that train weights only, before architecture steps")
	f.Float64Var(&s.logitBudget, "logit-budget", d.LogitBudget, "alpha lr = max(3e-4, budget / architecture steps) (0: fixed 3e-4)")
	f.IntVar(&s.stopPatience, "stop-patience", d.StopPatience, "after warm-up, stop when the genotype is unchanged and decided for this many epochs (0: off)")
	f.Float64Var(&s.decidedMargin, "decided-margin", d.DecidedMargin, "median top-1 minus top-2 softmax weight that counts as decided")
	f.IntVar(&s.ckEvery, "checkpoint-every", 50, "checkpoint every so many steps (0: epoch ends only)")
	f.Float64Var(&s.valFrac, "val-fraction", 0.5, "share of train used as search-val")
	f.BoolVar(&s.resume, "resume", false, "continue from RUN/checkpoint")
	f.BoolVar(&s.secondOrder, "second-order", false, "unrolled second-order DARTS")
	f.BoolVar(&s.keepZero, "keep-zero-edges", false, "keep edges whose zero op dominates")
	rootCmd.AddCommand(searchCmd)
}

// loaderSource adapts a dataset.Loader to search.Source.
type loaderSource struct {
	ctx context.Context
	l   *dataset.Loader
}

func (s loaderSource) Reset(epoch int) { s.l.Reset(epoch) }

func (s loaderSource) Next() (*search.Batch, error) {
	b, err := s.l.Next(s.ctx)
	if err != nil {
		return nil, err
	}
	return &search.Batch{N: b.N, Images: b.Images, Meta: b.Meta, Labels: b.Labels}, nil
}

func runSearch(cmd *cobra.Command, _ []string) error {
	s := &searchFlags
	paths, err := s.data.paths()
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if s.out == "" {
		return errors.New("search: --out is required")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	srcs, err := dataset.ParseSources(paths)
	if err != nil {
		return err
	}
	ds, err := dataset.Open(srcs, dataset.Options{Rank: s.rank, Splits: []string{dataset.SplitTrain}})
	if err != nil {
		return err
	}
	printSources(os.Stderr, "search", ds.Sources)
	samples := dataset.Labelled(ds.Split(dataset.SplitTrain))
	schema, err := dataset.FitMetadata(samples, nil)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.out, 0o755); err != nil {
		return err
	}
	if err := schema.Save(filepath.Join(s.out, "metadata_schema.json")); err != nil {
		return err
	}
	val, tr := dataset.SplitFraction(samples, s.valFrac, uint64(s.seed))
	k := len(ds.Classes)
	if len(tr) < s.batch || len(val) < s.batch {
		return fmt.Errorf("search: %d search-train / %d search-val samples, fewer than a batch of %d", len(tr), len(val), s.batch)
	}
	prep, _, err := dataset.TrainPrep(srcs, tr, s.size, 0, uint64(s.seed), ds.Report)
	if err != nil {
		return err
	}
	mk := func(sm []dataset.Sample, seed int) (*dataset.Loader, error) {
		o := dataset.LoaderOptions{BatchSize: s.batch, Shuffle: true, Seed: uint64(seed), DropLast: true}
		if s.sampler == "balanced" {
			o.Weights = dataset.BalancedWeights(sm, k, 1)
		} else if s.sampler != "shuffle" {
			return nil, fmt.Errorf("unknown --sampler %q", s.sampler)
		}
		return dataset.NewLoader(sm, schema, prep, o)
	}
	trL, err := mk(tr, s.seed)
	if err != nil {
		return err
	}
	defer trL.Close()
	valL, err := mk(val, s.seed+1)
	if err != nil {
		return err
	}
	defer valL.Close()
	var cw []float32
	switch s.classWeights {
	case "invsqrt":
		cw = dataset.ClassWeights(dataset.ClassCounts(tr, k))
	case "none":
	default:
		return fmt.Errorf("unknown --class-weights %q", s.classWeights)
	}
	backend, desc, err := search.NewBackend(s.backend, s.plugin)
	if err != nil {
		return err
	}
	slog.Info("search", "backend", desc, "classes", k, "search_train", len(tr), "search_val", len(val), "meta_dim", schema.Dim())
	opt := search.DefaultOptConfig()
	opt.SecondOrder = s.secondOrder
	cfg := search.RunConfig{
		Net: search.NetConfig{Classes: k, MetaDim: schema.Dim(), Channels: s.channels, Cells: s.cells,
			Nodes: s.nodes, Fusion: s.fusion},
		Opt:    opt,
		Derive: search.DeriveOptions{TopK: s.topK, SkipCap: s.skipCap, KeepZero: s.keepZero},
		Size:   s.size, Epochs: s.epochs, StepsPerEpoch: len(tr) / s.batch, MaxSteps: s.maxSteps,
		MaxImages: s.maxImages, Batch: s.batch, Seed: s.seed, Out: s.out, Resume: s.resume,
		CheckpointEvery: s.ckEvery,
		Schedule: search.ArchSchedule{WarmupFrac: s.warmup, LogitBudget: s.logitBudget, StopPatience: s.stopPatience,
			DecidedMargin: s.decidedMargin},
	}
	cfg.Params = trainer.GenotypeParams(cfg.Net, s.size)
	if b, err := json.MarshalIndent(cfg, "", "  "); err == nil {
		_ = os.WriteFile(filepath.Join(s.out, "search_config.json"), b, 0o644)
	}
	var bar *progressbar.ProgressBar
	tty := loopkit.Terminal(os.Stderr)
	progress := func(step, total int, r search.StepResult, ips float64) {
		if !tty { // a log: a line every twentieth of the run, no bar
			if every := max(1, total/20); step%every == 0 || step == total {
				args := []any{"step", step, "of", total, "train_loss", r.TrainLoss, "train_acc", r.TrainAcc, "images_per_sec", ips}
				if r.ValLoss > 0 { // no architecture step (and no val batch) during the warm-up
					args = append(args, "val_loss", r.ValLoss, "val_acc", r.ValAcc)
				}
				slog.Info("search", args...)
			}
			return
		}
		if bar == nil {
			bar = loopkit.Bar(os.Stderr, int64(total), "search", progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true))
			_ = bar.Set(step - 1)
		}
		bar.Describe(fmt.Sprintf("loss %.3f acc %.2f val %.3f/%.2f %.1f img/s", r.TrainLoss, r.TrainAcc, r.ValLoss, r.ValAcc, ips))
		_ = bar.Set(step)
	}
	geno, err := search.Run(ctx, backend, cfg, loaderSource{ctx, trL}, loaderSource{ctx, valL}, cw, progress)
	if bar != nil {
		if err == nil {
			_ = bar.Finish()
		} else {
			_ = bar.Exit()
		}
		fmt.Fprintln(os.Stderr)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, io.ErrUnexpectedEOF) {
			return search.ErrInterrupted
		}
		return err
	}
	fmt.Print(search.Summary(geno, filepath.Join(s.out, "genotype.json")))
	return nil
}

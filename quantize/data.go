package quantize

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/ir"
)

// OpenSplits opens the datasets at paths (BIOSCAN-5M folders, generic CSV
// folders or spec files, as one; see dataset.Open) with the model's label
// rank (rank; "" falls back to train_config.json's rank, then species) and
// returns the labelled training samples in a seeded random order (for
// calibration) and the labelled test samples, both with class ids mapped to
// the model's labels by name (samples with other labels are left out and
// logged), plus a trapnet.data_summary JSON for models whose directory has
// none.
//
// The int8 model is compared with the float one on the test split; a
// dataset without one (a model trained on all the data there is) is
// compared on val, and evalSplit says which.
func OpenSplits(paths []string, md *ModelDir, rank string, seed uint64) (train, test []dataset.Sample, evalSplit string, summary []byte, err error) {
	if rank == "" {
		rank = md.trainRank
	}
	d, err := dataset.OpenPaths(paths, rank, dataset.Options{Splits: []string{dataset.SplitTrain, dataset.SplitVal, dataset.SplitTest}})
	if err != nil {
		return nil, nil, "", nil, err
	}
	where := strings.Join(paths, " + ")
	remap := func(split string) []dataset.Sample {
		out, unknown := dataset.MapToLabels(d.Split(split), md.Labels)
		if len(unknown) > 0 {
			slog.Warn("samples with labels the model does not know are left out", "split", split, "labels", dataset.DescribeCounts(unknown, 5))
		}
		return out
	}
	train, test, evalSplit = remap(dataset.SplitTrain), remap(dataset.SplitTest), dataset.SplitTest
	if len(test) == 0 {
		if test = remap(dataset.SplitVal); len(test) > 0 {
			evalSplit = dataset.SplitVal
			slog.Warn("no test split: the int8 model is compared with the float one on val", "data", where, "val", len(test))
		}
	}
	if len(train) == 0 {
		return nil, nil, "", nil, fmt.Errorf("quantize: %s: no training samples with the model's labels (rank %q)", where, d.Rank)
	}
	slog.Info("dataset", "data", where, "rank", d.Rank, "train", len(train), evalSplit, len(test), "classes", len(md.Labels))
	r := rand.New(rand.NewPCG(seed, 0x9a17))
	r.Shuffle(len(train), func(i, j int) { train[i], train[j] = train[j], train[i] })
	counts := make([]int, len(md.Labels))
	for _, s := range train {
		counts[s.Class]++
	}
	summary, err = json.Marshal(map[string]any{"dataset": where, "rank": d.Rank, "class_counts": counts,
		"split_sizes": map[string]int{"train": len(train), evalSplit: len(test)}})
	return train, test, evalSplit, summary, err
}

// EachBatch streams up to limit samples (0: all) through fn in batches of
// batch, as tensors in the graph's input order (image [N,H,W,3], then
// metadata [N,D] when the graph has that input), with the class ids.
func EachBatch(ctx context.Context, md *ModelDir, samples []dataset.Sample, batch, limit int,
	fn func(inputs []*ir.Tensor, labels []int32) error) error {
	if limit > 0 && limit < len(samples) {
		samples = samples[:limit]
	}
	l, err := dataset.NewLoader(samples, md.Schema, md.Preprocess, dataset.LoaderOptions{BatchSize: batch})
	if err != nil {
		return err
	}
	defer l.Close()
	for {
		b, err := l.Next(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		inputs := []*ir.Tensor{{Shape: []int{b.N, b.Size, b.Size, 3}, Data: b.Images[:b.N*b.Size*b.Size*3]}}
		if len(md.Graph.Inputs) == 2 {
			inputs = append(inputs, &ir.Tensor{Shape: []int{b.N, b.MetaDim}, Data: b.Meta[:b.N*b.MetaDim]})
		}
		if err := fn(inputs, b.Labels); err != nil {
			return err
		}
	}
}

// readTrainRank returns train_config.json's "rank" ("" when absent).
func readTrainRank(dir string) string {
	var cfg struct {
		Rank string `json:"rank"`
	}
	if b, err := os.ReadFile(filepath.Join(dir, "train_config.json")); err == nil {
		_ = json.Unmarshal(b, &cfg) // optional: only a default
	}
	return cfg.Rank
}

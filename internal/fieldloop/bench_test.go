package fieldloop

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/synth"
	"github.com/trapnet/trapnet/trainer"
)

// BenchmarkFineTuneVsFull measures a fine-tune on ~500 new labelled crops of a
// new species (plus 50 replayed samples per old class, 3 epochs, --init)
// against a full training of the same network on the old data (30 epochs,
// the `trainer train` default, no early stop). Target: the fine-tune takes
// < 10% of the full training's time.
//
//	go test -run '^$' -bench FineTuneVsFull -benchtime 1x ./internal/fieldloop
func BenchmarkFineTuneVsFull(b *testing.B) {
	ctx := context.Background()
	full := filepath.Join(b.TempDir(), "full")
	if _, err := synth.Generate(ctx, synth.Options{Dir: full, Species: 6, Unseen: 0, Images: 3000, Seed: 5, Imbalance: 1, Size: 32, Quality: 90}); err != nil {
		b.Fatal(err)
	}
	rows := readCSV(b, filepath.Join(full, dataset.BIOSCANMetadataFile))
	col, pid, split := slices.Index(rows[0], "species"), slices.Index(rows[0], "processid"), slices.Index(rows[0], "split")
	chunk := slices.Index(rows[0], "chunk")
	newSp := rows[1][col]
	base := filepath.Join(b.TempDir(), "base")
	os.MkdirAll(base, 0o755)
	if err := os.Symlink(filepath.Join(full, "images"), filepath.Join(base, "images")); err != nil {
		b.Fatal(err)
	}
	kept := rows[:1]
	crops := [][]string{{"image", "label", "country"}}
	for _, r := range rows[1:] {
		if r[col] != newSp {
			kept = append(kept, r)
			continue
		}
		if len(crops) <= 500 && slices.Contains([]string{"train", "val", "test"}, r[split]) {
			img := filepath.Join(full, "images", "cropped_256", r[split], r[chunk], r[pid]+".jpg")
			if _, err := os.Stat(img); err != nil {
				img = filepath.Join(full, "images", "cropped_256", r[split], r[pid]+".jpg")
			}
			crops = append(crops, []string{img, newSp, "Canada"})
		}
	}
	writeCSV(b, filepath.Join(base, dataset.BIOSCANMetadataFile), kept)
	field := filepath.Join(b.TempDir(), "field")
	os.MkdirAll(field, 0o755)
	writeCSV(b, filepath.Join(field, "labels.csv"), crops)
	os.WriteFile(filepath.Join(field, dataset.SpecFile), []byte("csv: labels.csv\nmetadata_columns: [country]\n"), 0o644)

	cells, err := trainer.CellsFromGenotype(loopGenotype)
	if err != nil {
		b.Fatal(err)
	}
	arch := trainer.Arch{Cells: cells, Layers: 3, Channels: 4, StemMult: 2, Size: 16, MetaHidden: 8, FusionHidden: 16, Modality: trainer.Fusion}
	hyper := trainer.Hyper{Epochs: 30, BatchSize: 32, LR: 3e-3, MinLR: 1e-5, WeightDecay: 1e-4, Seed: 1}
	run := b.TempDir()
	b.ResetTimer()
	for range b.N {
		d, err := trainer.OpenData([]string{base}, trainer.DataOptions{Size: 16, Batch: 32, Balance: "weights", Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if _, err := trainer.Train(ctx, trainer.TrainConfig{Arch: arch, Hyper: hyper, Balance: "weights", Backend: "go"}, d, loopGenotype, filepath.Join(run, "old"), false, nil); err != nil {
			b.Fatal(err)
		}
		fullS := time.Since(start).Seconds()
		oldDir := filepath.Join(run, "old", trainer.DirModel)
		dopts := trainer.DataOptions{Size: 16, Batch: 32, Balance: "weights", Seed: 2, MaxPerClass: 50}
		_, a, err := trainer.PrepareFineTune(oldDir, &dopts)
		if err != nil {
			b.Fatal(err)
		}
		nd, err := trainer.OpenData([]string{base, field}, dopts)
		if err != nil {
			b.Fatal(err)
		}
		fh := hyper
		fh.Epochs = 3
		start = time.Now()
		if _, err := trainer.Train(ctx, trainer.TrainConfig{Arch: a, Hyper: fh, Balance: "weights", Backend: "go", Init: oldDir}, nd, loopGenotype, filepath.Join(run, "new"), false, nil); err != nil {
			b.Fatal(err)
		}
		ftS := time.Since(start).Seconds()
		b.Logf("full training: %d train images x %d epochs in %.1fs; fine-tune: %d train images (%d new crops) x %d epochs in %.1fs = %.1f%%",
			d.Train.Len(), hyper.Epochs, fullS, nd.Train.Len(), len(crops)-1, fh.Epochs, ftS, 100*ftS/fullS)
		b.ReportMetric(fullS, "full-s")
		b.ReportMetric(ftS, "finetune-s")
		b.ReportMetric(100*ftS/fullS, "finetune-%")
	}
}

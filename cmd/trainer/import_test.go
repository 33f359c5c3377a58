package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/spf13/pflag"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/trainer"
)

// runTrainer runs `trainer args...` in-process with the subcommand's flags
// back at their defaults first.
func runTrainer(t *testing.T, args ...string) error {
	t.Helper()
	cmd, _, err := rootCmd.Find(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			_ = sv.Replace(nil)
		} else if err := f.Value.Set(f.DefValue); err != nil {
			t.Fatalf("resetting --%s: %v", f.Name, err)
		}
		f.Changed = false
	})
	rootCmd.SetArgs(args)
	return rootCmd.Execute()
}

// TestImportAndFineTuneCommands: synth -> train -> a labelled uncertain
// folder -> trainer import -> trainer train --init adds the new class.
func TestImportAndFineTuneCommands(t *testing.T) {
	dir := t.TempDir()
	data, unc, field := filepath.Join(dir, "data"), filepath.Join(dir, "unc"), filepath.Join(dir, "field")
	if err := runSynth(t, "--out", data, "--species", "3", "--images", "90", "--size", "24", "--workers", "2"); err != nil {
		t.Fatal(err)
	}
	geno := filepath.Join(dir, "geno.json")
	os.WriteFile(geno, []byte(`{"normal":[{"op":"skip_connect","input":0,"node":0},{"op":"conv_1x1","input":1,"node":0}],"normal_concat":[2],
"reduce":[{"op":"max_pool_3x3","input":0,"node":0},{"op":"skip_connect","input":1,"node":0}],"reduce_concat":[2],"nodes":1}`), 0o644)
	small := []string{"--size", "8", "--cells", "3", "--channels", "4", "--stem-mult", "1", "--fusion-hidden", "8", "--epochs", "1", "--batch", "8"}
	if err := runTrainer(t, append([]string{"train", "--data", data, "--genotype", geno, "--out", filepath.Join(dir, "run")}, small...)...); err != nil {
		t.Fatal(err)
	}
	// An uncertain folder: 12 crops, labelled with a species the model
	// does not know, on 3 trap-nights.
	os.MkdirAll(filepath.Join(unc, "images"), 0o755)
	imgs, _ := filepath.Glob(filepath.Join(data, "images", "cropped_256", "train", "*", "*.jpg"))
	if len(imgs) < 12 {
		t.Fatalf("%d synth images", len(imgs))
	}
	rows := [][]string{{"image", "label", "id", "pred_label", "pred_score", "model_version", "datetime", "trap_id"}}
	for i, p := range imgs[:12] {
		b, _ := os.ReadFile(p)
		name := filepath.Base(p)
		os.WriteFile(filepath.Join(unc, "images", name), b, 0o644)
		rows = append(rows, []string{"images/" + name, "Novus fieldius", name, "x", "0.2", "v1", []string{"2026-06-10T23:00:00Z", "2026-06-11T23:00:00Z", "2026-06-12T23:00:00Z"}[i%3], "t1"})
	}
	f, _ := os.Create(filepath.Join(unc, "labels.csv"))
	csv.NewWriter(f).WriteAll(rows)
	f.Close()
	if err := runTrainer(t, "import", "--out", field, unc); err != nil {
		t.Fatal(err)
	}
	if err := runTrainer(t, "data", "check", "--data", data, "--data", field); err != nil {
		t.Fatal(err)
	}
	ft := filepath.Join(dir, "run2")
	if err := runTrainer(t, "train", "--data", data, "--data", field, "--init", filepath.Join(dir, "run", "model"), "--out", ft, "--epochs", "1", "--batch", "8", "--max-per-class", "10"); err != nil {
		t.Fatal(err)
	}
	m, err := trainer.LoadModelDir(filepath.Join(ft, trainer.DirModel))
	if err != nil {
		t.Fatal(err)
	}
	old, _ := trainer.LoadModelDir(filepath.Join(dir, "run", trainer.DirModel))
	if !slices.Equal(m.Labels, append(slices.Clone(old.Labels), "Novus fieldius")) || m.Config.Init == "" || m.Config.Hyper.LR != trainer.FineTuneLR {
		b, _ := json.Marshal(m.Config)
		t.Errorf("fine-tuned labels %v (old %v), config %s", m.Labels, old.Labels, b)
	}
	if m.Preprocess != old.Preprocess || m.Schema.Dim() != old.Schema.Dim() {
		t.Errorf("--init changed the preprocessing or schema")
	}
	if _, err := os.Stat(filepath.Join(field, dataset.SpecFile)); err != nil {
		t.Error(err)
	}
}

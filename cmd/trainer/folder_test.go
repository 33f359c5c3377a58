package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/trainer"
)

// TestTrainOnPhotoFolders: labelled photos kept as class folders
// (DIR/LABEL/photo.jpg, how most people keep them) are checked, trained on
// and evaluated without writing a CSV first.
func TestTrainOnPhotoFolders(t *testing.T) {
	dir := t.TempDir()
	data, photos := filepath.Join(dir, "data"), filepath.Join(dir, "photos")
	if err := runSynth(t, "--out", data, "--species", "3", "--images", "90", "--size", "24", "--workers", "2"); err != nil {
		t.Fatal(err)
	}
	// The same images, by genus folder: a user's own labels.
	imgs, _ := filepath.Glob(filepath.Join(data, "images", "cropped_256", "*", "*", "*.jpg"))
	if len(imgs) < 30 {
		t.Fatalf("%d synth images", len(imgs))
	}
	labels := []string{"Catocala", "Actias luna", "small brown moth"}
	for i, p := range imgs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		label := labels[i%3]
		os.MkdirAll(filepath.Join(photos, label), 0o755)
		if err := os.WriteFile(filepath.Join(photos, label, filepath.Base(p)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := runTrainer(t, "data", "check", "--data", photos); err != nil {
		t.Fatal(err)
	}
	geno := filepath.Join(dir, "geno.json")
	os.WriteFile(geno, []byte(`{"normal":[{"op":"skip_connect","input":0,"node":0},{"op":"conv_1x1","input":1,"node":0}],"normal_concat":[2],
"reduce":[{"op":"max_pool_3x3","input":0,"node":0},{"op":"skip_connect","input":1,"node":0}],"reduce_concat":[2],"nodes":1}`), 0o644)
	run := filepath.Join(dir, "run")
	small := []string{"--size", "8", "--cells", "3", "--channels", "4", "--stem-mult", "1", "--fusion-hidden", "8", "--epochs", "1", "--batch", "8"}
	if err := runTrainer(t, append([]string{"train", "--data", photos, "--genotype", geno, "--out", run}, small...)...); err != nil {
		t.Fatal(err)
	}
	m, err := trainer.LoadModelDir(filepath.Join(run, trainer.DirModel))
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(labels)
	slices.Sort(want)
	got := slices.Clone(m.Labels)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("model labels %v, want the folders' names %v", m.Labels, want)
	}
	// Fewer photos than a batch: said, not a model left untrained.
	tooBig := append([]string{"train", "--data", photos, "--genotype", geno, "--out", filepath.Join(dir, "run-big")}, small...)
	tooBig = append(tooBig, "--batch", "4096")
	if err := runTrainer(t, tooBig...); err == nil || !strings.Contains(err.Error(), "fewer than a batch of 4096") {
		t.Errorf("train with a batch larger than the photos: %v, want an error saying so", err)
	}
	if err := runTrainer(t, "eval", "--data", photos, "--model", filepath.Join(run, trainer.DirModel), "--out", filepath.Join(dir, "eval")); err != nil {
		t.Fatal(err)
	}
}

package trainer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/trapnet/trapnet/search"
	"github.com/trapnet/trapnet/synth"
)

// Acceptance on the synthetic BIOSCAN-layout dataset (fixed seed): its
// look-alike species pairs share appearance and differ in region or size,
// so image+metadata fusion must clearly beat the image alone while the
// metadata alone cannot solve the task.

// accSplits are the in-memory splits of the acceptance dataset.
type accSplits struct {
	train, val, test *MemorySource
	weights          []float32
	classes, dim     int
}

var (
	accOnce sync.Once
	accData *accSplits
	accErr  error
)

func acceptanceData(t *testing.T) *accSplits {
	t.Helper()
	accOnce.Do(func() {
		dir, err := os.MkdirTemp("", "trainer-acceptance-")
		if err != nil {
			accErr = err
			return
		}
		defer os.RemoveAll(dir)
		o := synth.DefaultOptions()
		o.Dir, o.Species, o.Images, o.Size, o.Square, o.Imbalance, o.Seed = filepath.Join(dir, "data"), accSpecies, accImages, 16, true, 2, 1
		if _, err := synth.Generate(context.Background(), o); err != nil {
			accErr = err
			return
		}
		d, err := OpenData([]string{o.Dir}, DataOptions{Size: 16, Batch: 16, Balance: "weights", Seed: 1})
		if err != nil {
			accErr = err
			return
		}
		s := &accSplits{weights: d.ClassWeights, classes: len(d.Names), dim: d.Schema.Dim()}
		for _, p := range []struct {
			dst **MemorySource
			src BatchSource
		}{{&s.train, d.Train}, {&s.val, d.Val}, {&s.test, d.Test}} {
			if *p.dst, accErr = ReadAll(context.Background(), p.src); accErr != nil {
				return
			}
		}
		s.train.Shuffle, s.train.DropLast, s.train.Seed = true, true, 1
		accData = s
	})
	if accErr != nil {
		t.Fatal(accErr)
	}
	return accData
}

func (s *accSplits) arch(m Modality, cells search.Cells) Arch {
	return Arch{Cells: cells, Layers: 3, Channels: 4, StemMult: 2, Size: 16, MetaDim: s.dim, MetaHidden: 32, FusionHidden: 32, Classes: s.classes, Modality: m}
}

// The acceptance dataset: enough species that region and size alone cannot
// name one (with 6 species a metadata MLP reaches macro-F1 0.84).
const accSpecies, accImages = 12, 900

var accHyper = Hyper{Epochs: 5, BatchSize: 16, LR: 3e-3, MinLR: 1e-4, WeightDecay: 1e-4, Seed: 1}

// checkModalities states the acceptance criteria on test macro-F1.
func checkModalities(fusion, image, meta float64, classes int) error {
	chance := 1 / float64(classes)
	switch {
	case fusion < 0.75 || fusion < 3*chance:
		return fmt.Errorf("fusion macro-F1 %.3f is not far above chance (%.3f)", fusion, chance)
	case fusion-image < 0.15:
		return fmt.Errorf("fusion macro-F1 %.3f does not beat image-only %.3f by 0.15", fusion, image)
	case meta > 0.7 || fusion-meta < 0.2:
		return fmt.Errorf("metadata-only macro-F1 %.3f comes too close to solving the task (fusion %.3f)", meta, fusion)
	}
	return nil
}

func testF1(t *testing.T, s *accSplits, a Arch, train *MemorySource) float64 {
	t.Helper()
	backend, err := NewBackend("go")
	if err != nil {
		t.Fatal(err)
	}
	m, err := trainAndTest(context.Background(), backend, a, accHyper, train, s.val, s.test, s.weights)
	if err != nil {
		t.Fatal(err)
	}
	return m.MacroF1
}

// TestAcceptance trains a DARTS-like genotype with fusion, image only and
// metadata only, checks the criteria and checks that shuffled training
// labels fail them (4 short trainings, about 90 s of CPU). With
// TRAINER_ACCEPTANCE=full it also checks that the genotype search found on
// this data (testdata/genotype_synth12.json) is not worse than the mean of 3
// random genotypes of the same shape (4 more trainings).
func TestAcceptance(t *testing.T) {
	s := acceptanceData(t)
	f1 := map[Modality]float64{}
	for _, m := range []Modality{Fusion, ImageOnly, MetadataOnly} {
		f1[m] = testF1(t, s, s.arch(m, darts2Cells()), s.train)
		t.Logf("%s: test macro-F1 %.3f", m, f1[m])
	}
	if err := checkModalities(f1[Fusion], f1[ImageOnly], f1[MetadataOnly], s.classes); err != nil {
		t.Error(err)
	}
	t.Run("shuffled labels fail", func(t *testing.T) {
		fusion := testF1(t, s, s.arch(Fusion, darts2Cells()), shuffledLabels(s.train, 5))
		t.Logf("fusion trained on shuffled labels: test macro-F1 %.3f", fusion)
		// Fusion alone must fail; the other two get their best case.
		if err := checkModalities(fusion, 0, 0, s.classes); err == nil {
			t.Errorf("shuffled labels pass the acceptance criteria (fusion macro-F1 %.3f)", fusion)
		}
	})
	t.Run("searched not worse than random genotypes", func(t *testing.T) {
		if os.Getenv("TRAINER_ACCEPTANCE") != "full" {
			t.Skip("set TRAINER_ACCEPTANCE=full (4 more trainings)")
		}
		g, err := search.LoadGenotype(filepath.Join("testdata", "genotype_synth12.json"))
		if err != nil {
			t.Fatal(err)
		}
		cells, err := CellsFromGenotype(g)
		if err != nil {
			t.Fatal(err)
		}
		searched := testF1(t, s, s.arch(Fusion, cells), s.train)
		t.Logf("searched genotype: fusion test macro-F1 %.3f", searched)
		var mean float64
		for i := range 3 {
			f := testF1(t, s, s.arch(Fusion, RandomCells(cells, uint64(i)+1)), s.train)
			t.Logf("random genotype %d: fusion test macro-F1 %.3f", i+1, f)
			mean += f / 3
		}
		if searched < mean-0.05 {
			t.Errorf("searched genotype macro-F1 %.3f is worse than the random-genotype mean %.3f", searched, mean)
		}
	})
}

package search

import (
	stdctx "context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// memSource serves fixed batches of a learnable toy task: the class is the
// brightest colour channel, the metadata repeats it noisily.
type memSource struct {
	batches []*Batch
	pos     int
}

func newMemSource(seed uint64, nBatches, n, size, classes, metaDim int) *memSource {
	r := rand.New(rand.NewPCG(seed, 1))
	s := &memSource{}
	for range nBatches {
		b := &Batch{N: n, Images: make([]float32, n*size*size*3), Meta: make([]float32, n*metaDim), Labels: make([]int32, n)}
		for i := range n {
			y := r.IntN(classes)
			b.Labels[i] = int32(y)
			for p := 0; p < size*size; p++ {
				for c := 0; c < 3; c++ {
					v := float32(r.NormFloat64()) * 0.5
					if c == y {
						v += 1
					}
					b.Images[(i*size*size+p)*3+c] = v
				}
			}
			for d := range metaDim {
				b.Meta[i*metaDim+d] = float32(r.NormFloat64())
			}
		}
		s.batches = append(s.batches, b)
	}
	return s
}

func (s *memSource) Next() (*Batch, error) {
	if s.pos >= len(s.batches) {
		return nil, io.EOF
	}
	s.pos++
	return s.batches[s.pos-1], nil
}

func (s *memSource) Reset(int) { s.pos = 0 }

func tinyRunConfig(out string) RunConfig {
	return RunConfig{
		Net:    NetConfig{Classes: 3, MetaDim: 2, Channels: 4, Cells: 3, Nodes: 2, FusionHidden: 16, MetaHidden: 8},
		Opt:    DefaultOptConfig(),
		Derive: DefaultDeriveOptions(),
		Size:   8, Epochs: 2, StepsPerEpoch: 6, Batch: 8, Seed: 1, Out: out,
	}
}

func readLog(t *testing.T, dir string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "search.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func TestSearchLearnsAndDerives(t *testing.T) {
	cfg := tinyRunConfig(t.TempDir())
	cfg.Opt.ArchLR = 3e-2 // a short run: let alpha move visibly
	train, val := newMemSource(1, 6, 8, 8, 3, 2), newMemSource(2, 6, 8, 8, 3, 2)
	geno, err := Run(stdctx.Background(), testBackend(t), cfg, train, val, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var first, last float64
	steps := 0
	for _, m := range readLog(t, cfg.Out) {
		if m["kind"] == "epoch" {
			if m["epoch"].(float64) == 0 {
				first = m["train_loss"].(float64)
			}
			last = m["train_loss"].(float64)
		}
		if m["kind"] == "step" {
			steps++
		}
	}
	if steps != 12 || !(last < first) {
		t.Errorf("steps %d, epoch train loss %.4f -> %.4f: want 12 steps and a lower loss", steps, first, last)
	}
	if e := MeanEntropy(geno.AlphaNormal); e > math.Log(float64(len(OpNames)))-1e-3 {
		t.Errorf("normal alpha entropy %.5f still uniform", e)
	}
	if err := geno.Validate(); err != nil {
		t.Error(err)
	}
	for _, f := range []string{"genotype.json", "alphas.png", "genotype.png", "alpha_trajectories.png", "search_state.json"} {
		if _, err := os.Stat(filepath.Join(cfg.Out, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestSearchInterruptResume(t *testing.T) {
	cfg := tinyRunConfig(t.TempDir())
	cfg.Epochs, cfg.StepsPerEpoch = 2, 3
	train, val := newMemSource(1, 3, 4, 8, 3, 2), newMemSource(2, 3, 4, 8, 3, 2)
	c, cancel := stdctx.WithCancel(stdctx.Background())
	_, err := Run(c, testBackend(t), cfg, train, val, nil, func(step, _ int, _ StepResult, _ float64) {
		if step == 4 {
			cancel()
		}
	})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("got %v, want ErrInterrupted", err)
	}
	cfg.Resume = true
	if _, err := Run(stdctx.Background(), testBackend(t), cfg, train, val, nil, nil); err != nil {
		t.Fatal(err)
	}
	var steps []float64
	for _, m := range readLog(t, cfg.Out) {
		if m["kind"] == "step" {
			steps = append(steps, m["step"].(float64))
			if l := m["train_loss"].(float64); math.IsNaN(l) || math.IsInf(l, 0) {
				t.Errorf("step %v: loss %v", m["step"], l)
			}
			if gs := m["global_step"].(float64); gs != m["step"].(float64) {
				t.Errorf("global step %v != step %v after resume", gs, m["step"])
			}
		}
	}
	if len(steps) != 6 || steps[5] != 6 {
		t.Errorf("steps %v: want 1..6", steps)
	}
}

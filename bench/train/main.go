// Command train times training steps of trapnet's derived network (GoMLX,
// pure-Go backend unless --backend says otherwise) on random data and prints
// one JSON line: images per second (mean over --steps after --warmup). With
// --dump DIR it also writes the network as an ir graph (graph.json +
// weights.bin) so that torch_derived.py can build the same network in
// PyTorch. Driven by run.sh.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/search"
	"github.com/trapnet/trapnet/trainer"
)

var cpuProfile string

func main() {
	size := flag.Int("size", 32, "image side")
	channels := flag.Int("channels", 8, "C of the first cells")
	cells := flag.Int("cells", 6, "cells")
	batch := flag.Int("batch", 32, "batch size")
	classes := flag.Int("classes", 10, "classes")
	metaDim := flag.Int("meta", 16, "metadata vector length")
	steps := flag.Int("steps", 5, "timed steps")
	warmup := flag.Int("warmup", 1, "untimed steps (graph compilation)")
	backend := flag.String("backend", "go", "auto, go or xla")
	genotype := flag.String("genotype", "", "genotype.json (default: a DARTS-like built-in)")
	dump := flag.String("dump", "", "write the network's ir graph to this directory")
	flag.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the timed steps")
	flag.Parse()
	if err := run(*size, *channels, *cells, *batch, *classes, *metaDim, *steps, *warmup, *backend, *genotype, *dump); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// dartsLike is a genotype of the shape DARTS finds (2 nodes for speed).
var dartsLike = &search.Genotype{Nodes: 2,
	Normal: []search.Edge{{Op: "sep_conv_3x3", Input: 0, Node: 0}, {Op: "sep_conv_3x3", Input: 1, Node: 0},
		{Op: "skip_connect", Input: 0, Node: 1}, {Op: "dil_conv_3x3", Input: 2, Node: 1}},
	NormalConcat: []int{2, 3},
	Reduce: []search.Edge{{Op: "max_pool_3x3", Input: 0, Node: 0}, {Op: "sep_conv_3x3", Input: 1, Node: 0},
		{Op: "skip_connect", Input: 2, Node: 1}, {Op: "max_pool_3x3", Input: 1, Node: 1}},
	ReduceConcat: []int{2, 3}}

func run(size, c, cells, batch, k, d, steps, warmup int, kind, genoPath, dump string) error {
	g := dartsLike
	if genoPath != "" {
		var err error
		if g, err = search.LoadGenotype(genoPath); err != nil {
			return err
		}
	}
	cs, err := trainer.CellsFromGenotype(g)
	if err != nil {
		return err
	}
	p, err := trainer.NewPlan(trainer.Arch{Cells: cs, Layers: cells, Channels: c, StemMult: 3, Size: size,
		MetaDim: d, MetaHidden: 64, Classes: k, Modality: trainer.Fusion})
	if err != nil {
		return err
	}
	be, err := trainer.NewBackend(kind)
	if err != nil {
		return err
	}
	r, err := trainer.NewRunner(p, be, 1, 1e-4, 0)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	b := &trainer.Batch{N: batch, Size: size, MetaDim: d, Images: make([]float32, batch*size*size*3),
		Meta: make([]float32, batch*d), Labels: make([]int32, batch)}
	for i := range b.Images {
		b.Images[i] = float32(rng.NormFloat64())
	}
	for i := range b.Meta {
		b.Meta[i] = float32(rng.NormFloat64())
	}
	for i := range b.Labels {
		b.Labels[i] = int32(rng.IntN(k))
	}
	if err := r.SetLR(1e-3); err != nil {
		return err
	}
	w := make([]float32, batch)
	step := func() error {
		for i := range w {
			w[i] = 1
		}
		_, _, err := r.TrainStep(b, w)
		return err
	}
	t0 := time.Now()
	for range warmup {
		if err := step(); err != nil {
			return err
		}
	}
	compile := time.Since(t0).Seconds()
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	t1 := time.Now()
	for range steps {
		if err := step(); err != nil {
			return err
		}
	}
	sec := time.Since(t1).Seconds() / float64(steps)
	pprof.StopCPUProfile()
	if dump != "" {
		graph, err := p.Export(r.Ctx)
		if err != nil {
			return err
		}
		if err := ir.Save(graph, dump); err != nil {
			return err
		}
		if err := writeCheck(graph, dump, size, d, rng); err != nil {
			return err
		}
	}
	out, _ := json.Marshal(map[string]any{"engine": "gomlx-" + kind, "backend": be.String(), "size": size, "channels": c, "cells": cells, "batch": batch,
		"s_per_step": sec, "images_per_sec": float64(batch) / sec, "warmup_s": compile})
	fmt.Println(string(out))
	return nil
}

// writeCheck stores a small input and the ir executor's logits for it, so
// torch_derived.py --check can prove it builds the same network.
func writeCheck(g *ir.Graph, dir string, size, d int, rng *rand.Rand) error {
	const n = 2
	img, meta := ir.NewTensor(n, size, size, 3), ir.NewTensor(n, d)
	for i := range img.Data {
		img.Data[i] = float32(rng.NormFloat64())
	}
	for i := range meta.Data {
		meta.Data[i] = float32(rng.NormFloat64())
	}
	out, err := g.Run(img, meta)
	if err != nil {
		return err
	}
	for name, v := range map[string]any{
		"check_input.json":  map[string]any{"n": n, "image": img.Data, "meta": meta.Data},
		"check_logits.json": out[0].Data,
	} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

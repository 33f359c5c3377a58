// Command search times one search pair step (architecture step + weight
// step) of the trapnet supernet on random data and prints one JSON line:
// seconds per pair step (mean over --steps after --warmup) and peak RSS.
// It is driven by run.sh, which runs the PyTorch twin torch_supernet.py on
// the same shapes.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/trapnet/trapnet/search"
)

var profile string

func main() {
	size := flag.Int("size", 32, "image side")
	channels := flag.Int("channels", 8, "C")
	cells := flag.Int("cells", 3, "cells")
	nodes := flag.Int("nodes", 2, "nodes per cell")
	batch := flag.Int("batch", 32, "batch size")
	classes := flag.Int("classes", 10, "classes")
	metaDim := flag.Int("meta", 16, "metadata vector length")
	steps := flag.Int("steps", 3, "timed pair steps")
	warmup := flag.Int("warmup", 1, "untimed pair steps (graph compilation)")
	backend := flag.String("backend", "auto", "auto, go or xla")
	plugin := flag.String("pjrt-plugin", "", "PJRT plugin path")
	second := flag.Bool("second-order", false, "second-order steps")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the timed steps")
	flag.Parse()
	profile = *cpuprofile
	if err := run(*size, *channels, *cells, *nodes, *batch, *classes, *metaDim, *steps, *warmup, *backend, *plugin, *second); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func randBatch(r *rand.Rand, n, size, d, k int) *search.Batch {
	b := &search.Batch{N: n, Images: make([]float32, n*size*size*3), Meta: make([]float32, n*d), Labels: make([]int32, n)}
	for i := range b.Images {
		b.Images[i] = float32(r.NormFloat64())
	}
	for i := range b.Meta {
		b.Meta[i] = float32(r.NormFloat64())
	}
	for i := range b.Labels {
		b.Labels[i] = int32(r.IntN(k))
	}
	return b
}

func run(size, c, cells, nodes, batch, k, d, steps, warmup int, kind, plugin string, second bool) error {
	be, desc, err := search.NewBackend(kind, plugin)
	if err != nil {
		return err
	}
	opt := search.DefaultOptConfig()
	opt.SecondOrder = second
	net := search.NetConfig{Classes: k, MetaDim: d, Channels: c, Cells: cells, Nodes: nodes}
	arch, err := search.NewArchitect(be, context.New(), net, opt, size, nil)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(1, 2))
	tr, va := randBatch(r, batch, size, d, k), randBatch(r, batch, size, d, k)
	t0 := time.Now()
	for range warmup {
		if _, err := arch.Step(tr, va, 0.025); err != nil {
			return err
		}
	}
	compile := time.Since(t0).Seconds()
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	c0 := cpuSeconds()
	t0 = time.Now()
	var res search.StepResult
	for range steps {
		if res, err = arch.Step(tr, va, 0.025); err != nil {
			return err
		}
	}
	per := time.Since(t0).Seconds() / float64(steps)
	cpu := (cpuSeconds() - c0) / float64(steps)
	out := map[string]any{"impl": "gomlx", "backend": desc, "size": size, "channels": c, "cells": cells,
		"nodes": nodes, "batch": batch, "s_per_pair": per, "cpu_s_per_pair": cpu, "first_steps_s": compile,
		"peak_rss_mb": peakRSSMB(), "train_loss": res.TrainLoss}
	return json.NewEncoder(os.Stdout).Encode(out)
}

// peakRSSMB reads VmHWM from /proc/self/status (0 if unavailable).
func peakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// cpuSeconds is the process's user+system CPU time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

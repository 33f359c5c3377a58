// Command tflite benchmarks the pure-Go TFLite interpreter (package tflite) on a
// representative int8 DARTS-like model (64x64 image + metadata, float I/O with
// QUANTIZE/DEQUANTIZE at the edges): ms/image with 1 and 2 goroutines (one
// interpreter each), model size, arena and peak memory, the float and int8 3x3
// conv kernels' GOP/s, and optionally the same .tflite run by LiteRT.js in Node.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/trapnet/trapnet/tflite"
	"github.com/trapnet/trapnet/tflite/testmodel"
)

func main() {
	size := flag.Int("size", 64, "image size")
	width := flag.Int("c", 16, "stem channels")
	iters := flag.Int("n", 50, "images per goroutine")
	out := flag.String("out", "", "also write the int8 .tflite model here")
	litert := flag.String("litert", "", "directory with node_modules/@litertjs/core: also time the model with LiteRT.js (Node)")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the 1-goroutine run here")
	flag.Parse()
	profile = *prof
	if err := run(int32(*size), int32(*width), *iters, *out, *litert); err != nil {
		log.Fatal(err)
	}
}

var profile string

// cpuSeconds returns the user+system CPU time of the process.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func run(size, width int32, iters int, out, litert string) error {
	b := testmodel.New(42)
	testmodel.DARTSLike(b, size, width, 10, 12)
	q, err := testmodel.Quantize(b.M, b.Samples(4, 1.5), testmodel.QuantizeOptions{})
	if err != nil {
		return err
	}
	data, err := tflite.Write(q)
	if err != nil {
		return err
	}
	fmt.Printf("model: DARTS-like %dx%d, stem %d channels, %d operators, int8 with float I/O, %d bytes (.tflite), %.1f M multiply-adds\n",
		size, size, width, len(q.Operators), len(data), float64(macs(q))/1e6)
	fmt.Printf("machine: %s/%s, GOMAXPROCS=%d, %s\n", runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.Version())
	m, err := tflite.Read(data)
	if err != nil {
		return err
	}
	samples := b.Samples(1, 1.5)[0]
	var oneMs, oneCPU float64
	for _, workers := range []int{1, 2} {
		ms, cpuMs, arena, err := timeInterpreters(m, samples, workers, iters)
		if err != nil {
			return err
		}
		if workers == 1 {
			oneMs, oneCPU = ms, cpuMs
		}
		fmt.Printf("go interpreter, %d goroutine(s): %.2f ms/image latency, %.2f ms wall per image overall, %.2f ms CPU per image, arena %d KiB each\n",
			workers, ms, ms/float64(workers), cpuMs, arena>>10)
	}
	ms, cpuMs, err := timeThreads(m, samples, 2, iters)
	if err != nil {
		return err
	}
	fmt.Printf("go interpreter, 1 interpreter with Threads=2 (convolutions split over 2 goroutines): %.2f ms/image latency, %.2f ms CPU per image\n", ms, cpuMs)
	fmt.Printf("peak RSS (VmHWM): %s\n", peakRSS())
	for _, typ := range []tflite.TensorType{tflite.Float32, tflite.Int8} {
		wall, cpu, err := convGOPS(typ)
		if err != nil {
			return err
		}
		fmt.Printf("3x3 conv 64x64x16->16 SAME, %v kernel, one goroutine: %.2f GOP/s (wall), %.2f GOP/s (per CPU second)\n", typ, wall, cpu)
	}
	if out == "" && litert != "" {
		out = filepath.Join(os.TempDir(), "darts_int8.tflite")
	}
	if out != "" {
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return err
		}
	}
	if litert != "" {
		return compareLiteRT(m, samples, litert, out, iters, oneMs, oneCPU)
	}
	return nil
}

// compareLiteRT times the model with LiteRT.js on the same inputs and reports
// the speed ratio and the largest output difference.
func compareLiteRT(m *tflite.Model, inputs [][]float32, dir, model string, iters int, goMs, goCPU float64) error {
	var raw []float32
	for _, x := range inputs {
		raw = append(raw, x...)
	}
	inPath := model + ".inputs.bin"
	if err := os.WriteFile(inPath, testmodel.F32Bytes(raw), 0o644); err != nil {
		return err
	}
	ms, cpuMs, err := litertMs(dir, model, inPath, iters)
	if err != nil {
		fmt.Printf("LiteRT.js: not run: %v\n", err)
		return nil
	}
	fmt.Printf("LiteRT.js (wasm XNNPACK, Node %s): %.2f ms/image latency, %.2f ms CPU per image\n", nodeVersion(), ms, cpuMs)
	fmt.Printf("ratio go/LiteRT.js: %.2f (latency), %.2f (CPU time)\n", goMs/ms, goCPU/cpuMs)
	ref, err := os.ReadFile(model + ".litert.out.bin")
	if err != nil {
		return err
	}
	it, err := tflite.NewInterpreter(m, tflite.InterpreterOptions{})
	if err != nil {
		return err
	}
	for i, x := range inputs {
		if err := it.SetInputFloat32(i, x); err != nil {
			return err
		}
	}
	if err := it.Invoke(); err != nil {
		return err
	}
	got, err := it.OutputFloat32(0)
	if err != nil {
		return err
	}
	if len(ref) != 4*len(got) {
		return fmt.Errorf("LiteRT.js returned %d bytes, want %d", len(ref), 4*len(got))
	}
	worst := 0.0
	for i, g := range got {
		r := math.Float32frombits(binary.LittleEndian.Uint32(ref[4*i:]))
		worst = max(worst, math.Abs(float64(g-r)))
	}
	fmt.Printf("max |go - LiteRT.js| over the %d output probabilities: %.4g (output step 1/256 = 0.0039)\n", len(got), worst)
	return nil
}

func nodeVersion() string {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}

// timeInterpreters runs iters images on each of workers interpreters in
// parallel and returns the mean latency and CPU time per image.
func timeInterpreters(m *tflite.Model, inputs [][]float32, workers, iters int) (ms, cpuMs float64, arena int64, err error) {
	its := make([]*tflite.Interpreter, workers)
	for w := range its {
		it, err := tflite.NewInterpreter(m, tflite.InterpreterOptions{})
		if err != nil {
			return 0, 0, 0, err
		}
		for i, x := range inputs {
			if err := it.SetInputFloat32(i, x); err != nil {
				return 0, 0, 0, err
			}
		}
		if err := it.Invoke(); err != nil { // warm-up
			return 0, 0, 0, err
		}
		its[w] = it
	}
	if profile != "" && workers == 1 {
		f, err := os.Create(profile)
		if err != nil {
			return 0, 0, 0, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return 0, 0, 0, err
		}
		defer pprof.StopCPUProfile()
	}
	var wg sync.WaitGroup
	cpu0 := cpuSeconds()
	start := time.Now()
	for _, it := range its {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < iters; i++ {
				_ = it.Invoke()
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	cpu := cpuSeconds() - cpu0
	n := float64(iters * workers)
	return float64(el.Microseconds()) / 1000 / float64(iters), cpu * 1000 / n, its[0].ArenaBytes(), nil
}

// timeThreads times one interpreter using threads goroutines per Invoke.
func timeThreads(m *tflite.Model, inputs [][]float32, threads, iters int) (ms, cpuMs float64, err error) {
	it, err := tflite.NewInterpreter(m, tflite.InterpreterOptions{Threads: threads})
	if err != nil {
		return 0, 0, err
	}
	for i, x := range inputs {
		if err := it.SetInputFloat32(i, x); err != nil {
			return 0, 0, err
		}
	}
	_ = it.Invoke()
	cpu0 := cpuSeconds()
	start := time.Now()
	for i := 0; i < iters; i++ {
		_ = it.Invoke()
	}
	ms = float64(time.Since(start).Microseconds()) / 1000 / float64(iters)
	return ms, (cpuSeconds() - cpu0) * 1000 / float64(iters), nil
}

// convGOPS times one 3x3 SAME conv 64x64x16 -> 16 (2 ops per multiply-add).
func convGOPS(typ tflite.TensorType) (wall, cpu float64, err error) {
	b := testmodel.New(1)
	b.Output(b.Conv(b.Input(1, 64, 64, 16), 16, 3, 1, tflite.PaddingSame, tflite.ActNone))
	m := b.M
	if typ == tflite.Int8 {
		m, err = testmodel.Quantize(b.M, b.Samples(2, 1), testmodel.QuantizeOptions{Int8IO: true})
		if err != nil {
			return 0, 0, err
		}
	}
	it, err := tflite.NewInterpreter(m, tflite.InterpreterOptions{})
	if err != nil {
		return 0, 0, err
	}
	const reps = 20
	cpu0 := cpuSeconds()
	start := time.Now()
	for i := 0; i < reps; i++ {
		_ = it.Invoke()
	}
	w := time.Since(start).Seconds() / reps
	c := (cpuSeconds() - cpu0) / reps
	ops := 2.0 * 64 * 64 * 16 * 9 * 16
	return ops / w / 1e9, ops / c / 1e9, nil
}

func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "unknown"
}

// litertMs runs litert_bench.js (in bench/tflite, relative to the working
// directory) with Node in dir and returns its latency and CPU time per image.
func litertMs(dir, model, inputs string, iters int) (ms, cpuMs float64, err error) {
	script, err := filepath.Abs("bench/tflite/litert_bench.js")
	if err != nil {
		return 0, 0, err
	}
	if model, err = filepath.Abs(model); err != nil {
		return 0, 0, err
	}
	if inputs, err = filepath.Abs(inputs); err != nil {
		return 0, 0, err
	}
	cmd := exec.Command("node", script, model, fmt.Sprint(iters), inputs)
	cmd.Dir = dir
	outb, err := cmd.Output()
	if err != nil {
		return 0, 0, fmt.Errorf("%v: %s", err, outb)
	}
	ms, cpuMs = -1, -1
	for _, l := range strings.Split(string(outb), "\n") {
		fmt.Sscanf(l, "ms/image %f", &ms)
		fmt.Sscanf(l, "cpu_ms/image %f", &cpuMs)
	}
	if ms < 0 || cpuMs < 0 {
		return 0, 0, fmt.Errorf("no timing in output: %s", outb)
	}
	return ms, cpuMs, nil
}

// macs counts the multiply-adds of the model's CONV_2D, DEPTHWISE_CONV_2D and
// FULLY_CONNECTED operators.
func macs(m *tflite.Model) int64 {
	var n int64
	for _, op := range m.Operators {
		switch op.Op {
		case tflite.OpConv2D, tflite.OpDepthwiseConv2D, tflite.OpFullyConnected:
			w := m.Tensors[op.Inputs[1]].Shape
			out := m.Tensors[op.Outputs[0]].Shape
			pixels := int64(1)
			for _, d := range out[:len(out)-1] {
				pixels *= int64(d)
			}
			k := int64(1)
			for _, d := range w {
				k *= int64(d)
			}
			n += pixels * k // conv: Cout*KH*KW*Cin, depthwise: KH*KW*C, FC: Out*In per pixel

		}
	}
	return n
}

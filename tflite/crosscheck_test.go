package tflite_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/tflite"
	"github.com/trapnet/trapnet/tflite/testmodel"
)

// crossJob is one model run by another runtime and by this interpreter.
type crossJob struct {
	name   string
	m      *tflite.Model
	inputs [][]float32 // float inputs (quantised for int8 I/O)
	dir    string
}

// crossJobs writes every test model (plus a DARTS-like net) as float, int8 with
// float I/O and, if int8IO, int8 I/O, with their inputs, under tmp, and returns
// the jobs and a manifest (model, output dir, input files; tab-separated).
func crossJobs(t *testing.T, tmp string, int8IO bool) ([]crossJob, string) {
	var jobs []crossJob
	var manifest strings.Builder
	cases := append(testmodel.Cases(), testmodel.Case{Name: "darts_like_32", Build: func(b *testmodel.Builder) {
		testmodel.DARTSLike(b, 32, 8, 10, 12)
	}})
	for _, c := range cases {
		b := testmodel.New(2)
		c.Build(b)
		samples := b.Samples(8, 1.5)
		variants := map[string]testmodel.QuantizeOptions{"int8": {}}
		if int8IO {
			variants["int8io"] = testmodel.QuantizeOptions{Int8IO: true}
		}
		if int8IO && (strings.Contains(c.Name, "concat") || c.Name == "two_inputs") {
			// Concatenation inputs with their own scales: requantised.
			variants["int8_concat_requant"] = testmodel.QuantizeOptions{SeparateConcatScales: true}
		}
		models := map[string]*tflite.Model{"float": b.M}
		for v, opts := range variants {
			q, err := testmodel.Quantize(b.M, samples, opts)
			if err != nil {
				t.Fatal(err)
			}
			models[v] = q
		}
		for _, v := range []string{"float", "int8", "int8io", "int8_concat_requant"} {
			m, ok := models[v]
			if !ok {
				continue
			}
			j := crossJob{name: c.Name + "/" + v, m: m, inputs: samples[1], dir: filepath.Join(tmp, c.Name+"_"+v)}
			if err := os.MkdirAll(j.dir, 0o755); err != nil {
				t.Fatal(err)
			}
			data, err := tflite.Write(m)
			if err != nil {
				t.Fatal(err)
			}
			model := filepath.Join(j.dir, "model.tflite")
			if err := os.WriteFile(model, data, 0o644); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&manifest, "%s\t%s", model, j.dir)
			for k, x := range m.Inputs {
				path := filepath.Join(j.dir, fmt.Sprintf("in%d.bin", k))
				if err := os.WriteFile(path, rawInput(m.Tensors[x], j.inputs[k]), 0o644); err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&manifest, "\t%s", path)
			}
			manifest.WriteString("\n")
			jobs = append(jobs, j)
		}
	}
	mf := filepath.Join(tmp, "manifest.tsv")
	if err := os.WriteFile(mf, []byte(manifest.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return jobs, mf
}

// TestArmNNCrossCheck runs every test model (float, int8 with float I/O, int8
// I/O, requantising concatenation) through Arm NN 20.08's TFLite parser (CpuRef
// backend, via Debian's python3-pyarmnn) and through this interpreter, and
// requires the outputs to agree within 1e-4 (float) or 1 quantisation step (int8).
func TestArmNNCrossCheck(t *testing.T) {
	if out, err := exec.Command("/usr/bin/python3", "-c", "import pyarmnn").CombinedOutput(); err != nil {
		t.Skipf("Arm NN cross-check skipped: /usr/bin/python3 cannot import pyarmnn (apt-get install python3-pyarmnn): %v %s", err, out)
	}
	jobs, mf := crossJobs(t, t.TempDir(), true)
	cmd := exec.Command("/usr/bin/python3", "testdata/armnn_run.py", mf)
	if out, err := cmd.CombinedOutput(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 3 {
			t.Skipf("Arm NN unavailable: %s", out)
		}
		t.Fatalf("armnn_run.py: %v\n%s", err, out)
	}
	for _, j := range jobs {
		t.Run(j.name, func(t *testing.T) { checkJob(t, "Arm NN", j) })
	}
}

// TestLiteRTCrossCheck does the same with LiteRT.js (TFLite compiled to wasm,
// XNNPACK CPU kernels) in Node, for float and int8 models with float I/O
// (LiteRT.js's JS API has no int8 tensors). It runs only when
// TRAPNET_LITERT_DIR names a directory holding node_modules/@litertjs/core.
func TestLiteRTCrossCheck(t *testing.T) {
	dir := os.Getenv("TRAPNET_LITERT_DIR")
	if dir == "" {
		t.Skip("LiteRT.js cross-check skipped: set TRAPNET_LITERT_DIR to a directory where `npm install @litertjs/core` was run")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules/@litertjs/core")); err != nil {
		t.Skipf("LiteRT.js cross-check skipped: %v", err)
	}
	script, err := filepath.Abs("testdata/litert_run.js")
	if err != nil {
		t.Fatal(err)
	}
	jobs, mf := crossJobs(t, t.TempDir(), false)
	cmd := exec.Command("node", script, mf)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("litert_run.js: %v\n%s", err, out)
	}
	for _, j := range jobs {
		t.Run(j.name, func(t *testing.T) { checkJob(t, "LiteRT.js", j) })
	}
}

func rawInput(t tflite.Tensor, x []float32) []byte {
	if t.Type == tflite.Float32 {
		return testmodel.F32Bytes(x)
	}
	return quantizeInput(t, x)
}

func quantizeInput(t tflite.Tensor, x []float32) []byte {
	out := make([]byte, len(x))
	s, zp := t.Quant.Scale[0], float64(t.Quant.ZeroPoint[0])
	for i, f := range x {
		out[i] = byte(int8(max(-128, min(127, math.Round(float64(f)/float64(s))+zp))))
	}
	return out
}

// checkJob compares the other runtime's outputs (in j.dir) with ours.
func checkJob(t *testing.T, runtime string, j crossJob) {
	if e, err := os.ReadFile(filepath.Join(j.dir, "error.txt")); err == nil {
		t.Fatalf("%s failed:\n%s", runtime, e)
	}
	it, err := tflite.NewInterpreter(j.m, tflite.InterpreterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for k, x := range j.m.Inputs {
		tt := j.m.Tensors[x]
		if tt.Type == tflite.Float32 {
			err = it.SetInputFloat32(k, j.inputs[k])
		} else {
			q := quantizeInput(tt, j.inputs[k])
			v := make([]int8, len(q))
			for i := range q {
				v[i] = int8(q[i])
			}
			err = it.SetInputInt8(k, v)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := it.Invoke(); err != nil {
		t.Fatal(err)
	}
	for k, x := range j.m.Outputs {
		ref, err := os.ReadFile(filepath.Join(j.dir, fmt.Sprintf("out%d.bin", k)))
		if err != nil {
			t.Fatal(err)
		}
		tt := j.m.Tensors[x]
		var worst, tol float64
		switch tt.Type {
		case tflite.Float32:
			got, _ := it.OutputFloat32(k)
			if len(ref) != 4*len(got) {
				t.Fatalf("output %d: %s gave %d bytes, want %d", k, runtime, len(ref), 4*len(got))
			}
			tol = 1e-4
			if prod := producer(j.m, x); prod != nil && prod.Op == tflite.OpDequantize {
				// Int8 model with float outputs: 1 quantisation step.
				tol = float64(j.m.Tensors[prod.Inputs[0]].Quant.Scale[0]) * 1.001
			}
			for i, g := range got {
				r := math.Float32frombits(binary.LittleEndian.Uint32(ref[4*i:]))
				worst = max(worst, math.Abs(float64(g-r)))
			}
		case tflite.Int8:
			got, _ := it.OutputInt8(k)
			if len(ref) != len(got) {
				t.Fatalf("output %d: %s gave %d bytes, want %d", k, runtime, len(ref), len(got))
			}
			tol = 1
			for i, g := range got {
				worst = max(worst, math.Abs(float64(g)-float64(int8(ref[i]))))
			}
		}
		t.Logf("output %d (%v): max |ours - %s| = %.3g (tolerance %.3g)", k, tt.Type, runtime, worst, tol)
		if worst > tol {
			t.Errorf("output %d differs from %s by %.4g > %.4g", k, runtime, worst, tol)
		}
	}
}

func producer(m *tflite.Model, x int32) *tflite.Operator {
	for i := range m.Operators {
		for _, o := range m.Operators[i].Outputs {
			if o == x {
				return &m.Operators[i]
			}
		}
	}
	return nil
}

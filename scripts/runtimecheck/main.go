// Command runtimecheck proves that a .tflite runtime the tests compare against
// works on this machine: it writes a tiny float model (3x3 convolution + ReLU)
// with one input, runs it with that runtime through the same script the
// cross-check tests use, and requires the output to match trapnet's
// interpreter within 1e-4. scripts/deps.sh runs it after installing packages.
//
//	go run ./scripts/runtimecheck armnn             # Arm NN (python3-pyarmnn, CpuRef)
//	go run ./scripts/runtimecheck litert DIR        # LiteRT.js in Node, DIR holds node_modules/@litertjs/core
package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/trapnet/trapnet/tflite"
	"github.com/trapnet/trapnet/tflite/testmodel"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "runtimecheck:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 || (args[0] == "litert" && len(args) != 2) || (args[0] != "armnn" && args[0] != "litert") {
		return errors.New("usage: runtimecheck armnn | runtimecheck litert DIR")
	}
	tmp, err := os.MkdirTemp("", "runtimecheck")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	b := testmodel.New(1)
	b.Output(b.Conv(b.Input(1, 9, 9, 3), 8, 3, 1, tflite.PaddingSame, tflite.ActRelu))
	input := b.Samples(1, 1.5)[0][0]
	manifest, err := writeJob(tmp, b.M, input)
	if err != nil {
		return err
	}
	var cmd *exec.Cmd
	name := "Arm NN (CpuRef)"
	if args[0] == "armnn" {
		cmd = exec.Command("/usr/bin/python3", "tflite/testdata/armnn_run.py", manifest)
	} else {
		name = "LiteRT.js"
		script, err := filepath.Abs("tflite/testdata/litert_run.js")
		if err != nil {
			return err
		}
		cmd = exec.Command("node", script, manifest)
		cmd.Dir = args[1]
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %v\n%s", name, err, out)
	}
	if e, err := os.ReadFile(filepath.Join(tmp, "error.txt")); err == nil {
		return fmt.Errorf("%s failed on a 9x9x3 convolution:\n%s", name, e)
	}
	worst, err := compare(tmp, b.M, input)
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	if worst > 1e-4 {
		return fmt.Errorf("%s: output differs from trapnet's interpreter by %.3g > 1e-4", name, worst)
	}
	fmt.Printf("runtimecheck: %s ran a 9x9x3 convolution; max |ours - theirs| = %.3g\n", name, worst)
	return nil
}

// writeJob writes the model and its input under dir and returns a one-line
// manifest in the format of tflite/testdata/{armnn_run.py,litert_run.js}.
func writeJob(dir string, m *tflite.Model, input []float32) (string, error) {
	data, err := tflite.Write(m)
	if err != nil {
		return "", err
	}
	model, in := filepath.Join(dir, "model.tflite"), filepath.Join(dir, "in0.bin")
	if err := os.WriteFile(model, data, 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(in, testmodel.F32Bytes(input), 0o644); err != nil {
		return "", err
	}
	manifest := filepath.Join(dir, "manifest.tsv")
	return manifest, os.WriteFile(manifest, []byte(model+"\t"+dir+"\t"+in+"\n"), 0o644)
}

// compare returns the largest difference between dir/out0.bin and the output
// of trapnet's interpreter.
func compare(dir string, m *tflite.Model, input []float32) (float64, error) {
	ref, err := os.ReadFile(filepath.Join(dir, "out0.bin"))
	if err != nil {
		return 0, err
	}
	it, err := tflite.NewInterpreter(m, tflite.InterpreterOptions{})
	if err != nil {
		return 0, err
	}
	if err := it.SetInputFloat32(0, input); err != nil {
		return 0, err
	}
	if err := it.Invoke(); err != nil {
		return 0, err
	}
	got, err := it.OutputFloat32(0)
	if err != nil {
		return 0, err
	}
	if len(ref) != 4*len(got) {
		return 0, fmt.Errorf("output has %d bytes, want %d", len(ref), 4*len(got))
	}
	var worst float64
	for i, g := range got {
		r := math.Float32frombits(binary.LittleEndian.Uint32(ref[4*i:]))
		worst = max(worst, math.Abs(float64(g-r)))
	}
	return worst, nil
}

package tflite_test

import (
	"bytes"
	"math"
	"slices"
	"testing"

	"github.com/trapnet/trapnet/tflite"
	"github.com/trapnet/trapnet/tflite/testmodel"
)

func run(t *testing.T, m *tflite.Model, inputs [][]float32) [][]float32 {
	t.Helper()
	it, err := tflite.NewInterpreter(m, tflite.InterpreterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range inputs {
		if err := it.SetInputFloat32(i, x); err != nil {
			t.Fatal(err)
		}
	}
	if err := it.Invoke(); err != nil {
		t.Fatal(err)
	}
	var outs [][]float32
	for i := 0; i < it.NumOutputs(); i++ {
		o, err := it.OutputFloat32(i)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, append([]float32(nil), o...))
	}
	return outs
}

// TestCasesRoundTripAndQuantize writes and reads every test model (float and
// int8), checks that a second write is byte-identical and that the int8 model's
// outputs stay within a few output quantisation steps of the float model's.
func TestCasesRoundTripAndQuantize(t *testing.T) {
	for _, c := range testmodel.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			b := testmodel.New(1)
			c.Build(b)
			samples := b.Samples(8, 1.5)
			qm, err := testmodel.Quantize(b.M, samples, testmodel.QuantizeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range []*tflite.Model{b.M, qm} {
				data, err := tflite.Write(m)
				if err != nil {
					t.Fatal(err)
				}
				back, err := tflite.Read(data)
				if err != nil {
					t.Fatal(err)
				}
				again, err := tflite.Write(back)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(data, again) {
					t.Fatalf("write(read(write(m))) differs from write(m)")
				}
			}
			want := run(t, b.M, samples[0])
			got := run(t, qm, samples[0])
			for o := range want {
				last := qm.Operators[len(qm.Operators)-len(want)+o]
				step := qm.Tensors[last.Inputs[0]].Quant.Scale[0]
				var worst float64
				for i := range want[o] {
					worst = max(worst, math.Abs(float64(want[o][i]-got[o][i])))
				}
				t.Logf("output %d: max |int8 - float| = %.4g (%.2f steps of %.4g)", o, worst, worst/float64(step), step)
				if worst > 6*float64(step) {
					t.Errorf("output %d: int8 differs from float by %.4g (> 6 steps of %.4g)", o, worst, step)
				}
			}
		})
	}
}

// TestThreadsAgree checks that splitting convolutions over goroutines gives
// bit-identical outputs.
func TestThreadsAgree(t *testing.T) {
	for _, c := range testmodel.Cases() {
		b := testmodel.New(8)
		c.Build(b)
		samples := b.Samples(2, 1.5)
		q, err := testmodel.Quantize(b.M, samples, testmodel.QuantizeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []*tflite.Model{b.M, q} {
			var outs [2][]float32
			for k, threads := range []int{1, 3} {
				it, err := tflite.NewInterpreter(m, tflite.InterpreterOptions{Threads: threads})
				if err != nil {
					t.Fatal(err)
				}
				for i, x := range samples[1] {
					if err := it.SetInputFloat32(i, x); err != nil {
						t.Fatal(err)
					}
				}
				if err := it.Invoke(); err != nil {
					t.Fatal(err)
				}
				o, err := it.OutputFloat32(0)
				if err != nil {
					t.Fatal(err)
				}
				outs[k] = o
			}
			if !slices.Equal(outs[0], outs[1]) {
				t.Errorf("%s: Threads 3 gives %v, Threads 1 %v", c.Name, outs[1], outs[0])
			}
		}
	}
}

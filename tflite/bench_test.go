package tflite_test

import (
	"fmt"
	"testing"

	"github.com/trapnet/trapnet/tflite"
	"github.com/trapnet/trapnet/tflite/testmodel"
)

// BenchmarkInvokeDARTSInt8 times Invoke on int8 DARTS-like models with float
// I/O: the 64x64 one of bench/tflite (stem 16 channels) and a 64x64 one with
// a stem of 8, the width of the demo's search (its convolutions have 8-32
// channels, where each output's requantisation weighs as much as its dot
// product). It also checks that Invoke does not allocate.
func BenchmarkInvokeDARTSInt8(b *testing.B) {
	for _, c := range []int32{16, 8} {
		b.Run(fmt.Sprintf("c%d", c), func(b *testing.B) {
			mb := testmodel.New(42)
			testmodel.DARTSLike(mb, 64, c, 10, 12)
			q, err := testmodel.Quantize(mb.M, mb.Samples(2, 1.5), testmodel.QuantizeOptions{})
			if err != nil {
				b.Fatal(err)
			}
			it, err := tflite.NewInterpreter(q, tflite.InterpreterOptions{})
			if err != nil {
				b.Fatal(err)
			}
			for i, x := range mb.Samples(1, 1.5)[0] {
				if err := it.SetInputFloat32(i, x); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := it.Invoke(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestInvokeDoesNotAllocate(t *testing.T) {
	b := testmodel.New(7)
	testmodel.Cases()[len(testmodel.Cases())-1].Build(b) // two_inputs: conv, depthwise, mean, fc, concat, softmax
	q, err := testmodel.Quantize(b.M, b.Samples(2, 1), testmodel.QuantizeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []*tflite.Model{b.M, q} {
		it, err := tflite.NewInterpreter(m, tflite.InterpreterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(10, func() { _ = it.Invoke() }); n != 0 {
			t.Errorf("Invoke allocates %v times per run", n)
		}
	}
}

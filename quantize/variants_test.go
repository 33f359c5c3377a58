package quantize

import (
	"math/rand/v2"
	"testing"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/tflite"
)

// The metadata-only ablation declares the image input but never reads it.
func TestMetadataOnlyModel(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	b := ir.NewBuilder()
	b.Input("image", 1, 4, 4, 3)
	meta := b.Input("metadata", 1, 5)
	x := b.FullyConnected("h", meta, randT(r, 1, 8, 5), randT(r, 0.1, 8))
	x = b.Node(ir.ReLU, "r", ir.Attrs{}, x)
	g, err := b.Graph(ir.Logits, b.FullyConnected("out", x, randT(r, 1, 3, 8), nil))
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := NewCalibrator(g, Percentile)
	if _, err := cal.Observe(randT(r, 1, 8, 4, 4, 3), randT(r, 1, 8, 5)); err != nil {
		t.Fatal(err)
	}
	ranges, err := cal.Ranges()
	if err != nil {
		t.Fatal(err)
	}
	for _, io := range []IO{IOFloat, IOInt8} {
		m, err := Build(g, ranges, Options{IO: io})
		if err != nil {
			t.Fatal(err)
		}
		it := roundTrip(t, m)
		img, md := randT(r, 1, 16, 4, 4, 3), randT(r, 1, 16, 5)
		want, _ := FloatProbs(g, img, md)
		got, err := RunTFLite(it, img, md)
		if err != nil {
			t.Fatal(err)
		}
		c := Comparison{K: 3}
		if err := c.Add(make([]int32, 16), want, got); err != nil {
			t.Fatal(err)
		}
		if c.Agreement() < 0.9 {
			t.Fatalf("io %s: agreement %v", io, c.Agreement())
		}
	}
}

// An image-only model (no metadata input) with a Probabilities output.
func TestImageOnlyProbabilities(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	b := ir.NewBuilder()
	img := b.Input("image", 1, 8, 8, 3)
	x := b.Conv2D("c", img, randT(r, 0.3, 6, 3, 3, 3), randT(r, 0.1, 6), ir.Attrs{Strides: [2]int{2, 2}})
	x = b.Node(ir.ReLU, "r", ir.Attrs{}, x)
	x = b.Node(ir.GlobalMean, "gap", ir.Attrs{KeepDims: true}, x)
	x = b.Node(ir.Reshape, "flat", ir.Attrs{Shape: []int{1, 6}}, x)
	x = b.FullyConnected("fc", x, randT(r, 1, 4, 6), nil)
	g, err := b.Graph(ir.Probabilities, b.Node(ir.Softmax, "p", ir.Attrs{}, x))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := NewCalibrator(g, MinMax)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cal.Observe(randT(r, 1, 16, 8, 8, 3)); err != nil {
		t.Fatal(err)
	}
	ranges, _ := cal.Ranges()
	m, err := Build(g, ranges, Options{})
	if err != nil {
		t.Fatal(err)
	}
	it := roundTrip(t, m)
	if it.NumInputs() != 1 {
		t.Fatalf("%d inputs", it.NumInputs())
	}
	img8 := randT(r, 1, 32, 8, 8, 3)
	want, err := FloatProbs(g, img8)
	if err != nil {
		t.Fatal(err)
	}
	got, err := RunTFLite(it, img8)
	if err != nil {
		t.Fatal(err)
	}
	c := Comparison{K: 4}
	if err := c.Add(make([]int32, 32), want, got); err != nil {
		t.Fatal(err)
	}
	if c.Agreement() < 0.9 || c.MaxProbDiff() > 0.05 {
		t.Fatalf("agreement %v, max diff %v", c.Agreement(), c.MaxProbDiff())
	}
	softmaxes := 0
	for _, op := range m.Operators {
		if op.Op == tflite.OpSoftmax {
			softmaxes++
		}
	}
	if softmaxes != 1 {
		t.Fatalf("%d SOFTMAX ops, want the graph's own only", softmaxes)
	}
}

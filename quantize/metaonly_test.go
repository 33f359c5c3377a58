package quantize

import (
	"math/rand/v2"
	"testing"

	"github.com/trapnet/trapnet/ir"
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

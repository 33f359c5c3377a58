package quantize

import (
	"math"
	"testing"

	"github.com/trapnet/trapnet/ir"
)

// identity is a graph whose output is ReLU(x) of an [1,1,1,3] image input,
// so calibration sees the input and the ReLU output.
func identity(t *testing.T) *ir.Graph {
	t.Helper()
	b := ir.NewBuilder()
	x := b.Input("x", 1, 1, 1, 3)
	g, err := b.Graph(ir.Logits, b.Node(ir.ReLU, "y", ir.Attrs{}, x))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestCalibratorRanges(t *testing.T) {
	// 100000 values spread over [-1, 1] plus one outlier at 50.
	n := 100000
	data := make([]float32, 0, n+1)
	for i := range n {
		data = append(data, float32(2*float64(i)/float64(n-1)-1))
	}
	data = append(data, 50)
	for len(data)%3 != 0 {
		data = append(data, 0)
	}
	cases := []struct {
		method    Method
		xLo, xHi  float64
		yLo, yHi  float64
		tolerance float64
	}{
		{MinMax, -1, 50, 0, 50, 1e-6},
		{Percentile, -1, 1, 0, 1, 0.01},
	}
	for _, c := range cases {
		cal, err := NewCalibrator(identity(t), c.method)
		if err != nil {
			t.Fatal(err)
		}
		// Feed in two batches so that the histogram has to grow.
		half := len(data) / 6 * 3
		for _, part := range [][]float32{data[:half], data[half:]} {
			if _, err := cal.Observe(&ir.Tensor{Shape: []int{len(part) / 3, 1, 1, 3}, Data: part}); err != nil {
				t.Fatal(err)
			}
		}
		r, err := cal.Ranges()
		if err != nil {
			t.Fatal(err)
		}
		check := func(name string, got Range, lo, hi float64) {
			if math.Abs(float64(got.Min)-lo) > c.tolerance || math.Abs(float64(got.Max)-hi) > c.tolerance {
				t.Errorf("%s %s: range %+v, want [%v, %v]", c.method, name, got, lo, hi)
			}
		}
		check("input", r["x"], c.xLo, c.xHi)
		check("relu", r["y"], c.yLo, c.yHi)
	}
}

func TestCalibratorNoBatches(t *testing.T) {
	cal, err := NewCalibrator(identity(t), MinMax)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cal.Ranges(); err == nil {
		t.Fatal("ranges without batches")
	}
	if _, err := cal.Observe(ir.NewTensor(1, 2, 2, 3)); err == nil {
		t.Fatal("wrong input shape accepted")
	}
}

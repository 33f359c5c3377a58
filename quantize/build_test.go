package quantize

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/tflite"
)

// pipeline folds and calibrates smallNet on random batches.
func pipeline(t *testing.T, seed uint64, k int, m Method) (*ir.Graph, map[string]Range) {
	t.Helper()
	f, err := FoldBatchNorm(smallNet(t, seed, k))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := NewCalibrator(f, m)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 1))
	for range 4 {
		img, meta := batch(r, 8)
		if _, err := cal.Observe(img, meta); err != nil {
			t.Fatal(err)
		}
	}
	ranges, err := cal.Ranges()
	if err != nil {
		t.Fatal(err)
	}
	return f, ranges
}

// roundTripModel writes the model and reads it back.
func roundTripModel(t *testing.T, m *tflite.Model) *tflite.Model {
	t.Helper()
	data, err := tflite.Write(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := tflite.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// roundTrip writes and reads the model back and returns an interpreter.
func roundTrip(t *testing.T, m *tflite.Model) *tflite.Interpreter {
	t.Helper()
	it, err := tflite.NewInterpreter(roundTripModel(t, m), tflite.InterpreterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return it
}

// compare runs n random samples through the float graph (plus softmax) and
// the interpreter; it returns top-1 agreement and the largest probability
// difference.
func compare(t *testing.T, g *ir.Graph, it *tflite.Interpreter, seed uint64, n, k int) (float64, float64) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 2))
	img, meta := batch(r, n)
	probs, err := FloatProbs(g, img, meta)
	if err != nil {
		t.Fatal(err)
	}
	got, err := RunTFLite(it, img, meta)
	if err != nil {
		t.Fatal(err)
	}
	agree, maxDiff := 0, 0.0
	for s := range n {
		a, b := probs.Data[s*k:(s+1)*k], got.Data[s*k:(s+1)*k]
		if argmax(a) == argmax(b) {
			agree++
		}
		for j := range a {
			maxDiff = math.Max(maxDiff, math.Abs(float64(a[j]-b[j])))
		}
	}
	return float64(agree) / float64(n), maxDiff
}

func TestFloatTFLiteMatchesExecutor(t *testing.T) {
	const k = 5
	f, _ := pipeline(t, 1, k, MinMax)
	m, err := BuildFloat(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	agree, diff := compare(t, f, roundTrip(t, m), 3, 16, k)
	if agree != 1 || diff > 1e-5 {
		t.Fatalf("float tflite vs executor: agreement %v, max prob diff %v", agree, diff)
	}
}

func TestInt8AgreesWithFloat(t *testing.T) {
	const k = 5
	cases := []struct {
		name   string
		method Method
		io     IO
	}{
		{"minmax float io", MinMax, IOFloat},
		{"percentile float io", Percentile, IOFloat},
		{"minmax int8 io", MinMax, IOInt8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, ranges := pipeline(t, 2, k, c.method)
			m, err := Build(f, ranges, Options{IO: c.io})
			if err != nil {
				t.Fatal(err)
			}
			it := roundTrip(t, m)
			in0, _ := it.InputTensor(0)
			out0, _ := it.OutputTensor(0)
			wantType := tflite.Float32
			if c.io == IOInt8 {
				wantType = tflite.Int8
			}
			if in0.Type != wantType || out0.Type != wantType {
				t.Fatalf("io types %v/%v, want %v", in0.Type, out0.Type, wantType)
			}
			agree, diff := compare(t, f, it, 4, 64, k)
			// The parallel runner gives the same outputs.
			r := rand.New(rand.NewPCG(4, 2))
			img, meta := batch(r, 7)
			one, err := RunTFLite(it, img, meta)
			if err != nil {
				t.Fatal(err)
			}
			pr, err := NewRunner(m, 3)
			if err != nil {
				t.Fatal(err)
			}
			par, err := pr.Run(img, meta)
			if err != nil {
				t.Fatal(err)
			}
			for i := range one.Data {
				if one.Data[i] != par.Data[i] {
					t.Fatalf("runner output %d: %v, sequential %v", i, par.Data[i], one.Data[i])
				}
			}
			t.Logf("top-1 agreement %.3f, max prob diff %.4f", agree, diff)
			if agree < 0.9 || diff > 0.1 {
				t.Fatalf("int8 vs float: agreement %v, max prob diff %v", agree, diff)
			}
		})
	}
}

func TestInt8ModelStructure(t *testing.T) {
	f, ranges := pipeline(t, 3, 4, MinMax)
	m, err := Build(f, ranges, Options{Metadata: map[string][]byte{tflite.MetaVersion: []byte("v1")}})
	if err != nil {
		t.Fatal(err)
	}
	params := func(i int32) Params {
		p, err := tensorParams(m.Tensors[i])
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	counts := map[tflite.BuiltinOperator]int{}
	noBias := 0
	for _, op := range m.Operators {
		counts[op.Op]++
		switch op.Op {
		case tflite.OpConcatenation, tflite.OpAveragePool2D, tflite.OpMaxPool2D, tflite.OpReshape:
			for _, in := range op.Inputs[:1+boolInt(op.Op == tflite.OpConcatenation)*(len(op.Inputs)-1)] {
				if params(in) != params(op.Outputs[0]) {
					t.Errorf("%v: input %q %+v, output %+v: must share parameters", op.Op, m.Tensors[in].Name, params(in), params(op.Outputs[0]))
				}
			}
		case tflite.OpSoftmax, tflite.OpLogistic:
			if p := params(op.Outputs[0]); p != probParams {
				t.Errorf("%v output %+v, want scale 1/256 zero point -128", op.Op, p)
			}
		case tflite.OpConv2D, tflite.OpDepthwiseConv2D, tflite.OpFullyConnected:
			in, w := m.Tensors[op.Inputs[0]], m.Tensors[op.Inputs[1]]
			wantDim := int32(0)
			if op.Op == tflite.OpDepthwiseConv2D {
				wantDim = 3
			}
			if w.Type != tflite.Int8 || w.Quant.QuantizedDimension != wantDim {
				t.Errorf("%v %q: weights %v dim %d", op.Op, w.Name, w.Type, w.Quant.QuantizedDimension)
			}
			for _, z := range w.Quant.ZeroPoint {
				if z != 0 {
					t.Errorf("%v %q: weight zero point %d", op.Op, w.Name, z)
				}
			}
			if op.Op == tflite.OpFullyConnected && len(w.Quant.Scale) != 1 {
				t.Errorf("FC %q: %d weight scales, want per-tensor", w.Name, len(w.Quant.Scale))
			}
			if len(op.Inputs) == 2 {
				noBias++
				continue
			}
			b := m.Tensors[op.Inputs[2]]
			if b.Type != tflite.Int32 {
				t.Errorf("%v %q: bias %v", op.Op, b.Name, b.Type)
			}
			for c, bs := range b.Quant.Scale {
				ws := w.Quant.Scale[min(c, len(w.Quant.Scale)-1)]
				if want := in.Quant.Scale[0] * ws; math.Abs(float64(bs-want)) > 1e-6*float64(want) {
					t.Errorf("%v %q channel %d: bias scale %v, want input*weight %v", op.Op, b.Name, c, bs, want)
				}
			}
		}
	}
	// 5 ReLUs: e0/e1 read a tensor with several readers (kept), red_relu
	// reads the MUL+ADD output (fused into the ADD), red_relu2 and
	// meta_relu follow a conv and an FC (fused).
	want := map[tflite.BuiltinOperator]int{
		tflite.OpQuantize: 2, tflite.OpDequantize: 1, tflite.OpRelu: 2, tflite.OpConv2D: 4,
		tflite.OpDepthwiseConv2D: 1, tflite.OpFullyConnected: 2, tflite.OpConcatenation: 2,
		tflite.OpMul: 1, tflite.OpAdd: 3, tflite.OpMean: 1, tflite.OpSoftmax: 1,
	}
	for op, n := range want {
		if counts[op] != n {
			t.Errorf("%v: %d operators, want %d (all: %v)", op, counts[op], n, counts)
		}
	}
	// Only the depthwise half of the separable edge has no bias (its batch
	// norm follows the pointwise conv).
	if noBias != 1 {
		t.Errorf("%d linear ops without bias, want 1", noBias)
	}
	if v, _ := m.MetadataString(tflite.MetaVersion); v != "v1" {
		t.Errorf("metadata version %q", v)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestBuildErrors(t *testing.T) {
	g := smallNet(t, 1, 3)
	f, ranges := pipeline(t, 1, 3, MinMax)
	delete(ranges, "gap")
	cases := []struct {
		name string
		run  func() error
	}{
		{"unfolded batch norm", func() error { _, err := BuildFloat(g, Options{}); return err }},
		{"missing range", func() error { _, err := Build(f, ranges, Options{}); return err }},
		{"bad io", func() error { _, err := Build(f, ranges, Options{IO: "int4"}); return err }},
		{"bad method", func() error { _, err := NewCalibrator(f, "mse"); return err }},
	}
	for _, c := range cases {
		if err := c.run(); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func TestComparison(t *testing.T) {
	c := Comparison{K: 2}
	f := &ir.Tensor{Shape: []int{2, 2}, Data: []float32{0.9, 0.1, 0.4, 0.6}}
	q := &ir.Tensor{Shape: []int{2, 2}, Data: []float32{0.8, 0.2, 0.7, 0.3}}
	if err := c.Add([]int32{0, 1}, f, q); err != nil {
		t.Fatal(err)
	}
	if c.Agreement() != 0.5 || math.Abs(c.MaxProbDiff()-0.3) > 1e-6 {
		t.Fatalf("agreement %v, max diff %v", c.Agreement(), c.MaxProbDiff())
	}
	if err := c.Add([]int32{0}, f, q); err == nil {
		t.Fatal("mismatched batch accepted")
	}
}

package tflite_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/trapnet/trapnet/tflite"
	"github.com/trapnet/trapnet/tflite/testmodel"
)

// validModel returns the bytes of a small int8 two-input model.
func validModel(t testing.TB) []byte {
	b := testmodel.New(3)
	testmodel.Cases()[len(testmodel.Cases())-1].Build(b) // two_inputs
	q, err := testmodel.Quantize(b.M, b.Samples(2, 1), testmodel.QuantizeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	q.SetMetadata(tflite.MetaLabels, []byte(`["a","b"]`))
	data, err := tflite.Write(q)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// loadAndRun reads data and, if it parses, builds an interpreter and runs it.
// Any failure must be an error, never a panic.
func loadAndRun(data []byte) error {
	m, err := tflite.Read(data)
	if err != nil {
		return err
	}
	if _, err := tflite.Write(m); err != nil {
		return err
	}
	it, err := tflite.NewInterpreter(m, tflite.InterpreterOptions{MaxArenaBytes: 16 << 20})
	if err != nil {
		return err
	}
	return it.Invoke()
}

func TestReadTruncatedAndCorrupt(t *testing.T) {
	data := validModel(t)
	if err := loadAndRun(data); err != nil {
		t.Fatalf("valid model: %v", err)
	}
	for n := 0; n < len(data); n += 1 + n/50 {
		if _, err := tflite.Read(data[:n]); err == nil {
			t.Errorf("truncated to %d of %d bytes: no error", n, len(data))
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		bad := append([]byte(nil), data...)
		for k := 0; k < 1+rng.IntN(4); k++ {
			bad[rng.IntN(len(bad))] = byte(rng.IntN(256))
		}
		_ = loadAndRun(bad) // must not panic
	}
}

func TestReadErrors(t *testing.T) {
	valid := validModel(t)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"not tflite", []byte("PK\x03\x04hello world"), "TFL3"},
		{"root offset outside", append([]byte{0xff, 0xff, 0xff, 0x7f}, valid[4:]...), "outside"},
		{"truncated", valid[:len(valid)/2], "corrupt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tflite.Read(tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestHostileModels writes models that are well-formed flatbuffers but wrong
// TFLite graphs, and checks that Read or NewInterpreter rejects them clearly.
func TestHostileModels(t *testing.T) {
	base := func() *tflite.Model {
		b := testmodel.New(4)
		b.Output(b.Conv(b.Input(1, 4, 4, 2), 3, 3, 1, tflite.PaddingSame, tflite.ActRelu))
		return b.M
	}
	tests := []struct {
		name   string
		mutate func(m *tflite.Model)
		want   string
	}{
		{"unknown op", func(m *tflite.Model) { m.Operators[0].Op = 99 }, "unsupported builtin operator 99"},
		{"tensor index", func(m *tflite.Model) { m.Operators[0].Inputs[0] = 42 }, "out of range"},
		{"negative index", func(m *tflite.Model) { m.Operators[0].Outputs[0] = -1 }, "out of range"},
		{"missing buffer", func(m *tflite.Model) { m.Tensors[1].Buffer = 77 }, "buffer 77 out of range"},
		{"buffer size", func(m *tflite.Model) { m.Buffers[1].Data = m.Buffers[1].Data[:8] }, "needs"},
		{"huge shape", func(m *tflite.Model) {
			m.Tensors[m.Outputs[0]].Shape = []int32{1, 40000, 40000, 3}
		}, "too large"},
		{"arena limit", func(m *tflite.Model) {
			m.Tensors[m.Inputs[0]].Shape = []int32{1, 4000, 4000, 2}
			m.Tensors[m.Outputs[0]].Shape = []int32{1, 4000, 4000, 3}
		}, "exceeds the limit"},
		{"cycle", func(m *tflite.Model) { m.Operators[0].Inputs[0] = m.Operators[0].Outputs[0] }, "before it is computed"},
		{"output never computed", func(m *tflite.Model) { m.Outputs[0] = m.Inputs[0] + 100 }, "out of range"},
		{"wrong options", func(m *tflite.Model) { m.Operators[0].Options = &tflite.Pool2DOptions{} }, "options type"},
		{"zero stride", func(m *tflite.Model) { m.Operators[0].Options.(*tflite.Conv2DOptions).StrideW = 0 }, "invalid stride"},
		{"filter shape", func(m *tflite.Model) { m.Tensors[1].Shape = []int32{3, 3, 2, 3} }, "filter shape"},
		{"int8 without quantisation", func(m *tflite.Model) { m.Tensors[m.Inputs[0]].Type = tflite.Int8 }, "quantisation"},
		{"tanh activation", func(m *tflite.Model) {
			m.Operators[0].Options.(*tflite.Conv2DOptions).Activation = tflite.ActTanh
		}, "fused activation"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := base()
			tc.mutate(m)
			data, err := tflite.Write(m)
			if err == nil {
				err = loadAndRun(data)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// FuzzRead feeds arbitrary bytes to Read and NewInterpreter; the seeds in
// testdata/fuzz/FuzzRead run as regular tests.
func FuzzRead(f *testing.F) {
	f.Add(validModel(f))
	for _, c := range testmodel.Cases()[:4] {
		b := testmodel.New(5)
		c.Build(b)
		data, err := tflite.Write(b.M)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	// A pooling window two billion cells wide (once a hang).
	b := testmodel.New(6)
	b.Output(b.Pool(tflite.OpAveragePool2D, b.Input(1, 8, 8, 2), 3, 1, tflite.PaddingSame))
	b.M.Operators[0].Options.(*tflite.Pool2DOptions).FilterWidth = 2046820355
	if data, err := tflite.Write(b.M); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		loadAndRunWithin(t, data, fuzzTimePerInput)
	})
}

// fuzzTimePerInput is how long one fuzz input may take to load and run: a
// model that takes longer is reported like a crash (hangs, e.g. a pooling
// window of two billion cells, are bugs too).
const fuzzTimePerInput = 10 * time.Second

// loadAndRunWithin runs loadAndRun and fails t if it does not return within
// limit (the stuck goroutine is left behind; the failure stops the fuzzer).
func loadAndRunWithin(t *testing.T, data []byte, limit time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = loadAndRun(data)
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		t.Fatalf("loading and running a %d-byte model took over %v (hang)", len(data), limit)
	}
}

func TestWriteNilOptions(t *testing.T) {
	m := tflite.NewModel()
	x := m.AddTensor(tflite.Tensor{Shape: []int32{1, 2, 2, 1}, Type: tflite.Float32})
	m.AddOperator(tflite.Operator{Op: tflite.OpConv2D, Inputs: []int32{x}, Outputs: []int32{x}, Options: (*tflite.Conv2DOptions)(nil)})
	if _, err := tflite.Write(m); err == nil || !strings.Contains(err.Error(), "nil") {
		t.Fatalf("error %v, want nil options error", err)
	}
}

func TestMismatchedOptions(t *testing.T) {
	b := testmodel.New(9)
	x := b.Input(1, 4)
	b.Output(b.Add(x, x, tflite.ActNone))
	b.M.Operators[0].Options = &tflite.MulOptions{Activation: tflite.ActRelu}
	if _, err := tflite.NewInterpreter(b.M, tflite.InterpreterOptions{}); err == nil || !strings.Contains(err.Error(), "do not belong") {
		t.Fatalf("error %v, want options mismatch", err)
	}
}

// TestEmptyBufferIsActivation checks the TFLite converter convention: an
// activation may point at its own empty buffer instead of buffer 0.
func TestEmptyBufferIsActivation(t *testing.T) {
	b := testmodel.New(10)
	b.Output(b.Softmax(b.FC(b.Input(1, 4), 3, tflite.ActNone)))
	for i := range b.M.Tensors {
		if b.M.Tensors[i].Buffer == 0 {
			b.M.Tensors[i].Buffer = b.M.AddBuffer(nil)
		}
	}
	data, err := tflite.Write(b.M)
	if err != nil {
		t.Fatal(err)
	}
	if err := loadAndRun(data); err != nil {
		t.Fatal(err)
	}
}

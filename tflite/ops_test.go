package tflite_test

import (
	"slices"
	"testing"

	"github.com/trapnet/trapnet/tflite"
	"github.com/trapnet/trapnet/tflite/testmodel"
)

func q8(scale float32, zp int64) *tflite.Quantization {
	return &tflite.Quantization{Scale: []float32{scale}, ZeroPoint: []int64{zp}}
}

func ones(n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

// TestHandComputed checks kernels against results worked out by hand,
// including TF SAME padding (extra padding after), average pooling over valid
// cells only, and int8 rounding (half away from zero).
func TestHandComputed(t *testing.T) {
	tests := []struct {
		name  string
		build func(m *tflite.Model) // inputs then one output
		in    [][]float32
		in8   [][]int8
		want  []float32
		want8 []int8
	}{
		{"conv 3x3 stride 2 SAME pads after", func(m *tflite.Model) {
			b := &testmodel.Builder{M: m}
			x := b.Input(1, 4, 4, 1)
			w := b.Const(ones(9), 1, 3, 3, 1)
			y := m.AddTensor(tflite.Tensor{Shape: []int32{1, 2, 2, 1}, Type: tflite.Float32})
			m.AddOperator(tflite.Operator{Op: tflite.OpConv2D, Inputs: []int32{x, w, -1}, Outputs: []int32{y},
				Options: &tflite.Conv2DOptions{Padding: tflite.PaddingSame, StrideW: 2, StrideH: 2}})
			b.Output(y)
		}, [][]float32{ones(16)}, nil, []float32{9, 6, 6, 4}, nil},
		{"avg pool SAME counts valid cells", func(m *tflite.Model) {
			b := &testmodel.Builder{M: m}
			b.Output(b.Pool(tflite.OpAveragePool2D, b.Input(1, 3, 3, 1), 3, 1, tflite.PaddingSame))
		}, [][]float32{{1, 2, 3, 4, 5, 6, 7, 8, 9}}, nil, []float32{3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7}, nil},
		{"max pool ignores padding", func(m *tflite.Model) {
			b := &testmodel.Builder{M: m}
			b.Output(b.Pool(tflite.OpMaxPool2D, b.Input(1, 2, 2, 1), 3, 1, tflite.PaddingSame))
		}, [][]float32{{-1, -2, -3, -4}}, nil, []float32{-1, -1, -1, -1}, nil},
		{"int8 avg pool rounds away from zero", func(m *tflite.Model) {
			x := m.AddTensor(tflite.Tensor{Shape: []int32{1, 1, 2, 1}, Type: tflite.Int8, Quant: q8(1, 0)})
			y := m.AddTensor(tflite.Tensor{Shape: []int32{1, 1, 1, 1}, Type: tflite.Int8, Quant: q8(1, 0)})
			m.AddOperator(tflite.Operator{Op: tflite.OpAveragePool2D, Inputs: []int32{x}, Outputs: []int32{y},
				Options: &tflite.Pool2DOptions{Padding: tflite.PaddingValid, StrideW: 2, StrideH: 1, FilterWidth: 2, FilterHeight: 1}})
			m.Inputs, m.Outputs = []int32{x}, []int32{y}
		}, nil, [][]int8{{-3, -2}}, nil, []int8{-3}},
		{"int8 add with ties", func(m *tflite.Model) {
			x := m.AddTensor(tflite.Tensor{Shape: []int32{3}, Type: tflite.Int8, Quant: q8(0.5, 0)})
			z := m.AddTensor(tflite.Tensor{Shape: []int32{3}, Type: tflite.Int8, Quant: q8(0.5, 0)})
			y := m.AddTensor(tflite.Tensor{Shape: []int32{3}, Type: tflite.Int8, Quant: q8(1, 0)})
			m.AddOperator(tflite.Operator{Op: tflite.OpAdd, Inputs: []int32{x, z}, Outputs: []int32{y}, Options: &tflite.AddOptions{}})
			m.Inputs, m.Outputs = []int32{x, z}, []int32{y}
		}, nil, [][]int8{{3, -3, 100}, {4, -4, 100}}, nil, []int8{4, -4, 100}},
		{"int8 relu6 fused clamp on mul", func(m *tflite.Model) {
			x := m.AddTensor(tflite.Tensor{Shape: []int32{3}, Type: tflite.Int8, Quant: q8(0.1, 0)})
			y := m.AddTensor(tflite.Tensor{Shape: []int32{3}, Type: tflite.Int8, Quant: q8(0.1, -10)})
			m.AddOperator(tflite.Operator{Op: tflite.OpMul, Inputs: []int32{x, x}, Outputs: []int32{y},
				Options: &tflite.MulOptions{Activation: tflite.ActRelu6}})
			m.Inputs, m.Outputs = []int32{x}, []int32{y}
		}, nil, [][]int8{{10, 30, -5}}, nil, []int8{0, 50, -7}}, // 1.0, 9.0->6.0, 0.25 (2.5 steps: double rounding gives 3)
		{"softmax", func(m *tflite.Model) {
			b := &testmodel.Builder{M: m}
			b.Output(b.Softmax(b.Input(1, 2)))
		}, [][]float32{{0, 0}}, nil, []float32{0.5, 0.5}, nil},
		{"mean over H,W", func(m *tflite.Model) {
			b := &testmodel.Builder{M: m}
			b.Output(b.Mean(b.Input(1, 2, 2, 2), false))
		}, [][]float32{{1, 10, 2, 20, 3, 30, 4, 40}}, nil, []float32{2.5, 25}, nil},
		{"concat axis 1 and broadcast add", func(m *tflite.Model) {
			b := &testmodel.Builder{M: m}
			x, y := b.Input(1, 2), b.Input(1, 1)
			c := b.Const([]float32{10, 20, 30}, 3)
			b.Output(b.Add(b.Concat(1, x, y), c, tflite.ActNone))
		}, [][]float32{{1, 2}, {3}}, nil, []float32{11, 22, 33}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := tflite.NewModel()
			tc.build(m)
			it, err := tflite.NewInterpreter(m, tflite.InterpreterOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for i, x := range tc.in {
				if err := it.SetInputFloat32(i, x); err != nil {
					t.Fatal(err)
				}
			}
			for i, x := range tc.in8 {
				if err := it.SetInputInt8(i, x); err != nil {
					t.Fatal(err)
				}
			}
			if err := it.Invoke(); err != nil {
				t.Fatal(err)
			}
			if tc.want != nil {
				got, err := it.OutputFloat32(0)
				if err != nil || !slices.Equal(got, tc.want) {
					t.Fatalf("got %v (%v), want %v", got, err, tc.want)
				}
			}
			if tc.want8 != nil {
				got, err := it.OutputInt8(0)
				if err != nil || !slices.Equal(got, tc.want8) {
					t.Fatalf("got %v (%v), want %v", got, err, tc.want8)
				}
			}
		})
	}
}

// TestMetadataRoundTrip checks that metadata buffers survive Write/Read and do
// not remain in Buffers.
func TestMetadataRoundTrip(t *testing.T) {
	b := testmodel.New(6)
	b.Output(b.Softmax(b.FC(b.Input(1, 4), 3, tflite.ActNone)))
	b.M.Description = "trapnet test"
	b.M.SetMetadata(tflite.MetaLabels, []byte(`["bee","fly","moth"]`))
	b.M.SetMetadata(tflite.MetaVersion, []byte("v1"))
	nbuf := len(b.M.Buffers)
	data, err := tflite.Write(b.M)
	if err != nil {
		t.Fatal(err)
	}
	m, err := tflite.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := m.MetadataString(tflite.MetaLabels); !ok || s != `["bee","fly","moth"]` {
		t.Errorf("labels %q %v", s, ok)
	}
	if s, _ := m.MetadataString(tflite.MetaVersion); s != "v1" || m.Description != "trapnet test" {
		t.Errorf("version %q description %q", s, m.Description)
	}
	if len(m.Buffers) != nbuf {
		t.Errorf("%d buffers after read, want %d", len(m.Buffers), nbuf)
	}
}

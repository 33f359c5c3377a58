package ir

import (
	"math"
	"slices"
	"testing"
)

func seq(from, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(from + i)
	}
	return out
}

func tensor(shape []int, data []float32) *Tensor {
	return &Tensor{Shape: shape, Data: data}
}

// TestOps checks every op against small hand-computed cases.
func TestOps(t *testing.T) {
	ones9 := tensor([]int{1, 3, 3, 1}, []float32{1, 1, 1, 1, 1, 1, 1, 1, 1})
	cases := []struct {
		name   string
		op     Op
		attrs  Attrs
		x      *Tensor   // computed input
		consts []*Tensor // constant operands
		other  *Tensor   // second computed input (add/mul/concat)
		want   []float32
		shape  []int
	}{
		{name: "conv SAME 3x3 with bias", op: Conv2D, x: tensor([]int{1, 3, 3, 1}, seq(1, 9)),
			consts: []*Tensor{ones9, tensor([]int{1}, []float32{1})},
			want:   []float32{13, 22, 17, 28, 46, 34, 25, 40, 29}, shape: []int{1, 3, 3, 1}},
		{name: "conv SAME stride 2 pads after", op: Conv2D, attrs: Attrs{Strides: [2]int{2, 2}},
			x: tensor([]int{1, 4, 4, 1}, seq(0, 16)), consts: []*Tensor{ones9},
			want: []float32{45, 39, 66, 50}, shape: []int{1, 2, 2, 1}},
		{name: "conv channels", op: Conv2D, x: tensor([]int{1, 1, 1, 2}, []float32{1, 2}),
			consts: []*Tensor{tensor([]int{2, 1, 1, 2}, []float32{1, 0, 3, 4})},
			want:   []float32{1, 11}, shape: []int{1, 1, 1, 2}},
		{name: "conv VALID dilated", op: Conv2D, attrs: Attrs{Padding: Valid, Dilations: [2]int{1, 2}},
			x: tensor([]int{1, 1, 5, 1}, seq(1, 5)), consts: []*Tensor{tensor([]int{1, 1, 2, 1}, []float32{1, 10})},
			want: []float32{31, 42, 53}, shape: []int{1, 1, 3, 1}},
		{name: "depthwise VALID", op: DepthwiseConv2D, attrs: Attrs{Padding: Valid},
			x:      tensor([]int{1, 2, 2, 2}, seq(1, 8)),
			consts: []*Tensor{tensor([]int{1, 2, 2, 2}, []float32{1, 0, 1, 0, 1, 0, 1, 1}), tensor([]int{2}, []float32{0, 100})},
			want:   []float32{1 + 3 + 5 + 7, 108}, shape: []int{1, 1, 1, 2}},
		{name: "batchnorm", op: BatchNorm, attrs: Attrs{Eps: 1}, x: tensor([]int{1, 1, 2, 2}, []float32{1, 2, 3, 4}),
			consts: []*Tensor{tensor([]int{2}, []float32{2, 1}), tensor([]int{2}, []float32{0, 1}), tensor([]int{2}, []float32{1, 0}), tensor([]int{2}, []float32{3, 0})},
			want:   []float32{0, 3, 2, 5}, shape: []int{1, 1, 2, 2}},
		{name: "relu", op: ReLU, x: tensor([]int{1, 3}, []float32{-1, 0, 2}), want: []float32{0, 0, 2}, shape: []int{1, 3}},
		{name: "sigmoid", op: Sigmoid, x: tensor([]int{1, 2}, []float32{0, float32(math.Log(3))}), want: []float32{0.5, 0.75}, shape: []int{1, 2}},
		{name: "softmax", op: Softmax, x: tensor([]int{1, 2}, []float32{0, float32(math.Log(3))}), want: []float32{0.25, 0.75}, shape: []int{1, 2}},
		{name: "avg pool SAME excludes padding", op: AvgPool, attrs: Attrs{Kernel: [2]int{3, 3}},
			x: tensor([]int{1, 3, 3, 1}, seq(1, 9)), want: []float32{3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7}, shape: []int{1, 3, 3, 1}},
		{name: "max pool SAME ignores padding", op: MaxPool, attrs: Attrs{Kernel: [2]int{2, 2}, Strides: [2]int{2, 2}},
			x: tensor([]int{1, 3, 3, 1}, seq(-9, 9)), want: []float32{-5, -4, -2, -1}, shape: []int{1, 2, 2, 1}},
		{name: "global mean", op: GlobalMean, x: tensor([]int{1, 2, 1, 2}, []float32{1, 10, 3, 20}), want: []float32{2, 15}, shape: []int{1, 2}},
		{name: "global mean keep dims", op: GlobalMean, attrs: Attrs{KeepDims: true}, x: tensor([]int{1, 2, 1, 2}, []float32{1, 10, 3, 20}), want: []float32{2, 15}, shape: []int{1, 1, 1, 2}},
		{name: "add broadcast [1,1,1,C]", op: Add, x: tensor([]int{1, 2, 1, 2}, seq(0, 4)), other: tensor([]int{1, 1, 1, 2}, []float32{10, 20}),
			want: []float32{10, 21, 12, 23}, shape: []int{1, 2, 1, 2}},
		{name: "mul by constant [C]", op: Mul, x: tensor([]int{1, 2, 1, 2}, seq(1, 4)), consts: []*Tensor{tensor([]int{2}, []float32{2, -1})},
			want: []float32{2, -2, 6, -4}, shape: []int{1, 2, 1, 2}},
		{name: "concat channels", op: Concat, attrs: Attrs{Axis: -1}, x: tensor([]int{1, 2, 1, 1}, []float32{1, 2}), other: tensor([]int{1, 2, 1, 2}, []float32{3, 4, 5, 6}),
			want: []float32{1, 3, 4, 2, 5, 6}, shape: []int{1, 2, 1, 3}},
		{name: "fully connected flattens", op: FullyConnected, x: tensor([]int{1, 1, 1, 2}, []float32{1, 2}),
			consts: []*Tensor{tensor([]int{3, 2}, []float32{1, 1, 0, 1, -1, 0}), tensor([]int{3}, []float32{0, 0, 5})},
			want:   []float32{3, 2, 4}, shape: []int{1, 3}},
		{name: "reshape", op: Reshape, attrs: Attrs{Shape: []int{1, -1}}, x: tensor([]int{1, 1, 1, 3}, seq(1, 3)), want: []float32{1, 2, 3}, shape: []int{1, 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := &Graph{OutputKind: Logits, Consts: map[string]*Tensor{}, Outputs: []string{"y"}}
			g.Inputs = []Input{{Name: "x", Shape: c.x.Shape}}
			in := []string{"x"}
			inputs := []*Tensor{c.x}
			if c.other != nil {
				g.Inputs = append(g.Inputs, Input{Name: "o", Shape: c.other.Shape})
				in = append(in, "o")
				inputs = append(inputs, c.other)
			}
			for i, k := range c.consts {
				name := string(rune('a' + i))
				g.Consts[name] = k
				in = append(in, name)
			}
			g.Nodes = append(g.Nodes, &Node{Op: c.op, Inputs: in, Output: "y", Attrs: c.attrs})
			out, err := g.Run(inputs...)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(out[0].Shape, c.shape) {
				t.Fatalf("shape %v, want %v", out[0].Shape, c.shape)
			}
			for i := range c.want {
				if math.Abs(float64(out[0].Data[i]-c.want[i])) > 1e-5 {
					t.Fatalf("got %v, want %v", out[0].Data, c.want)
				}
			}
		})
	}
}

package ir

import (
	"strings"
	"testing"
)

func TestValidateErrors(t *testing.T) {
	w := func(shape ...int) *Tensor { return NewTensor(shape...) }
	base := func() *Graph {
		return &Graph{
			Inputs:     []Input{{Name: "x", Shape: []int{1, 4, 4, 3}}},
			Outputs:    []string{"y"},
			OutputKind: Logits,
			Consts:     map[string]*Tensor{"f": w(2, 3, 3, 3), "b": w(2), "v": w(5)},
		}
	}
	cases := []struct {
		name string
		node Node
		edit func(g *Graph)
		want string
	}{
		{name: "unknown op", node: Node{Op: "gelu", Inputs: []string{"x"}, Output: "y"}, want: "unknown op"},
		{name: "too many operands", node: Node{Op: ReLU, Inputs: []string{"x", "x"}, Output: "y"}, want: "operands"},
		{name: "dangling name", node: Node{Op: ReLU, Inputs: []string{"z"}, Output: "y"}, want: `unknown tensor "z"`},
		{name: "filter channels", node: Node{Op: Conv2D, Inputs: []string{"x", "f"}, Output: "y"}, edit: func(g *Graph) { g.Consts["f"] = w(2, 3, 3, 4) }, want: "does not match input channels"},
		{name: "bias size", node: Node{Op: Conv2D, Inputs: []string{"x", "f", "v"}, Output: "y"}, want: "bias"},
		{name: "weights not constant", node: Node{Op: Conv2D, Inputs: []string{"x", "x"}, Output: "y"}, want: "must be a constant"},
		{name: "constant data", node: Node{Op: ReLU, Inputs: []string{"x"}, Output: "y"}, edit: func(g *Graph) { g.Consts["b"].Data = nil }, want: `constant "b"`},
		{name: "VALID window too big", node: Node{Op: MaxPool, Inputs: []string{"x"}, Output: "y", Attrs: Attrs{Kernel: [2]int{5, 5}, Padding: Valid}}, want: "larger than input"},
		{name: "bad padding", node: Node{Op: AvgPool, Inputs: []string{"x"}, Output: "y", Attrs: Attrs{Kernel: [2]int{2, 2}, Padding: "FULL"}}, want: "unknown padding"},
		{name: "no broadcast", node: Node{Op: Add, Inputs: []string{"x", "v"}, Output: "y"}, want: "do not broadcast"},
		{name: "two constants", node: Node{Op: Mul, Inputs: []string{"b", "b"}, Output: "y"}, want: "both operands"},
		{name: "concat off-axis", node: Node{Op: Concat, Inputs: []string{"x", "x"}, Output: "y", Attrs: Attrs{Axis: 4}}, want: "axis out of range"},
		{name: "reshape size", node: Node{Op: Reshape, Inputs: []string{"x"}, Output: "y", Attrs: Attrs{Shape: []int{1, 5}}}, want: "cannot reshape"},
		{name: "fc input size", node: Node{Op: FullyConnected, Inputs: []string{"x", "f"}, Output: "y"}, want: "do not match input"},
		{name: "softmax rank", node: Node{Op: Softmax, Inputs: []string{"x"}, Output: "y"}, want: "want [N,K]"},
		{name: "output redefined", node: Node{Op: ReLU, Inputs: []string{"x"}, Output: "x"}, edit: func(g *Graph) { g.Outputs = []string{"x"} }, want: "already defined"},
		{name: "declared shape", node: Node{Op: ReLU, Inputs: []string{"x"}, Output: "y", Shape: []int{1, 4, 4, 2}}, want: "declared shape"},
		{name: "output kind", node: Node{Op: ReLU, Inputs: []string{"x"}, Output: "y"}, edit: func(g *Graph) { g.OutputKind = "scores" }, want: "output_kind"},
		{name: "huge input", node: Node{Op: ReLU, Inputs: []string{"x"}, Output: "y"}, edit: func(g *Graph) { g.Inputs[0].Shape = []int{1, 1 << 20, 1 << 20, 3} }, want: "at most"},
		{name: "missing output", node: Node{Op: ReLU, Inputs: []string{"x"}, Output: "z"}, want: `output "y"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := base()
			n := c.node
			g.Nodes = []*Node{&n}
			if c.edit != nil {
				c.edit(g)
			}
			err := g.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

func TestCheckModelIO(t *testing.T) {
	g := &Graph{Inputs: []Input{{Name: "x", Shape: []int{1, 4, 4, 1}}}, Outputs: []string{"y"}, OutputKind: Logits,
		Nodes: []*Node{{Op: GlobalMean, Inputs: []string{"x"}, Output: "y"}}}
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := g.CheckModelIO(); err == nil || !strings.Contains(err.Error(), "want an image") {
		t.Fatalf("1-channel image accepted: %v", err)
	}
}

package ir

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func randTensor(r *rand.Rand, shape ...int) *Tensor {
	t := NewTensor(shape...)
	for i := range t.Data {
		t.Data[i] = float32(r.NormFloat64())
	}
	return t
}

// testGraph is a small two-input net using most ops.
func testGraph(t *testing.T) *Graph {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	b := NewBuilder()
	img := b.Input("image", 1, 8, 8, 3)
	meta := b.Input("metadata", 1, 5)
	x := b.Conv2D("stem", img, randTensor(r, 4, 3, 3, 3), nil, Attrs{})
	x = b.BatchNorm("stem_bn", x, randTensor(r, 4), randTensor(r, 4), randTensor(r, 4), NewTensor(4), 1e-3)
	x = b.Node(ReLU, "", Attrs{}, x)
	d := b.DepthwiseConv2D("dw", x, randTensor(r, 1, 3, 3, 4), randTensor(r, 4), Attrs{Strides: [2]int{2, 2}})
	p := b.Node(AvgPool, "", Attrs{Kernel: [2]int{3, 3}, Strides: [2]int{2, 2}}, x)
	s := b.Node(Add, "", Attrs{}, d, p)
	c := b.Node(Concat, "", Attrs{Axis: 3}, s, b.Node(MaxPool, "", Attrs{Kernel: [2]int{2, 2}, Strides: [2]int{2, 2}}, x))
	gm := b.Node(GlobalMean, "", Attrs{}, c)
	m := b.FullyConnected("meta_fc", meta, randTensor(r, 8, 5), randTensor(r, 8))
	m = b.Node(Sigmoid, "", Attrs{}, m)
	f := b.Node(Mul, "", Attrs{}, gm, m)
	y := b.FullyConnected("head", f, randTensor(r, 3, 8), nil)
	g, err := b.Graph(Logits, y)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestSaveLoadRoundTrip(t *testing.T) {
	g := testGraph(t)
	dir := t.TempDir()
	if err := Save(g, dir); err != nil {
		t.Fatal(err)
	}
	h, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	img, meta := randTensor(r, 2, 8, 8, 3), randTensor(r, 2, 5)
	a, err := g.Run(img, meta)
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.Run(img, meta)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a[0].Data {
		if a[0].Data[i] != b[0].Data[i] {
			t.Fatalf("output %d: %v before save, %v after load", i, a[0].Data[i], b[0].Data[i])
		}
	}
	// Batch 2 equals two runs at batch 1.
	for n := range 2 {
		one, err := g.Run(&Tensor{Shape: []int{1, 8, 8, 3}, Data: img.Data[n*192 : (n+1)*192]}, &Tensor{Shape: []int{1, 5}, Data: meta.Data[n*5 : (n+1)*5]})
		if err != nil {
			t.Fatal(err)
		}
		for k := range 3 {
			if d := one[0].Data[k] - a[0].Data[n*3+k]; d > 1e-5 || d < -1e-5 {
				t.Fatalf("sample %d class %d: batch 1 %v, batch 2 %v", n, k, one[0].Data[k], a[0].Data[n*3+k])
			}
		}
	}
}

func TestLoadErrors(t *testing.T) {
	good := t.TempDir()
	if err := Save(testGraph(t), good); err != nil {
		t.Fatal(err)
	}
	js, _ := os.ReadFile(filepath.Join(good, GraphFile))
	wb, _ := os.ReadFile(filepath.Join(good, WeightsFile))
	cases := []struct {
		name    string
		graph   string
		weights []byte
		noGraph bool
		want    string
	}{
		{name: "missing graph", noGraph: true, weights: wb, want: "graph.json"},
		{name: "missing weights", graph: string(js), want: "weights.bin"},
		{name: "truncated weights", graph: string(js), weights: wb[:len(wb)-8], want: "truncated"},
		{name: "unknown op", graph: strings.Replace(string(js), `"op": "sigmoid"`, `"op": "gelu"`, 1), weights: wb, want: "unknown op"},
		{name: "bad tensor ref", graph: strings.Replace(string(js), `"stem/filter"`, `"nope"`, 1), weights: wb, want: "unknown tensor"},
		{name: "shape mismatch", graph: strings.Replace(string(js), `"shape": [
        1,
        8
      ]`, `"shape": [
        1,
        9
      ]`, 1), weights: wb, want: "declared shape"},
		{name: "not json", graph: "{", weights: wb, want: "decoding graph"},
		{name: "wrong format", graph: strings.Replace(string(js), `"format": 1`, `"format": 7`, 1), weights: wb, want: "format 7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if !c.noGraph {
				os.WriteFile(filepath.Join(dir, GraphFile), []byte(c.graph), 0o644)
			}
			if c.weights != nil {
				os.WriteFile(filepath.Join(dir, WeightsFile), c.weights, 0o644)
			}
			_, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

func TestRunRejectsBadInputs(t *testing.T) {
	g := testGraph(t)
	cases := []struct {
		name   string
		inputs []*Tensor
	}{
		{"too few", []*Tensor{NewTensor(1, 8, 8, 3)}},
		{"wrong image shape", []*Tensor{NewTensor(1, 8, 7, 3), NewTensor(1, 5)}},
		{"batch mismatch", []*Tensor{NewTensor(2, 8, 8, 3), NewTensor(1, 5)}},
		{"nil", []*Tensor{nil, NewTensor(1, 5)}},
	}
	for _, c := range cases {
		if _, err := g.Run(c.inputs...); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

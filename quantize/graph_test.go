package quantize

import (
	"math/rand/v2"
	"testing"

	"github.com/trapnet/trapnet/ir"
)

func randT(r *rand.Rand, scale float64, shape ...int) *ir.Tensor {
	t := ir.NewTensor(shape...)
	for i := range t.Data {
		t.Data[i] = float32(r.NormFloat64() * scale)
	}
	return t
}

func posT(r *rand.Rand, shape ...int) *ir.Tensor {
	t := ir.NewTensor(shape...)
	for i := range t.Data {
		t.Data[i] = float32(0.5 + r.Float64())
	}
	return t
}

// bn adds a batch norm with random statistics.
func bn(b *ir.Builder, r *rand.Rand, name, x string, c int) string {
	return b.BatchNorm(name, x, posT(r, c), randT(r, 0.2, c), randT(r, 0.2, c), posT(r, c), 1e-5)
}

// smallNet is a DARTS-like two-input net: stem conv+BN, a cell with a
// ReLU-conv-BN edge, a separable (depthwise+pointwise) edge, pools, an add,
// a concat followed by BN (not foldable), global mean, a metadata branch
// (FC-BN-ReLU), fusion by concat and an FC classifier over k classes.
func smallNet(t testing.TB, seed uint64, k int) *ir.Graph {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	b := ir.NewBuilder()
	img := b.Input("image", 1, 12, 12, 3)
	meta := b.Input("metadata", 1, 6)
	s := b.Conv2D("stem", img, randT(r, 0.3, 8, 3, 3, 3), nil, ir.Attrs{})
	s = bn(b, r, "stem_bn", s, 8)

	e0 := b.Node(ir.ReLU, "e0_relu", ir.Attrs{}, s)
	e0 = b.Conv2D("e0_conv", e0, randT(r, 0.3, 8, 1, 1, 8), nil, ir.Attrs{})
	e0 = bn(b, r, "e0_bn", e0, 8)

	e1 := b.Node(ir.ReLU, "e1_relu", ir.Attrs{}, s)
	e1 = b.DepthwiseConv2D("e1_dw", e1, randT(r, 0.3, 1, 3, 3, 8), nil, ir.Attrs{Dilations: [2]int{2, 2}})
	e1 = b.Conv2D("e1_pw", e1, randT(r, 0.3, 8, 1, 1, 8), nil, ir.Attrs{})
	e1 = bn(b, r, "e1_bn", e1, 8)

	n0 := b.Node(ir.Add, "n0", ir.Attrs{}, e0, e1)
	p := b.Node(ir.MaxPool, "n1_max", ir.Attrs{Kernel: [2]int{3, 3}}, n0)
	q := b.Node(ir.AvgPool, "n1_avg", ir.Attrs{Kernel: [2]int{3, 3}}, s)
	n1 := b.Node(ir.Add, "n1", ir.Attrs{}, p, q)
	c := b.Node(ir.Concat, "cell", ir.Attrs{Axis: 3}, n0, n1)
	c = bn(b, r, "cell_bn", c, 16) // after concat: lowered to MUL+ADD

	red := b.Node(ir.ReLU, "red_relu", ir.Attrs{}, c)
	red = b.Conv2D("red_conv", red, randT(r, 0.2, 16, 3, 3, 16), randT(r, 0.1, 16), ir.Attrs{Strides: [2]int{2, 2}})
	red = b.Node(ir.ReLU, "red_relu2", ir.Attrs{}, red)
	gm := b.Node(ir.GlobalMean, "gap", ir.Attrs{}, red)

	m := b.FullyConnected("meta_fc", meta, randT(r, 0.4, 8, 6), nil)
	m = bn(b, r, "meta_bn", m, 8)
	m = b.Node(ir.ReLU, "meta_relu", ir.Attrs{}, m)

	f := b.Node(ir.Concat, "fuse", ir.Attrs{Axis: -1}, gm, m)
	y := b.FullyConnected("head", f, randT(r, 0.5, k, 24), randT(r, 0.1, k))
	g, err := b.Graph(ir.Logits, y)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// batch returns a random image batch and metadata batch.
func batch(r *rand.Rand, n int) (*ir.Tensor, *ir.Tensor) {
	return randT(r, 1, n, 12, 12, 3), randT(r, 1, n, 6)
}

package quantize

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/trapnet/trapnet/ir"
)

func TestFoldBatchNormExact(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		g := smallNet(t, seed, 5)
		f, err := FoldBatchNorm(g)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[ir.Op]int{}
		for _, n := range f.Nodes {
			counts[n.Op]++
		}
		// 4 foldable BNs vanish; the one after the concat becomes MUL+ADD.
		if counts[ir.BatchNorm] != 0 || counts[ir.Mul] != 1 || counts[ir.Add] != 3 {
			t.Fatalf("seed %d: ops after folding %v", seed, counts)
		}
		if len(g.Nodes) != 24 || len(f.Nodes) != 21 {
			t.Fatalf("seed %d: %d nodes before, %d after", seed, len(g.Nodes), len(f.Nodes))
		}
		r := rand.New(rand.NewPCG(seed, 99))
		img, meta := batch(r, 3)
		want, err := g.Run(img, meta)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.Run(img, meta)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range want[0].Data {
			if d := math.Abs(float64(got[0].Data[i] - w)); d > 1e-4*(1+math.Abs(float64(w))) {
				t.Fatalf("seed %d: output %d folded %v, original %v", seed, i, got[0].Data[i], w)
			}
		}
	}
}

func TestFoldKeepsOriginal(t *testing.T) {
	g := smallNet(t, 1, 3)
	before := len(g.Nodes)
	w := g.Consts["stem/filter"].Data[0]
	if _, err := FoldBatchNorm(g); err != nil {
		t.Fatal(err)
	}
	if len(g.Nodes) != before || g.Consts["stem/filter"].Data[0] != w {
		t.Fatal("FoldBatchNorm modified its input graph")
	}
}

// A conv output read by the BN and by another node cannot be folded.
func TestFoldSharedProducerLowers(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	b := ir.NewBuilder()
	x := b.Input("image", 1, 4, 4, 3)
	c := b.Conv2D("c", x, randT(r, 1, 2, 1, 1, 3), nil, ir.Attrs{})
	n := bn(b, r, "bn", c, 2)
	y := b.Node(ir.Add, "y", ir.Attrs{}, n, c)
	g, err := b.Graph(ir.Logits, b.Node(ir.GlobalMean, "gap", ir.Attrs{}, y))
	if err != nil {
		t.Fatal(err)
	}
	f, err := FoldBatchNorm(g)
	if err != nil {
		t.Fatal(err)
	}
	if f.Producer("bn").Op != ir.Add || f.Producer("c").Op != ir.Conv2D {
		t.Fatalf("want conv kept and BN lowered to MUL+ADD, got %+v", f.Nodes)
	}
	if s := f.Consts["bn/bn_scale"].Shape; len(s) != 4 || s[3] != 2 {
		t.Fatalf("scale constant shape %v, want [1,1,1,2]", s)
	}
}

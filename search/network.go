package search

import (
	"fmt"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// Fusion kinds.
const (
	FusionConcat = "concat" // concat(image, metadata) -> MLP -> logits
	FusionGated  = "gated"  // g*image + (1-g)*proj(metadata) -> MLP -> logits
)

// ArchScope is the absolute context scope of the architecture parameters.
const ArchScope = "/arch"

// NetConfig describes a supernet or derived net.
type NetConfig struct {
	Classes        int      // number of classes K
	MetaDim        int      // metadata vector length D (0: image only)
	Channels       int      // C of the first cell
	Cells          int      // L stacked cells; reductions at L/3 and 2L/3
	Nodes          int      // intermediate nodes per supernet cell
	StemMultiplier int      // stem outputs StemMultiplier*C channels (DARTS: 3)
	Ops            []string // candidate ops (alpha columns); nil: OpNames
	MetaHidden     int      // metadata MLP width (0: 32)
	FusionHidden   int      // fusion MLP width (0: 128)
	Fusion         string   // FusionConcat (default) or FusionGated
}

// WithDefaults fills zero fields with the defaults.
func (c NetConfig) WithDefaults() NetConfig {
	if c.StemMultiplier == 0 {
		c.StemMultiplier = 3
	}
	if c.Ops == nil {
		c.Ops = OpNames
	}
	if c.MetaHidden == 0 {
		c.MetaHidden = 32
	}
	if c.FusionHidden == 0 {
		c.FusionHidden = 128
	}
	if c.Fusion == "" {
		c.Fusion = FusionConcat
	}
	return c
}

// Validate checks the configuration.
func (c NetConfig) Validate() error {
	c = c.WithDefaults()
	switch {
	case c.Classes < 2:
		return fmt.Errorf("search: classes = %d, want >= 2", c.Classes)
	case c.Channels < 2 || c.Channels%2 != 0:
		return fmt.Errorf("search: channels = %d, want an even number >= 2", c.Channels)
	case c.Cells < 1:
		return fmt.Errorf("search: cells = %d, want >= 1", c.Cells)
	case c.Nodes < 1:
		return fmt.Errorf("search: nodes = %d, want >= 1", c.Nodes)
	case c.Fusion != FusionConcat && c.Fusion != FusionGated:
		return fmt.Errorf("search: unknown fusion %q", c.Fusion)
	}
	for _, op := range c.Ops {
		if _, ok := Ops[op]; !ok {
			return fmt.Errorf("search: unknown op %q", op)
		}
	}
	return nil
}

// IsReduction reports whether cell i of l is a reduction cell: cells l/3
// and 2l/3 as in DARTS when l >= 3, none for fewer cells (so both cell types
// of a searched genotype got gradients whenever both are used). It is the
// one reduction rule: the supernet and trainer's derived net both use it.
func IsReduction(i, l int) bool { return l >= 3 && (i == l/3 || i == 2*l/3) }

// Stem is a 3x3 convolution (no bias) of the NHWC images to c channels + BN.
func Stem(ctx *context.Context, images *Node, c int) Feature {
	x := FromNHWC(images)
	p, _, _ := x.Patches(false, 3, 1, 1, 0) // [O, 9, N, Cin]
	o, n, cin := x.H*x.W, x.N(), x.C()
	cols := Reshape(TransposeAllAxes(p, 0, 2, 1, 3), o*n, 9*cin)
	w := weightVar(ctx, "w", heBound(9*cin), 9*cin, c).ValueGraph(images.Graph())
	y := Reshape(MatMulFast(cols, w), o, n, c)
	return x.With(BatchNorm(ctx, y, true))
}

// CellFunc builds cell i given its two inputs, channels c and whether it
// and its predecessor reduce; it returns the output and its channel count.
type CellFunc func(ctx *context.Context, i int, s0, s1 Feature, c int, reduction, reductionPrev bool) (Feature, error)

// Backbone runs stem and cells and returns the globally average-pooled image
// embedding [N, C_last].
func Backbone(ctx *context.Context, cfg NetConfig, images *Node, cell CellFunc) (*Node, error) {
	cfg = cfg.WithDefaults()
	s := Stem(ctx.In("stem"), images, cfg.StemMultiplier*cfg.Channels)
	s0, s1 := s, s
	c := cfg.Channels
	reductionPrev := false
	for i := range cfg.Cells {
		red := IsReduction(i, cfg.Cells)
		if red {
			c *= 2
		}
		out, err := cell(ctx.Inf("cell%d", i), i, s0, s1, c, red, reductionPrev)
		if err != nil {
			return nil, err
		}
		s0, s1, reductionPrev = s1, out, red
	}
	return ReduceMean(s1.X, 0), nil
}

// MetadataBranch is the metadata MLP: Dense(hidden)-ReLU-Dense(hidden)-ReLU
// over meta [N, D].
func MetadataBranch(ctx *context.Context, meta *Node, hidden int) *Node {
	h := relu(Dense(ctx.In("fc1"), meta, hidden))
	return relu(Dense(ctx.In("fc2"), h, hidden))
}

// Fusion joins the image embedding [N, Ci] and the metadata embedding
// [N, Cm] (nil: image only) into class logits [N, classes]. FusionConcat:
// concat -> Dense(hidden)-ReLU -> Dense(classes). FusionGated: a sigmoid gate
// g = σ(Dense(concat)) mixes g*image + (1-g)*Dense(meta), then the same MLP.
func Fusion(ctx *context.Context, img, meta *Node, kind string, hidden, classes int) *Node {
	h := img
	if meta != nil {
		both := Concatenate([]*Node{img, meta}, 1)
		switch kind {
		case FusionGated:
			ci := img.Shape().Dimensions[1]
			gate := Sigmoid(Dense(ctx.In("gate"), both, ci))
			proj := Dense(ctx.In("proj"), meta, ci)
			h = Add(Mul(gate, img), Mul(OneMinus(gate), proj))
		default:
			h = both
		}
	}
	h = relu(Dense(ctx.In("fc1"), h, hidden))
	return Dense(ctx.In("fc2"), h, classes)
}

// Head runs the metadata branch (when meta != nil and cfg.MetaDim > 0) and
// the fusion on an image embedding.
func Head(ctx *context.Context, cfg NetConfig, emb, meta *Node) *Node {
	cfg = cfg.WithDefaults()
	var m *Node
	if meta != nil && cfg.MetaDim > 0 {
		m = MetadataBranch(ctx.In("meta"), meta, cfg.MetaHidden)
	}
	return Fusion(ctx.In("fusion"), emb, m, cfg.Fusion, cfg.FusionHidden, cfg.Classes)
}

// AlphaVars returns (creating them, 1e-3·N(0,1) as in DARTS) the normal and
// reduce architecture parameters [NumEdges(nodes), len(ops)] under ArchScope.
func AlphaVars(ctx *context.Context, nodes, nOps int) (normal, reduce *context.Variable) {
	actx := ctx.InAbsPath(ArchScope).Checked(false)
	mk := func(name string) *context.Variable {
		if v := actx.GetVariableByScopeAndName(actx.Scope(), name); v != nil {
			return v
		}
		r := varRand(actx, name)
		data := make([]float32, NumEdges(nodes)*nOps)
		for i := range data {
			data[i] = float32(1e-3 * r.NormFloat64())
		}
		return actx.VariableWithValue(name, tensors.FromFlatDataAndDimensions(data, NumEdges(nodes), nOps))
	}
	return mk("normal"), mk("reduce")
}

// Supernet builds the search network: logits [N, classes] for NHWC images and
// metadata [N, D] (nil when D = 0). Weights live under ctx.In("net"), alphas
// under ArchScope.
func Supernet(ctx *context.Context, cfg NetConfig, images, meta *Node) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	g := images.Graph()
	an, ar := AlphaVars(ctx, cfg.Nodes, len(cfg.Ops))
	wn, wr := Softmax(an.ValueGraph(g), -1), Softmax(ar.ValueGraph(g), -1)
	net := ctx.In("net").Checked(false)
	emb, err := Backbone(net, cfg, images, func(ctx *context.Context, _ int, s0, s1 Feature, c int, red, redPrev bool) (Feature, error) {
		w := wn
		if red {
			w = wr
		}
		return BuildMixedCell(ctx, s0, s1, w, cfg.Ops, cfg.Nodes, c, red, redPrev), nil
	})
	if err != nil {
		return nil, err
	}
	return Head(net, cfg, emb, meta), nil
}

package trainer

import (
	"fmt"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/search"
)

// Input tensor names of the exported graph.
const (
	InputImage = "image"
	InputMeta  = "metadata"
	outputName = "logits"
)

// param describes a trainable constant of the plan (conv, depthwise and
// dense weights and biases; batch-norm constants are handled per node).
type param struct {
	shape []int
	fanIn int
	bias  bool
	// mask, when set, multiplies the weight elementwise (factorised reduce).
	mask []float32
	// aux marks the auxiliary head's params (not exported).
	aux bool
}

// Plan is the derived network as an ir graph without weights, plus what
// training needs on top of it: the trainable parameters and the tensors that
// drop-path applies to. The GoMLX model interprets the plan, and export fills
// the plan's constants from the trained variables, so the two can not drift.
type Plan struct {
	Arch   Arch
	Graph  *ir.Graph
	params map[string]*param
	// dropPath lists the cell-edge outputs drop-path scales in training.
	dropPath map[string]bool
	shapes   map[string][]int
	seq      int
	// fixed are constant (untrained) operands, e.g. -1 for a subtraction.
	fixed map[string]*ir.Tensor
	// auxNodes compute the training-only auxiliary logits aux.
	auxNodes []*ir.Node
	aux      string
}

// NewPlan lays out the derived network of a.
func NewPlan(a Arch) (*Plan, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	p := &Plan{Arch: a, Graph: &ir.Graph{OutputKind: ir.Logits}, params: map[string]*param{},
		dropPath: map[string]bool{}, shapes: map[string][]int{}, fixed: map[string]*ir.Tensor{}}
	var feats []string
	// The image input is always declared (ir models take the image first);
	// the metadata-only ablation simply does not read it.
	p.input(InputImage, 1, a.Size, a.Size, 3)
	if a.Modality != MetadataOnly {
		feats = append(feats, p.imageBranch())
	}
	if a.Modality != ImageOnly {
		p.input(InputMeta, 1, a.MetaDim)
		feats = append(feats, p.metaBranch())
	}
	// The fusion of search.Fusion (concat kind): concat -> Dense(hidden)-ReLU
	// -> Dense(classes); with one modality the concat is skipped.
	x := feats[0]
	if len(feats) > 1 {
		x = p.node("fusion/concat", ir.Concat, feats, ir.Attrs{Axis: -1})
		if a.Fusion == search.FusionGated {
			x = p.gate(feats[0], feats[1], x)
		}
	}
	if a.FusionHidden > 0 {
		x = p.relu("fusion/fc1/relu", p.fc("fusion/fc1", x, a.FusionHidden, ""))
	}
	p.fc("fusion/fc2", x, a.Classes, outputName)
	p.Graph.Outputs = []string{outputName}
	g, err := p.withConsts(func(name string, shape []int) ([]float32, error) {
		return make([]float32, numElements(shape)), nil
	})
	if err == nil {
		err = g.CheckModelIO()
	}
	if err != nil {
		return nil, fmt.Errorf("derived network: %w", err)
	}
	return p, nil
}

// gate is search's gated fusion: g = sigmoid(Dense(concat)) over the image
// width, h = g*img + (1-g)*Dense(meta), written as proj + g*(img - proj).
func (p *Plan) gate(img, meta, both string) string {
	ci := channels(p.shapes[img])
	g := p.node("fusion/gate/sigmoid", ir.Sigmoid, []string{p.fc("fusion/gate", both, ci, "")}, ir.Attrs{})
	proj := p.fc("fusion/proj", meta, ci, "")
	minusOne := "fusion/minus_one"
	p.fixed[minusOne] = &ir.Tensor{Shape: []int{1}, Data: []float32{-1}}
	p.shapes[minusOne] = []int{1}
	neg := p.node("fusion/neg_proj", ir.Mul, []string{proj, minusOne}, ir.Attrs{})
	diff := p.node("fusion/diff", ir.Add, []string{img, neg}, ir.Attrs{})
	return p.node("fusion/gated", ir.Add, []string{proj, p.node("fusion/gate_diff", ir.Mul, []string{g, diff}, ir.Attrs{})}, ir.Attrs{})
}

func (p *Plan) input(name string, shape ...int) {
	p.Graph.Inputs = append(p.Graph.Inputs, ir.Input{Name: name, Shape: shape})
	p.shapes[name] = shape
}

// node appends a node whose output is named out (or a fresh name).
func (p *Plan) node(out string, op ir.Op, in []string, attrs ir.Attrs) string {
	if _, taken := p.shapes[out]; taken || out == "" {
		p.seq++
		out = fmt.Sprintf("%s#%d", out, p.seq)
	}
	n := &ir.Node{Name: out, Op: op, Inputs: in, Output: out, Attrs: attrs}
	p.Graph.Nodes = append(p.Graph.Nodes, n)
	p.shapes[out] = p.inferShape(n)
	return out
}

// inferShape computes a node's batch-1 output shape for the ops the plan
// emits.
func (p *Plan) inferShape(n *ir.Node) []int {
	x := p.shapes[n.Inputs[0]]
	switch n.Op {
	case ir.Conv2D, ir.DepthwiseConv2D, ir.AvgPool, ir.MaxPool:
		s := n.Attrs.Strides[0]
		c := x[3]
		if n.Op == ir.Conv2D {
			c = p.params[n.Inputs[1]].shape[0]
		}
		return []int{1, (x[1] + s - 1) / s, (x[2] + s - 1) / s, c}
	case ir.GlobalMean:
		return []int{1, x[3]}
	case ir.FullyConnected:
		return []int{1, p.params[n.Inputs[1]].shape[0]}
	case ir.Reshape:
		return append([]int(nil), n.Attrs.Shape...)
	case ir.Concat:
		out := append([]int(nil), x...)
		for _, in := range n.Inputs[1:] {
			s := p.shapes[in]
			out[len(out)-1] += s[len(s)-1]
		}
		return out
	}
	return append([]int(nil), x...)
}

func (p *Plan) addParam(name string, pr *param) string {
	p.params[name] = pr
	return name
}

func channels(shape []int) int { return shape[len(shape)-1] }

// conv is a k x k convolution without bias.
func (p *Plan) conv(name, x string, cout, k, stride, dil int) string {
	cin := channels(p.shapes[x])
	w := p.addParam(name+"/w", &param{shape: []int{cout, k, k, cin}, fanIn: k * k * cin})
	return p.node(name, ir.Conv2D, []string{x, w}, ir.Attrs{Strides: [2]int{stride, stride}, Dilations: [2]int{dil, dil}, Padding: ir.Same})
}

// dw is a k x k depthwise convolution without bias.
func (p *Plan) dw(name, x string, k, stride, dil int) string {
	c := channels(p.shapes[x])
	w := p.addParam(name+"/w", &param{shape: []int{1, k, k, c}, fanIn: k * k})
	return p.node(name, ir.DepthwiseConv2D, []string{x, w}, ir.Attrs{Strides: [2]int{stride, stride}, Dilations: [2]int{dil, dil}, Padding: ir.Same})
}

// bn is an affine batch norm; its constants are named name/{gamma,beta,mean,var}.
func (p *Plan) bn(name, x string) string {
	in := []string{x}
	for _, s := range []string{"gamma", "beta", "mean", "var"} {
		in = append(in, name+"/"+s)
	}
	return p.node(name, ir.BatchNorm, in, ir.Attrs{Eps: bnEps})
}

func (p *Plan) relu(name, x string) string { return p.node(name, ir.ReLU, []string{x}, ir.Attrs{}) }

func (p *Plan) pool(name, x string, op ir.Op, k, stride int) string {
	return p.node(name, op, []string{x}, ir.Attrs{Kernel: [2]int{k, k}, Strides: [2]int{stride, stride}, Padding: ir.Same})
}

// fc is a dense layer with bias.
func (p *Plan) fc(name, x string, out int, outName string) string {
	in := channels(p.shapes[x])
	w := p.addParam(name+"/w", &param{shape: []int{out, in}, fanIn: in})
	b := p.addParam(name+"/b", &param{shape: []int{out}, fanIn: in, bias: true})
	if outName == "" {
		outName = name
	}
	return p.node(outName, ir.FullyConnected, []string{x, w, b}, ir.Attrs{})
}

// reluConvBN is DARTS's ReLU -> conv -> BN.
func (p *Plan) reluConvBN(name, x string, cout, k, stride int) string {
	return p.bn(name+"/bn", p.conv(name+"/conv", p.relu(name+"/relu", x), cout, k, stride, 1))
}

// factorizedReduce halves the resolution: ReLU, one 2x2 stride-2 VALID conv
// whose first cout/2 outputs see only tap (0,0) and the rest only tap (1,1),
// then BN (docs/CONTRACTS.md).
func (p *Plan) factorizedReduce(name, x string, cout int) string {
	r := p.relu(name+"/relu", x)
	cin := channels(p.shapes[x])
	mask := make([]float32, cout*4*cin)
	for o := range cout {
		tap := 0 // (0,0)
		if o >= cout/2 {
			tap = 3 // (1,1)
		}
		for i := range cin {
			mask[(o*4+tap)*cin+i] = 1
		}
	}
	w := p.addParam(name+"/conv/w", &param{shape: []int{cout, 2, 2, cin}, fanIn: cin, mask: mask})
	c := p.node(name+"/conv", ir.Conv2D, []string{r, w}, ir.Attrs{Strides: [2]int{2, 2}, Padding: ir.Valid})
	return p.bn(name+"/bn", c)
}

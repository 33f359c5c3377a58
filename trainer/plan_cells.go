package trainer

import (
	"fmt"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/search"
)

// imageBranch lays out stem, cells and global pooling; it returns the
// [1, C] image feature.
func (p *Plan) imageBranch() string {
	a := p.Arch
	if a.Baseline {
		return p.plainCNN()
	}
	cCurr := a.StemMult * a.Channels
	stem := p.bn("stem/bn", p.conv("stem/conv", InputImage, cCurr, 3, 1, 1))
	s0, s1 := stem, stem
	c := a.Channels
	reductionPrev := false
	for i := range a.Layers {
		reduction := search.IsReduction(i, a.Layers)
		if reduction {
			c *= 2
		}
		name := fmt.Sprintf("cell%d", i)
		out := p.cell(name, s0, s1, c, reduction, reductionPrev)
		s0, s1 = s1, out
		reductionPrev = reduction
		if a.AuxWeight > 0 && i == 2*a.Layers/3 && i < a.Layers-1 {
			p.auxHead(out)
		}
	}
	return p.node("image/gap", ir.GlobalMean, []string{s1}, ir.Attrs{})
}

// plainCNN is the hand-designed baseline: a conv3x3-BN-ReLU stem and one
// conv3x3-BN-ReLU per layer, doubling channels and halving resolution where
// the cell network has its reduction cells.
func (p *Plan) plainCNN() string {
	a := p.Arch
	x := p.relu("stem/relu", p.bn("stem/bn", p.conv("stem/conv", InputImage, a.StemMult*a.Channels, 3, 1, 1)))
	c := a.Channels
	for i := range a.Layers {
		stride := 1
		if search.IsReduction(i, a.Layers) {
			c, stride = 2*c, 2
		}
		name := fmt.Sprintf("layer%d", i)
		x = p.relu(name+"/relu", p.bn(name+"/bn", p.conv(name+"/conv", x, c, 3, stride, 1)))
	}
	return p.node("image/gap", ir.GlobalMean, []string{x}, ir.Attrs{})
}

// auxHead lays out the training-only auxiliary classifier on x: ReLU,
// global average pooling, dense to the classes (DARTS's auxiliary head,
// simplified so it fits any input size). Its nodes and params stay out of
// the exported graph.
func (p *Plan) auxHead(x string) {
	main := p.Graph.Nodes
	p.Graph.Nodes = nil
	r := p.relu("aux/relu", x)
	gap := p.node("aux/gap", ir.GlobalMean, []string{r}, ir.Attrs{})
	p.aux = p.fc("aux/fc", gap, p.Arch.Classes, "aux/logits")
	p.auxNodes = p.Graph.Nodes
	p.Graph.Nodes = main
	for _, n := range p.auxNodes {
		for _, in := range n.Inputs {
			if pr, ok := p.params[in]; ok {
				pr.aux = true
			}
		}
	}
}

// cell lays out one derived cell with c channels per node.
func (p *Plan) cell(name, s0, s1 string, c int, reduction, reductionPrev bool) string {
	spec := p.Arch.Cells.Normal
	if reduction {
		spec = p.Arch.Cells.Reduce
	}
	if reductionPrev {
		s0 = p.factorizedReduce(name+"/pre0", s0, c)
	} else {
		s0 = p.reluConvBN(name+"/pre0", s0, c, 1, 1)
	}
	s1 = p.reluConvBN(name+"/pre1", s1, c, 1, 1)
	states := []string{s0, s1}
	for i := range p.Arch.Cells.Nodes {
		edges := spec.NodeEdges(i)
		if len(edges) == 0 { // unused node (Validate checked)
			states = append(states, "")
			continue
		}
		var sum string
		for j, e := range edges {
			stride := 1
			if reduction && e.Input < 2 {
				stride = 2
			}
			y := p.op(fmt.Sprintf("%s/n%d/e%d_%s", name, i, j, e.Op), e.Op, states[e.Input], c, stride)
			if y != states[e.Input] {
				p.dropPath[y] = true
			}
			if sum == "" {
				sum = y
			} else {
				sum = p.node(fmt.Sprintf("%s/n%d/sum%d", name, i, j), ir.Add, []string{sum, y}, ir.Attrs{})
			}
		}
		states = append(states, sum)
	}
	var cat []string
	for _, s := range spec.Concat {
		cat = append(cat, states[s])
	}
	if len(cat) == 1 {
		return cat[0]
	}
	return p.node(name+"/out", ir.Concat, cat, ir.Attrs{Axis: -1})
}

// op lays out one registered op (search.Registry) on x with c channels.
func (p *Plan) op(name, op, x string, c, stride int) string {
	spec, _ := search.LookupOp(op) // Validate rejected unknown ops
	k, dil := spec.Kernel, spec.Dilation
	switch spec.Kind {
	case search.KindSkip:
		if stride == 1 {
			return x
		}
		return p.factorizedReduce(name, x, c)
	case search.KindMaxPool:
		return p.pool(name, x, ir.MaxPool, k, stride)
	case search.KindAvgPool:
		return p.pool(name, x, ir.AvgPool, k, stride)
	case search.KindSepConv:
		y := p.dw(name+"/dw1", p.relu(name+"/relu1", x), k, stride, dil)
		y = p.bn(name+"/bn1", p.conv(name+"/pw1", y, c, 1, 1, 1))
		y = p.dw(name+"/dw2", p.relu(name+"/relu2", y), k, 1, dil)
		return p.bn(name+"/bn2", p.conv(name+"/pw2", y, c, 1, 1, 1))
	case search.KindDilConv:
		y := p.dw(name+"/dw", p.relu(name+"/relu", x), k, stride, dil)
		return p.bn(name+"/bn", p.conv(name+"/pw", y, c, 1, 1, 1))
	case search.KindConv1x1:
		return p.reluConvBN(name, x, c, 1, stride)
	case search.KindSqueezeExcite:
		if stride != 1 {
			x = p.factorizedReduce(name+"/reduce", x, c)
		}
		return p.squeezeExcite(name, x, 4)
	}
	panic("trainer: op kind " + string(spec.Kind) + " of " + op + " has no layout")
}

// squeezeExcite rescales channels: global mean -> FC(C/ratio) -> ReLU ->
// FC(C) -> sigmoid -> channel-wise scale of x (as search.SqueezeExcite).
func (p *Plan) squeezeExcite(name, x string, ratio int) string {
	c := channels(p.shapes[x])
	s := p.node(name+"/gap", ir.GlobalMean, []string{x}, ir.Attrs{})
	s = p.relu(name+"/fc1/relu", p.fc(name+"/fc1", s, max(c/ratio, 1), ""))
	s = p.node(name+"/sigmoid", ir.Sigmoid, []string{p.fc(name+"/fc2", s, c, "")}, ir.Attrs{})
	s = p.node(name+"/scale", ir.Reshape, []string{s}, ir.Attrs{Shape: []int{1, 1, 1, c}})
	return p.node(name+"/mul", ir.Mul, []string{x, s}, ir.Attrs{})
}

// metaBranch lays out the metadata MLP of search.MetadataBranch:
// Dense(hidden)-ReLU-Dense(hidden)-ReLU.
func (p *Plan) metaBranch() string {
	h := p.Arch.MetaHidden
	x := InputMeta
	for i := range 2 {
		name := fmt.Sprintf("meta/fc%d", i+1)
		x = p.relu(name+"/relu", p.fc(name, x, h, ""))
	}
	return x
}

package trainer

import (
	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/search"
)

// NumParams is the number of trainable parameters of the derived net as
// exported: conv, depthwise and dense weights (the masked-out taps of a
// factorised reduce not counted), biases, and batch-norm scales and shifts.
// The training-only auxiliary head is left out.
func (p *Plan) NumParams() int64 {
	var n int64
	for _, pr := range p.params {
		switch {
		case pr.aux:
		case pr.mask != nil:
			for _, m := range pr.mask {
				if m != 0 {
					n++
				}
			}
		default:
			n += int64(numElements(pr.shape))
		}
	}
	for _, node := range p.Graph.Nodes {
		if node.Op == ir.BatchNorm {
			n += 2 * int64(channels(p.shapes[node.Output]))
		}
	}
	return n
}

// SearchArch is the derived net of cells at a search's settings (net, image
// side size): the network whose parameter count genotype.json records.
func SearchArch(net search.NetConfig, size int, cells search.Cells) Arch {
	net = net.WithDefaults()
	m := Fusion
	if net.MetaDim == 0 {
		m = ImageOnly
	}
	return Arch{Cells: cells, Layers: net.Cells, Channels: net.Channels, StemMult: net.StemMultiplier,
		Size: size, MetaDim: net.MetaDim, MetaHidden: net.MetaHidden, FusionHidden: net.FusionHidden,
		Fusion: net.Fusion, Classes: net.Classes, Modality: m}
}

// GenotypeParams returns a counter for search.RunConfig.Params: the
// trainable parameters of a genotype's derived net at the search's settings.
func GenotypeParams(net search.NetConfig, size int) func(*search.Genotype) (int64, error) {
	return func(g *search.Genotype) (int64, error) {
		p, err := NewPlan(SearchArch(net, size, g.Cells()))
		if err != nil {
			return 0, err
		}
		return p.NumParams(), nil
	}
}

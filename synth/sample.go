package synth

import (
	"fmt"
	"image"
	"math/rand/v2"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/metadata"
)

// Sample draws one dataset-style specimen of species id, exactly as
// Generate would for a train row: a cropped image with the given short
// side (256 for the published size) and its full BIOSCAN-5M row (all 23
// columns, including the labels, region and size columns) as a
// metadata.Row. All randomness comes from r.
func (c *Catalog) Sample(id int, r *rand.Rand, shortSide int) (*image.RGBA, metadata.Row, error) {
	if id < 0 || id >= len(c.Species) {
		return nil, nil, fmt.Errorf("synth: species id %d out of range [0, %d)", id, len(c.Species))
	}
	if shortSide < 16 || shortSide > 4096 {
		return nil, nil, fmt.Errorf("synth: short side %d out of range [16, 4096]", shortSide)
	}
	rw := row{species: id, split: dataset.SplitTrain, seed: r.Uint64(), index: r.IntN(1 << 20)}
	rw.plan(c, &Options{Size: shortSide})
	img := renderCrop(rand.New(rand.NewPCG(rw.seed, 0x1a9e)), &c.Species[id], rw.pose, rw.geom)
	rec := rw.record(c, rw.barcode(c))
	md := metadata.Row{}
	for i, col := range dataset.BIOSCANColumns {
		md[col] = rec[i]
	}
	return img, md, nil
}

package ir_test

import (
	"fmt"
	"os"

	"github.com/trapnet/trapnet/ir"
)

// Build a tiny two-input graph, save it as a model directory, load it back
// and run it on a batch of two.
func Example() {
	b := ir.NewBuilder()
	img := b.Input("image", 1, 2, 2, 3)
	meta := b.Input("metadata", 1, 2)
	// 1x1 conv summing the RGB channels, then the spatial mean.
	x := b.Conv2D("sum", img, &ir.Tensor{Shape: []int{1, 1, 1, 3}, Data: []float32{1, 1, 1}}, nil, ir.Attrs{})
	x = b.Node(ir.GlobalMean, "gap", ir.Attrs{}, x)
	m := b.FullyConnected("meta", meta, &ir.Tensor{Shape: []int{1, 2}, Data: []float32{1, -1}}, nil)
	y := b.Node(ir.Concat, "logits", ir.Attrs{Axis: -1}, x, m)
	g, err := b.Graph(ir.Logits, y)
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "ir-example")
	defer os.RemoveAll(dir)
	if err := ir.Save(g, dir); err != nil {
		fmt.Println(err)
		return
	}
	g, err = ir.Load(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	images := ir.NewTensor(2, 2, 2, 3)
	for i := range images.Data {
		images.Data[i] = float32(i % 3) // each pixel sums to 3
	}
	out, err := g.Run(images, &ir.Tensor{Shape: []int{2, 2}, Data: []float32{5, 1, 0, 2}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out[0].Shape, out[0].Data)
	// Output: [2 2] [3 4 3 -2]
}

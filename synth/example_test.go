package synth_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/synth"
)

// Generate a tiny BIOSCAN-layout dataset.
func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "synth-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	o := synth.DefaultOptions()
	o.Dir, o.Species, o.Images, o.Imbalance, o.Size = dir, 4, 60, 2, 32
	sum, err := synth.Generate(context.Background(), o)
	if err != nil {
		panic(err)
	}
	fmt.Println(sum.Rows, "rows,", sum.Species, "species, imbalance", sum.ImbalanceRatio)
	for _, s := range dataset.Splits {
		fmt.Printf("%s=%d ", s, sum.Splits[s])
	}
	fmt.Println()
	// Output:
	// 60 rows, 4 species, imbalance 2
	// pretrain=3 train=36 val=8 test=8 key_unseen=2 val_unseen=1 test_unseen=1 other_heldout=1
}

// Draw one specimen of a catalog species with its BIOSCAN metadata row.
func ExampleCatalog_Sample() {
	cat, err := synth.NewCatalog(1, 6, 1)
	if err != nil {
		panic(err)
	}
	img, row, err := cat.Sample(0, rand.New(rand.NewPCG(1, 2)), 64)
	if err != nil {
		panic(err)
	}
	fmt.Println(min(img.Bounds().Dx(), img.Bounds().Dy()), row["species"] == cat.Species[0].Name, row["split"])
	// Output: 64 true train
}

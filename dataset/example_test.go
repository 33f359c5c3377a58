package dataset_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/preprocess"
)

// Example shows the usual flow: open BIOSCAN-5M at genus rank, fit the
// metadata schema on train, split train 50/50 for the architecture search,
// and stream class-balanced, augmented batches.
func Example() {
	d, err := dataset.OpenBIOSCAN("/data/bioscan5m", dataset.Options{Rank: dataset.RankGenus, MinPerClass: 10})
	if err != nil {
		log.Fatal(err) // only a missing/unreadable metadata file or header
	}
	d.Report.WriteTo(log.Writer()) // bad rows, values, splits, unknown labels

	train := dataset.Labelled(d.Split(dataset.SplitTrain))
	schema, err := dataset.FitMetadata(train, nil) // metadata.DefaultBIOSCAN()
	if err != nil {
		log.Fatal(err)
	}
	searchTrain, searchVal := dataset.SplitFraction(train, 0.5, 1)
	_ = searchVal
	lossWeights := dataset.ClassWeights(dataset.ClassCounts(searchTrain, len(d.Classes)))
	_ = lossWeights

	l, err := dataset.NewLoader(searchTrain, schema, preprocess.Default(64), dataset.LoaderOptions{
		BatchSize: 64,
		Weights:   dataset.BalancedWeights(searchTrain, len(d.Classes), 0.5),
		Augment:   preprocess.Augment{Pad: 4, HFlip: true, VFlip: true},
		Seed:      1,
		DropLast:  true,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	for epoch := 0; epoch < 3; epoch++ {
		l.Reset(epoch)
		for {
			b, err := l.Next(context.Background())
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				log.Fatal(err)
			}
			// b.Images: b.N x 64 x 64 x 3 (NHWC), b.Meta: b.N x b.MetaDim, b.Labels.
			fmt.Println(b.N, b.MetaDim)
		}
	}
	log.Printf("%d images skipped", l.Skipped())
}

package synth

import (
	"bytes"
	"image/jpeg"
	"math/rand/v2"
	"testing"

	"github.com/trapnet/trapnet/synth/insect"
)

// BenchmarkDatasetImage measures drawing and encoding one 256-short-side
// dataset image.
func BenchmarkDatasetImage(b *testing.B) {
	cat, err := NewCatalog(1, 20, 2)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	for i := 0; b.Loop(); i++ {
		r := rand.New(rand.NewPCG(uint64(i), 1))
		sp := &cat.Species[i%len(cat.Species)]
		p := insect.RandomPose(r)
		g := planCrop(r, sp, p, sp.LengthMM, CropShortSide, false)
		img := renderCrop(r, sp, p, g)
		buf.Reset()
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
			b.Fatal(err)
		}
	}
}

package synth

import (
	"bytes"
	"context"
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

// BenchmarkFrame measures one full-size 4096x2160 trap frame, written.
func BenchmarkFrame(b *testing.B) {
	o := DefaultFrameOptions()
	o.Dir, o.Frames, o.Workers = b.TempDir(), 1, 1
	for b.Loop() {
		if _, err := GenerateFrames(context.Background(), o); err != nil {
			b.Fatal(err)
		}
	}
}

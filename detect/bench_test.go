package detect

import (
	"image"
	"image/color"
	"sort"
	"sync"
	"testing"
	"time"
)

var (
	benchOnce  sync.Once
	benchFrame testFrame
	benchJPEG  image.Image
)

// fullFrame is a 4096x2160 synthetic light-trap frame with 30 specimens at
// 10 px/mm, also as a decoded JPEG (YCbCr, what cameras deliver).
func fullFrame(b *testing.B) (testFrame, image.Image) {
	benchOnce.Do(func() {
		benchFrame = makeFrame(frameSpec{w: 4096, h: 2160, ppm: 10, specimens: 30, debris: 200, noise: 5, seed: 42})
		benchJPEG = jpegRoundTrip(b, benchFrame.img, 90)
	})
	return benchFrame, benchJPEG
}

// BenchmarkDetect4K measures Detect on a 4096x2160 frame with 30 specimens
// and reports the median wall time (p50-ms), the process CPU time per frame
// (cpu-ms; steadier than wall time on a shared machine) and recall and
// precision at IoU 0.5.
func BenchmarkDetect4K(b *testing.B) {
	f, jpg := fullFrame(b)
	for _, bc := range []struct {
		name string
		img  image.Image
	}{{"RGBA", f.img}, {"YCbCr", jpg}} {
		b.Run(bc.name, func(b *testing.B) {
			opts := DefaultOptions(f.ppm)
			var times []time.Duration
			var got []Specimen
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := processCPU()
			for b.Loop() {
				t0 := time.Now()
				var err error
				got, err = Detect(bc.img, opts)
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
			}
			b.StopTimer()
			b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(len(times)), "cpu-ms")
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			rec, prec, _ := matchScore(f.boxes, boxesOf(got), 0.5)
			b.ReportMetric(rec, "recall")
			b.ReportMetric(prec, "precision")
		})
	}
}

// BenchmarkCrop measures cutting one padded crop of a ~10 mm specimen.
func BenchmarkCrop(b *testing.B) {
	f, jpg := fullFrame(b)
	box := f.boxes[0]
	b.ReportAllocs()
	for b.Loop() {
		_ = Crop(jpg, box, 0.2)
	}
}

// BenchmarkCardMask measures finding the card on a 4K card photo's coarse
// cells (1024 x 768, a card on cloth with specks on it).
func BenchmarkCardMask(b *testing.B) {
	img, paint, card := cardOnCloth(4096, 3072)
	for k := range 400 {
		x := card.Min.X + 40 + (k*7919)%(card.Dx()-80)
		y := card.Min.Y + 40 + (k*104729)%(card.Dy()-80)
		paint(float64(x), float64(y), 6, 4, color.RGBA{60, 50, 30, 255})
	}
	py, pcb, pcr, err := downscaleYCC(img, 4)
	if err != nil {
		b.Fatal(err)
	}
	if cardMask(py, pcb, pcr) == nil {
		b.Fatal("no card")
	}
	for b.Loop() {
		cardMask(py, pcb, pcr)
	}
}

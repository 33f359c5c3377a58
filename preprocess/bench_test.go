package preprocess

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// benchJPEG is a 256x256 colourful JPEG like BIOSCAN's cropped_256 images.
func benchJPEG(b *testing.B) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for y := 0; y < 256; y++ {
		for x := 0; x < 256; x++ {
			img.Set(x, y, color.RGBA{uint8(x ^ y), uint8(x * 3), uint8(y*5 + x), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkDecodeResize256To64 measures JPEG decode + resample of a 256x256
// image to a normalised 64x64 tensor, in parallel on all CPUs (the loader's
// workers do the same); images/s is reported.
func BenchmarkDecodeResize256To64(b *testing.B) {
	data := benchJPEG(b)
	p := Default(64)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		out := make([]float32, p.Len())
		for pb.Next() {
			img, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				b.Error(err)
				return
			}
			if err := Into(out, img, p); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "images/s")
}

// BenchmarkResizeOnly256To64 measures the resample alone (YCbCr fast path).
func BenchmarkResizeOnly256To64(b *testing.B) {
	img, err := jpeg.Decode(bytes.NewReader(benchJPEG(b)))
	if err != nil {
		b.Fatal(err)
	}
	p := Default(64)
	out := make([]float32, p.Len())
	b.ReportAllocs()
	for b.Loop() {
		if err := Into(out, img, p); err != nil {
			b.Fatal(err)
		}
	}
}

package detect

import (
	"image"
	"testing"
)

// TestBinomial3: a constant plane stays constant, an impulse spreads as
// the kernel's outer product, and samples between the strided ones (an
// RGBA's other channels) are untouched.
func TestBinomial3(t *testing.T) {
	const w, h, step = 9, 7, 2
	pix := make([]byte, w*h*step)
	for i := range pix {
		pix[i] = 50
	}
	pix[(3*w+4)*step] = 50 + 160
	binomial3(pix, w, h, w*step, step)
	tap := [3]int{1, 2, 1}
	for y := range h {
		for x := range w {
			want := 50
			if dx, dy := x-4, y-3; dx >= -1 && dx <= 1 && dy >= -1 && dy <= 1 {
				want += 160 * tap[dx+1] * tap[dy+1] / 16
			}
			if got := int(pix[(y*w+x)*step]); got < want-1 || got > want+1 {
				t.Fatalf("(%d,%d) = %d, want %d within 1", x, y, got, want)
			}
			if pix[(y*w+x)*step+1] != 50 {
				t.Fatalf("(%d,%d): the sample between strides changed", x, y)
			}
		}
	}
}

// TestDenoiseKeepsLayout: a JPEG's subsampled YCbCr is smoothed plane by
// plane and keeps its layout and bounds; the source is not changed.
func TestDenoiseKeepsLayout(t *testing.T) {
	src := image.NewYCbCr(image.Rect(2, 3, 18, 15), image.YCbCrSubsampleRatio420)
	for i := range src.Y {
		src.Y[i] = uint8(i * 37)
	}
	out, err := denoise(src)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := out.(*image.YCbCr)
	if !ok || d.Rect != src.Rect || d.SubsampleRatio != src.SubsampleRatio || d.YStride != src.YStride || len(d.Cb) != len(src.Cb) {
		t.Fatalf("denoised %T %v", out, out.Bounds())
	}
	if src.Y[1] != 37 {
		t.Fatal("the source was changed")
	}
	if d.Y[1] == src.Y[1] {
		t.Error("luma not smoothed")
	}
}

// TestCardNoisy: whiteflies on a card under heavy sensor noise (about 16
// levels common to the channels, 3 each) are found on the smoothed copy
// (Frame.Noise says the noise measured): 35 of 35, against 2 on the card
// as it is. A clean card is searched as it is. (Fainter ovals, +50 in
// blue under 8 levels of noise, fall under WeakThreshold once smoothed:
// 18 found as it is, 27 smoothed.)
func TestCardNoisy(t *testing.T) {
	img, paint, _ := cardOnCloth(1400, 1000)
	want := whiteflyGrid(img, paint, image.Rect(220, 200, 1200, 850), 160, 130, 4, 2.8, [3]uint8{8, 10, 70})
	clean, err := Analyze(jpegRoundTrip(t, img, 85), DefaultOptions(8))
	if err != nil {
		t.Fatal(err)
	}
	if clean.Noise != 0 {
		t.Errorf("clean card: Noise %.1f, want 0", clean.Noise)
	}
	sensorNoise(img, 16, 3, 5)
	noisy := jpegRoundTrip(t, img, 92)
	fr, err := Analyze(noisy, DefaultOptions(8))
	if err != nil {
		t.Fatal(err)
	}
	o := DefaultOptions(8)
	o.denoised, o.farther = true, true // as it is (not smoothed; its noise's tiny pale pieces would send it to cardfar.go's second search)
	raw, err := Analyze(noisy, o)
	if err != nil {
		t.Fatal(err)
	}
	found, before := countFound(fr.Specimens, want, centredWithin(4)), countFound(raw.Specimens, want, centredWithin(4))
	t.Logf("noisy card: Noise %.1f, %d of %d whiteflies (%d detections), as it is %d (%d)", fr.Noise, found, len(want), len(fr.Specimens), before, len(raw.Specimens))
	if fr.Noise < noisyMin || found < len(want)*8/10 || found <= before {
		t.Errorf("noisy card: Noise %.1f, %d of %d whiteflies found (want 8/10, and more than the %d found as it is)", fr.Noise, found, len(want), before)
	}
}

// sensorNoise adds to each pixel of img noise common to its channels
// (about sigma common, as a sensor's luma noise) and some of each
// channel's own (sigma each): sums of uniform draws from a fixed sequence
// (seed), so the test is repeatable.
func sensorNoise(img *image.RGBA, common, each float64, seed uint32) {
	gauss := func() float64 { // about unit sigma
		s := 0.0
		for range 4 {
			seed = seed*1664525 + 1013904223
			s += float64(seed>>8) / (1 << 24)
		}
		return (s - 2) * 1.732
	}
	for i := 0; i < len(img.Pix); i += 4 {
		c := common * gauss()
		for k := range 3 {
			img.Pix[i+k] = uint8(min(255, max(0, float64(img.Pix[i+k])+c+each*gauss()+0.5)))
		}
	}
}

package detect

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// TestAreaReduce: a pixel reduced by 1.5 is the mean of the source pixels
// it covers, each by the share of it inside (the last row and column take
// what is left), read from the frame's own bounds; colour is reduced as
// luma is.
func TestAreaReduce(t *testing.T) {
	img := image.NewGray(image.Rect(7, 9, 11, 12)) // 4 x 3, not at the origin
	copy(img.Pix, []uint8{
		0, 30, 60, 90,
		120, 150, 180, 210,
		240, 240, 0, 0,
	})
	got, err := areaReduce(img, 1.5)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rect != image.Rect(0, 0, 3, 2) {
		t.Fatalf("reduced to %v, want (0,0)-(3,2)", got.Rect)
	}
	// Columns: [0,1.5) = p0 + p1/2, [1.5,3) = p1/2 + p2, [3,4) = p3 (the
	// last, cut at the frame); rows the same.
	col := func(r []float64) [3]float64 {
		return [3]float64{(r[0] + r[1]/2) / 1.5, (r[1]/2 + r[2]) / 1.5, r[3]}
	}
	r0, r1, r2 := col([]float64{0, 30, 60, 90}), col([]float64{120, 150, 180, 210}), col([]float64{240, 240, 0, 0})
	for x := range 3 {
		for y, want := range []float64{(r0[x] + r1[x]/2) / 1.5, (r1[x]/2 + r2[x]) / 1.5} {
			c := got.YCbCrAt(x, y)
			if d := float64(c.Y) - want; d > 0.5 || d < -0.5 || c.Cb != 128 || c.Cr != 128 {
				t.Errorf("pixel (%d,%d) = %v, want Y %.1f, Cb Cr 128", x, y, c, want)
			}
		}
	}
	// A saturated colour stays that colour.
	yel := image.NewRGBA(image.Rect(0, 0, 10, 7))
	for i := 0; i < len(yel.Pix); i += 4 {
		copy(yel.Pix[i:], []uint8{220, 200, 30, 255})
	}
	got, err = areaReduce(yel, 2.3)
	if err != nil {
		t.Fatal(err)
	}
	want := color.YCbCrModel.Convert(color.RGBA{220, 200, 30, 255}).(color.YCbCr)
	for y := range got.Rect.Dy() {
		for x := range got.Rect.Dx() {
			if c := got.YCbCrAt(x, y); absDiff(c.Y, want.Y) > 1 || absDiff(c.Cb, want.Cb) > 1 || absDiff(c.Cr, want.Cr) > 1 {
				t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, c, want)
			}
		}
	}
	for _, r := range []float64{1, 0.5, 0} {
		if _, err := areaReduce(img, r); err == nil {
			t.Errorf("reduced by %v without an error", r)
		}
	}
}

// TestAreaReduceIsMeanReduce: at an integer factor, areaReduce is
// meanReduce (the exact means the card's reduction uses there), to
// rounding, on a frame whose size the factor does not divide.
func TestAreaReduceIsMeanReduce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewRGBA(image.Rect(3, 1, 3+301, 1+203))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
	}
	for _, k := range []int{2, 3} {
		a, err := areaReduce(img, float64(k))
		if err != nil {
			t.Fatal(err)
		}
		m, err := meanReduce(img, k)
		if err != nil {
			t.Fatal(err)
		}
		if a.Rect != m.Rect {
			t.Fatalf("by %d: %v, meanReduce %v", k, a.Rect, m.Rect)
		}
		for i := range m.Y {
			if absDiff(a.Y[i], m.Y[i]) > 1 || absDiff(a.Cb[i], m.Cb[i]) > 1 || absDiff(a.Cr[i], m.Cr[i]) > 1 {
				t.Fatalf("by %d: pixel %d is (%d,%d,%d), meanReduce (%d,%d,%d)", k, i, a.Y[i], a.Cb[i], a.Cr[i], m.Y[i], m.Cb[i], m.Cr[i])
			}
		}
	}
}

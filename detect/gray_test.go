package detect

import (
	"image"
	"image/color"
	"testing"
)

// TestDownscaleYCCAgrees checks the fast paths against the generic
// (image.At) path on the same pixels, for frame sizes that do and do not
// divide by the cell size and for chroma subsampling ratios.
func TestDownscaleYCCAgrees(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 203, 61))
	for y := range 61 {
		for x := range 203 {
			src.SetRGBA(x, y, color.RGBA{uint8(60 + x/2), uint8(60 + 2*y), uint8(100 + (x+y)/4), 255}) // smooth, in gamut
		}
	}
	ycc := jpegRoundTrip(t, src, 95).(*image.YCbCr)
	sub := image.NewYCbCr(image.Rect(0, 0, 203, 61), image.YCbCrSubsampleRatio422)
	for y := range 61 {
		for x := range 203 {
			c := ycc.YCbCrAt(x, y)
			sub.Y[sub.YOffset(x, y)] = c.Y
			sub.Cb[sub.COffset(x, y)], sub.Cr[sub.COffset(x, y)] = c.Cb, c.Cr
		}
	}
	tests := []struct {
		name string
		img  image.Image
		tol  float32
	}{
		{"RGBA", src, 0.6},
		{"NRGBA", func() image.Image {
			n := image.NewNRGBA(src.Rect)
			copy(n.Pix, src.Pix)
			return n
		}(), 0.6},
		// The generic path goes YCbCr -> RGB -> YCbCr: up to ~2 levels off.
		{"YCbCr 4:2:0", ycc, 2},
		{"YCbCr 4:2:2", sub, 2},
		{"YCbCr sub-image at odd x", ycc.SubImage(image.Rect(3, 2, 200, 60)), 2},
	}
	for _, tc := range tests {
		for _, f := range []int{1, 2, 4, 3} {
			gy, gcb, gcr, err := downscaleYCC(generic{tc.img}, f)
			if err != nil {
				t.Fatal(err)
			}
			py, pcb, pcr, err := downscaleYCC(tc.img, f)
			if err != nil {
				t.Fatal(err)
			}
			tol := tc.tol + 0.01
			for i := range py.v {
				if d := max(abs32(py.v[i]-gy.v[i]), abs32(pcb.v[i]-gcb.v[i]), abs32(pcr.v[i]-gcr.v[i])); d > tol {
					t.Fatalf("%s f=%d cell %d: fast (%.2f %.2f %.2f) generic (%.2f %.2f %.2f)", tc.name, f, i,
						py.v[i], pcb.v[i], pcr.v[i], gy.v[i], gcb.v[i], gcr.v[i])
				}
			}
		}
	}
}

// generic hides the concrete type so downscaleYCC takes the At path.
type generic struct{ image.Image }

// TestDownscaleYCbCrExact compares the YCbCr fast path with averages of
// YCbCrAt on random planes (no RGB round trip, so exact).
func TestDownscaleYCbCrExact(t *testing.T) {
	ratios := []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio411}
	seed := uint32(1)
	rnd := func() uint8 { seed = seed*1664525 + 1013904223; return uint8(seed >> 24) }
	for _, ratio := range ratios {
		full := image.NewYCbCr(image.Rect(0, 0, 203, 61), ratio)
		for _, p := range [][]uint8{full.Y, full.Cb, full.Cr} {
			for i := range p {
				p[i] = rnd()
			}
		}
		for _, img := range []*image.YCbCr{full, full.SubImage(image.Rect(3, 2, 200, 60)).(*image.YCbCr), full.SubImage(image.Rect(4, 1, 201, 61)).(*image.YCbCr)} {
			for _, f := range []int{1, 2, 3, 4, 8} {
				py, pcb, pcr, err := downscaleYCC(img, f)
				if err != nil {
					t.Fatal(err)
				}
				b := img.Bounds()
				for cy := range py.h {
					for cx := range py.w {
						var sy, sb, sr, n float32
						for y := b.Min.Y + cy*f; y < min(b.Min.Y+cy*f+f, b.Max.Y); y++ {
							for x := b.Min.X + cx*f; x < min(b.Min.X+cx*f+f, b.Max.X); x++ {
								c := img.YCbCrAt(x, y)
								sy, sb, sr, n = sy+float32(c.Y), sb+float32(c.Cb), sr+float32(c.Cr), n+1
							}
						}
						i := cy*py.w + cx
						if max(abs32(py.v[i]-sy/n), abs32(pcb.v[i]-sb/n), abs32(pcr.v[i]-sr/n)) > 0.01 {
							t.Fatalf("%v %v f=%d cell (%d,%d): got (%.2f %.2f %.2f) want (%.2f %.2f %.2f)", ratio, b, f, cx, cy,
								py.v[i], pcb.v[i], pcr.v[i], sy/n, sb/n, sr/n)
						}
					}
				}
			}
		}
	}
}

package insect

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"
)

// TestMeasureMatchesDraw checks that the dry-run extent, scaled, is the box
// DrawSpecimen reports and that pixels inside it changed.
func TestMeasureMatchesDraw(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20; i++ {
		// Species looks as a catalog makes them: a genus template, a
		// group variant, a look-alike.
		look := RandomAppearance(r, Plans[i%len(Plans)]).Variant(r).Lookalike(r)
		a := &look
		p := RandomPose(r)
		const length = 100.0
		img := image.NewRGBA(image.Rect(0, 0, 400, 400))
		for k := range img.Pix {
			img.Pix[k] = 255
		}
		got := DrawSpecimen(img, a, p, Placement{CX: 200, CY: 200, LengthPx: length})
		x0, y0, x1, y1 := MeasureSpecimen(a, p)
		want := image.Rect(int(math.Floor(200+x0*length)), int(math.Floor(200+y0*length)), int(math.Ceil(200+x1*length)), int(math.Ceil(200+y1*length)))
		if d := max(abs(got.Min.X-want.Min.X), abs(got.Min.Y-want.Min.Y), abs(got.Max.X-want.Max.X), abs(got.Max.Y-want.Max.Y)); d > 2 {
			t.Fatalf("look %d (%s): drawn box %v, measured %v", i, a.Plan, got, want)
		}
		if (x1-x0)*length < length*0.8 && (y1-y0)*length < length*0.8 {
			t.Fatalf("look %d: extent %.0fx%.0f smaller than the body", i, (x1-x0)*length, (y1-y0)*length)
		}
		dark := 0
		for y := got.Min.Y; y < got.Max.Y; y++ {
			for x := got.Min.X; x < got.Max.X; x++ {
				if img.RGBAAt(x, y).G < 200 {
					dark++
				}
			}
		}
		if dark < int(length*length*0.05) {
			t.Fatalf("look %d: only %d drawn pixels", i, dark)
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

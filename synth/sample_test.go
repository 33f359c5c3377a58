package synth

import (
	"image"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/trapnet/trapnet/metadata"
)

func TestCatalogSample(t *testing.T) {
	cat, err := NewCatalog(5, 6, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	s := metadata.DefaultBIOSCAN()
	ft, err := metadata.NewFitter(s)
	if err != nil {
		t.Fatal(err)
	}
	var rows []metadata.Row
	for id := range cat.Species {
		img, row, err := cat.Sample(id, r, 64)
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); min(b.Dx(), b.Dy()) != 64 {
			t.Fatalf("species %d: image %v, want short side 64", id, b)
		}
		sp := cat.Species[id]
		if row["species"] != sp.Name || row["genus"] != sp.Genus || row["split"] != SplitTrain || len(row) != len(Columns) {
			t.Fatalf("species %d: row %v", id, row)
		}
		if _, err := strconv.ParseFloat(row["image_measurement_value"], 64); err != nil {
			t.Fatalf("species %d: measurement %q", id, row["image_measurement_value"])
		}
		ft.Add(row)
		rows = append(rows, row)
	}
	fitted := ft.Finish()
	for _, row := range rows {
		if _, errs := fitted.Encode(nil, row); len(errs) != 0 {
			t.Fatalf("encoding %v: %v", row, errs)
		}
	}
	for _, c := range []struct{ id, side int }{{-1, 64}, {len(cat.Species), 64}, {0, 8}} {
		if _, _, err := cat.Sample(c.id, r, c.side); err == nil {
			t.Errorf("Sample(%d, %d) did not fail", c.id, c.side)
		}
	}
}

// TestMeasureMatchesDraw checks that the dry-run extent, scaled, is the box
// DrawSpecimen reports and that pixels inside it changed.
func TestMeasureMatchesDraw(t *testing.T) {
	cat, err := NewCatalog(3, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := range cat.Species {
		a := &cat.Species[i].Appearance
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
			t.Fatalf("species %d (%s): drawn box %v, measured %v", i, a.Plan, got, want)
		}
		if (x1-x0)*length < length*0.8 && (y1-y0)*length < length*0.8 {
			t.Fatalf("species %d: extent %.0fx%.0f smaller than the body", i, (x1-x0)*length, (y1-y0)*length)
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
			t.Fatalf("species %d: only %d drawn pixels", i, dark)
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

package synth

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/trapnet/trapnet/dataset"
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
		if row["species"] != sp.Name || row["genus"] != sp.Genus || row["split"] != dataset.SplitTrain || len(row) != len(dataset.BIOSCANColumns) {
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

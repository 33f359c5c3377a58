package detect

import (
	"image"
	"math"
	"testing"
)

func TestSizeFieldsFor(t *testing.T) {
	s := Specimen{AreaPx: 400}
	tests := []struct {
		name        string
		crop, frame image.Rectangle
		out         int
		want        SizeFields
	}{
		{"normal", image.Rect(0, 0, 100, 100), image.Rect(0, 0, 1000, 500), 256,
			SizeFields{ImageMeasurementValue: 400, AreaFraction: 0.02, ScaleFactor: 100.0 / 256, FillFraction: 0.04}},
		{"zero sizes", image.Rectangle{}, image.Rectangle{}, 0, SizeFields{ImageMeasurementValue: 400}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SizeFieldsFor(s, tc.crop, tc.frame, tc.out)
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestReferenceSizeFields(t *testing.T) {
	// A 10 px/mm frame; the reference is 10x finer (100 px/mm).
	ref := Reference{Width: 1000, Height: 800, PixelsPerMM: 100, CropShortSide: 250}
	s := Specimen{AreaPx: 50}
	tests := []struct {
		name string
		crop image.Rectangle
		ppm  float64
		ref  Reference
		want SizeFields
	}{
		{"scaled", image.Rect(0, 0, 20, 20), 10, ref,
			SizeFields{ImageMeasurementValue: 5000, AreaFraction: 0.05, ScaleFactor: 0.8, FillFraction: 0.125}},
		{"area fraction capped", image.Rect(0, 0, 200, 200), 10, ref,
			SizeFields{ImageMeasurementValue: 5000, AreaFraction: 1, ScaleFactor: 8, FillFraction: 50.0 / 40000}},
		{"no frame scale", image.Rect(0, 0, 20, 20), 0, ref, SizeFields{FillFraction: 0.125}},
		{"no reference", image.Rect(0, 0, 20, 20), 10, Reference{}, SizeFields{FillFraction: 0.125}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ReferenceSizeFields(s, tc.crop, tc.ppm, tc.ref)
			if math.Abs(got.ImageMeasurementValue-tc.want.ImageMeasurementValue) > 1e-9 ||
				math.Abs(got.AreaFraction-tc.want.AreaFraction) > 1e-12 ||
				math.Abs(got.ScaleFactor-tc.want.ScaleFactor) > 1e-12 ||
				math.Abs(got.FillFraction-tc.want.FillFraction) > 1e-12 {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

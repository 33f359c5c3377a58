package detect

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// TestCardFlatScatter: a flat, ragged smear with no body (a brown zigzag 5
// px wide across 11 mm, evenly dark) is not reported. A moth as dark with
// its wings spread, as flat and as ragged but with a body 2.2 mm thick, is;
// so is a crane fly, thin and ragged but with legs of partly covered
// pixels.
func TestCardFlatScatter(t *testing.T) {
	img, paint := cardFrame(900, 600)
	smear := color.RGBA{130, 105, 30, 255}
	// the zigzag: 4 strokes, each 24 px across and 20 px down
	var zig image.Rectangle
	for k := range 4 {
		x0, y0 := 120.0+24*float64(k), 150.0+20*float64(k%2)
		x1, y1 := x0+24, 150.0+20*float64((k+1)%2)
		for s := 0.0; s <= 1; s += 0.01 {
			paint(x0+(x1-x0)*s, y0+(y1-y0)*s, 2.5, 2.5, smear)
		}
		zig = zig.Union(image.Rect(int(x0)-3, int(min(y0, y1))-3, int(x1)+3, int(max(y0, y1))+3))
	}
	moth := image.Pt(500, 200)
	for _, side := range []float64{-1, 1} { // wings: strips 1 mm wide, 5 mm out and up
		for r := 0.0; r < 40; r += 0.5 {
			paint(float64(moth.X)+side*r*0.8, float64(moth.Y)-r*0.6, 4, 4, smear)
		}
	}
	paint(float64(moth.X), float64(moth.Y), 9, 14, smear) // thorax and abdomen: 2.2 x 3.5 mm
	crane := image.Pt(700, 400)
	paint(float64(crane.X), float64(crane.Y), 2, 12, color.RGBA{90, 70, 40, 255})
	for k := range 6 { // legs: 1 px wide, 5 mm
		a := math.Pi/6 + float64(k)*math.Pi/3
		for r := 3.0; r < 40; r += 0.5 {
			paint(float64(crane.X)+r*math.Cos(a), float64(crane.Y)+r*math.Sin(a), 0.6, 0.6, color.RGBA{100, 80, 45, 255})
		}
	}
	got := detectCard(t, img)
	inBox := func(s Specimen, p image.Point) bool { return p.In(s.Box) && max(s.Box.Dx(), s.Box.Dy()) >= 40 }
	for _, s := range got {
		if s.Box.Overlaps(zig) {
			if max(s.Box.Dx(), s.Box.Dy()) >= 40 {
				t.Errorf("flat smear reported as a specimen: %v (cover %.2f, solidity %.2f, thickness %.0f of length %.0f px)", s.Box, s.CoverAreaPx/s.AreaPx, s.Solidity, s.ThicknessPx, s.LengthPx)
			}
		}
	}
	if countFound(got, []image.Point{moth}, inBox) != 1 {
		t.Errorf("moth not found: %v", boxesOf(got))
	}
	if countFound(got, []image.Point{crane}, inBox) != 1 {
		t.Errorf("crane fly not found: %v", boxesOf(got))
	}
}

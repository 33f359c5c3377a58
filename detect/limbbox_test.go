package detect

import (
	"image"
	"math"
	"testing"
)

// stroke paints the segment from (x0, y0) to (x1, y1), thick pixels wide,
// at luma l: a leg.
func stroke(x0, y0, x1, y1, thick, l float64) paint {
	return paint{func(x, y float64) bool {
		dx, dy := x1-x0, y1-y0
		t := max(0, min(1, ((x-x0)*dx+(y-y0)*dy)/(dx*dx+dy*dy)))
		return math.Hypot(x-x0-t*dx, y-y0-t*dy) <= thick/2
	}, shade(l)}
}

// ring paints the band between e and e shrunk by width on both axes: a
// wing drawn by its dark outline round a middle as pale as the sheet.
func ring(e ell, width, l float64) paint {
	in := ell{e.x, e.y, e.a - width, e.b - width, e.angle}
	return paint{func(x, y float64) bool { return e.holds(x, y) && !in.holds(x, y) }, shade(l)}
}

// TestLimbsLeftOutOfSheetBox: on a light sheet a small fly's box is its
// body without its legs, though the legs are more than a third of its
// body's thickness (../shared/realframes: two such flies, 26 x 34 px with
// their wings, reached 41 and 46 px with their legs and were reported as
// insects the annotations leave out); Extent still holds the legs. A
// moth whose wing is drawn by a dark outline as thin as those legs keeps
// the wing in its box: the outline, which meets the body at both ends,
// encloses the wing (limbBox fills the piece's holes before it trims).
func TestLimbsLeftOutOfSheetBox(t *testing.T) {
	const l = 70 // the drawn insects' luma, on a sheet of about 200
	body := ell{600, 350, 13, 4, 0}
	var fly []paint
	for _, x := range []float64{591, 600, 609} {
		for _, dir := range []float64{-1, 1} {
			fly = append(fly, stroke(x, 350, x+(x-600)*1.2, 350+dir*22, 4, l))
		}
	}
	fly = append(fly, filled(body, l))
	wing := ell{600, 350, 34, 22, 0}
	tests := []struct {
		name      string
		paint     []paint
		want      image.Rectangle // the specimen's Box, about
		extentMin int             // Extent's longest side at least
	}{
		{"leggy fly", fly, image.Rect(587, 346, 613, 354), 40},
		{"outlined wing", []paint{ring(wing, 3, l), filled(ell{600, 350, 32, 4, 0}, l)}, image.Rect(566, 328, 634, 372), 60},
	}
	for _, tc := range tests {
		got := detectAs4K(t, sheetWith(1200, 700, tc.paint...))
		wantBoxes(t, tc.name, got, []image.Rectangle{tc.want}, 0.6)
		if len(got) == 1 && max(got[0].Extent.Dx(), got[0].Extent.Dy()) < tc.extentMin {
			t.Errorf("%s: Extent %v, want %d px or more", tc.name, got[0].Extent, tc.extentMin)
		}
	}
}

// TestLimbsLeftOutOfSheetBoxAtLowResolution: the leggy fly above in a
// frame of half the resolution (5 px/mm: a 2K camera, or a 4K one twice
// as far): its body is 3-4 px thick and its legs 2, and the box is still
// the body's. The trim's bound, a third of the thickness, was 0 px for a
// body under 4 px thick, so such flies were reported with their legs
// (../shared/realframes at half the resolution: four flies 40-56 px with
// their legs, about 20 px without, on vermont's sheets).
func TestLimbsLeftOutOfSheetBoxAtLowResolution(t *testing.T) {
	const l = 70
	var fly []paint
	for _, x := range []float64{295.5, 300, 304.5} {
		for _, dir := range []float64{-1, 1} {
			fly = append(fly, stroke(x, 175, x+(x-300)*1.2, 175+dir*11, 2, l))
		}
	}
	fly = append(fly, stroke(294, 175, 306, 175, 3.5, l)) // a 16 x 3.5 px body
	o := DefaultOptions(5)
	o.WorkSize = 600 / 4
	got, err := Detect(sheetWith(600, 350, fly...), o)
	if err != nil {
		t.Fatal(err)
	}
	wantBoxes(t, "leggy fly at 5 px/mm", got, []image.Rectangle{image.Rect(292, 173, 308, 177)}, 0.5)
	if len(got) == 1 && got[0].Extent.Dy() < 20 {
		t.Errorf("Extent %v, want its legs in it (20 px or more tall)", got[0].Extent)
	}
}

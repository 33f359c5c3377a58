package detect

import (
	"image"
	"testing"
)

// paint is a shape drawn on a test sheet in one colour.
type paint struct {
	in  func(x, y float64) bool
	rgb [3]uint8
}

// shade is the drawn insects' brown at luma l ((70, 60, 50) at 70).
func shade(l float64) [3]uint8 { return [3]uint8{uint8(l), uint8(l * 6 / 7), uint8(l * 5 / 7)} }

func filled(e ell, luma float64) paint { return paint{e.holds, shade(luma)} }

// sheetWith draws ps, later over earlier, on a w x h light sheet with a
// fine texture, as TestDetectSplitsEvenlyDarkPair's.
func sheetWith(w, h int, ps ...paint) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		n := uint8(i / 4 * 7919 % 13)
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = 200+n, 198+n, 192+n, 255
	}
	for y := range h {
		for x := range w {
			for _, p := range ps {
				if p.in(float64(x)+0.5, float64(y)+0.5) {
					i := (y*w + x) * 4
					img.Pix[i], img.Pix[i+1], img.Pix[i+2] = p.rgb[0], p.rgb[1], p.rgb[2]
				}
			}
		}
	}
	return img
}

// TestSplitAtLimbs: two slender insects lying side by side a few pixels
// apart are one component at the working resolution (cells of 4 x 4 px,
// as on a 4K sheet), with no core, pale part or notch to part them; at
// full resolution the sheet shows between them (limbs.go). A moth whose
// outline encloses its pale bands stays whole (it falls into three
// without its holes filled).
func TestSplitAtLimbs(t *testing.T) {
	tests := []struct {
		name  string
		paint []paint
		want  []image.Rectangle
	}{
		{"side by side, 3 px apart", []paint{filled(ell{300, 300, 60, 20, 0}, 70), filled(ell{305, 343, 60, 20, 0}, 70)},
			[]image.Rectangle{image.Rect(240, 280, 360, 320), image.Rect(245, 323, 365, 363)}},
		{"side by side, 2 px apart, one paler", []paint{filled(ell{300, 300, 60, 20, 0}, 70), filled(ell{305, 342, 60, 20, 0}, 140)},
			[]image.Rectangle{image.Rect(240, 280, 360, 320), image.Rect(245, 322, 365, 362)}},
		{"pale bands inside the outline", []paint{filled(ell{300, 300, 80, 40, 0}, 70), filled(ell{280, 300, 5, 34, 0}, 205), filled(ell{320, 300, 5, 34, 0}, 205)},
			[]image.Rectangle{image.Rect(220, 260, 380, 340)}},
	}
	for _, tc := range tests {
		wantBoxes(t, tc.name, detectAs4K(t, sheetWith(1200, 700, tc.paint...)), tc.want, 0.8)
	}
}

// detectAs4K runs Detect at 10 px/mm on working cells of 4 x 4 px, as on
// a 4K frame.
func detectAs4K(t *testing.T, img image.Image) []Specimen {
	t.Helper()
	o := DefaultOptions(10)
	o.WorkSize = img.Bounds().Dx() / 4
	got, err := Detect(img, o)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// wantBoxes reports name's error unless got holds one specimen per box of
// want, in order, each overlapping it by minIoU or more.
func wantBoxes(t *testing.T, name string, got []Specimen, want []image.Rectangle, minIoU float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: specimens %v, want %v", name, boxesOf(got), want)
		return
	}
	for i, s := range got {
		if IoU(s.Box, want[i]) < minIoU {
			t.Errorf("%s: specimen %d %v, want about %v", name, i, s.Box, want[i])
		}
	}
}

// TestFillHoles: the pixels no off path joins to the border are set.
func TestFillHoles(t *testing.T) {
	m := []bool{
		false, true, true, true, false,
		false, true, false, true, false,
		false, true, true, true, false,
		false, true, false, false, false,
		false, true, false, true, false,
	}
	fillHoles(m, 5, 5)
	for i, want := range []bool{
		false, true, true, true, false,
		false, true, true, true, false,
		false, true, true, true, false,
		false, true, false, false, false,
		false, true, false, true, false,
	} {
		if m[i] != want {
			t.Errorf("pixel (%d,%d) = %v, want %v", i%5, i/5, m[i], want)
		}
	}
}

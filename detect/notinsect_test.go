package detect

import (
	"image"
	"image/color"
	"testing"
)

// TestFastenerNeedsSizeAndDarkness: a dark disc the size of a sheet's
// grommet or a card's punched hole is not a specimen; a round beetle of a
// few mm, as dark, is (a pale disc of any size too: TestCardPaleDiscIsInsect).
// Before the size and darkness floors every disc 16 px or more
// across and darker than the background was dropped: 10 small round
// insects on ../shared/realframes/sticky and one on a vermont sheet.
func TestFastenerNeedsSizeAndDarkness(t *testing.T) {
	const ppm = 10.0
	for _, tc := range []struct {
		name     string
		radiusMM float64
		grey     uint8 // on a 220 background
		kept     bool
	}{
		{"grommet, 10 mm, black", 5, 30, false},
		{"punched hole, 6 mm, 0.45 dark", 3, 121, false},
		{"round beetle, 2.5 mm, 0.5 dark", 1.25, 110, true},
		{"round beetle, 3 mm, black", 1.5, 40, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := image.NewGray(image.Rect(0, 0, 600, 400))
			r := tc.radiusMM * ppm
			for y := range 400 {
				for x := range 600 {
					g := uint8(220)
					if dx, dy := float64(x)+0.5-300, float64(y)+0.5-200; dx*dx+dy*dy <= r*r {
						g = tc.grey
					}
					img.SetGray(x, y, color.Gray{Y: g})
				}
			}
			got, err := Detect(img, DefaultOptions(ppm))
			if err != nil {
				t.Fatal(err)
			}
			kept := countFound(got, []image.Point{{300, 200}}, centredWithin(2)) == 1
			if kept != tc.kept {
				t.Errorf("kept = %v, want %v (found %v)", kept, tc.kept, boxesOf(got))
			}
		})
	}
}

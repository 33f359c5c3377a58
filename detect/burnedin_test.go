package detect

import (
	"image"
	"testing"

	"github.com/trapnet/trapnet/detect/internal/burnin"
)

// burnIn prints lines onto img as a trap camera does (burnin.Text) and
// returns the text's box.
func burnIn(t *testing.T, img *image.RGBA, x, y int, size float64, lines ...string) image.Rectangle {
	t.Helper()
	r, err := burnin.Text(img, x, y, size, lines...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestBurnedInTextNotSpecimens: a camera's date and time burned into the
// frame's corners in glyphs 16-48 px high (white, outlined in black) are
// no specimens; a dark moth resting by the frame's edge below the text, a
// moth banded black and white in the middle of the frame (white beside
// black, as in the glyphs, but away from the edges) are. (A beetle banded
// white by the frame's edge is kept by osdHugging: synth/trap's, in
// TestDetectSynthGroundTruth's clipped sheet.)
func TestBurnedInTextNotSpecimens(t *testing.T) {
	for _, size := range []float64{16, 24, 32, 48} {
		moth := ell{300, 840, 45, 22, 0}
		var bands []paint
		for k := -2; k <= 2; k++ {
			x := 800 + 14*float64(k)
			bands = append(bands, paint{func(px, py float64) bool {
				return px >= x-3 && px < x+3 && (ell{800, 450, 40, 25, 0}).holds(px, py)
			}, [3]uint8{250, 250, 250}})
		}
		img := sheetWith(1600, 900, append([]paint{filled(moth, 60), {ell{800, 450, 40, 25, 0}.holds, [3]uint8{15, 15, 15}}}, bands...)...)
		texts := []image.Rectangle{
			burnIn(t, img, 1600-int(7*size)-4, 900-int(2.1*size)-2, size, "2022-07-28", "23:22:39"),
			burnIn(t, img, 2, 2, size, "TRAP-07", "CAM 2"),
		}
		got := detectAs4K(t, img)
		for _, s := range got {
			for _, r := range texts {
				if s.Box.Overlaps(r) {
					t.Errorf("%v px glyphs: specimen %v on the text at %v", size, s.Box, r)
				}
			}
		}
		for _, want := range []image.Rectangle{image.Rect(255, 818, 345, 862), image.Rect(760, 425, 840, 475)} {
			found := false
			for _, s := range got {
				found = found || IoU(s.Box, want) >= 0.5
			}
			if !found {
				t.Errorf("%v px glyphs: no specimen at %v (got %v)", size, want, boxesOf(got))
			}
		}
	}
}

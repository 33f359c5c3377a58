package realeval

import (
	"fmt"
	"image"
	"testing"

	"github.com/trapnet/trapnet/camera"
)

// TestRealInsectsCloseUp: each light-sheet insect of 60 px or more cropped
// out of its frame with a margin (a quarter, then a tenth of its longest
// side) is found in the crop by the agent's detector at the frame's scale,
// as in a photo of one insect, or a frame cropped by whoever sent it. A
// brown or orange moth filling a sixth or more of such a crop was taken
// for a sticky card and nothing was found (detect's cardMinMM2): 103 and
// 86 of 137 found before, 124 and 121 since; a moth filling the crop spanned
// many of the background's blocks, which were a share of the frame, and
// leaked into the background (detect's sheetBlockMM): 131 and 129 since
// (thirty-fifth session).
func TestRealInsectsCloseUp(t *testing.T) {
	sheets := realFramesWhere(t, "light-sheet", func(f Frame) bool { return !f.Sticky && !NotSheet[f.Trap] })
	for _, tc := range []struct {
		margin, want float64
	}{{0.25, 0.92}, {0.1, 0.9}} {
		found, n := 0, 0
		for _, f := range sheets {
			img, err := camera.DecodeFile(f.Path, 0)
			if err != nil {
				t.Fatal(err)
			}
			sub, ok := img.(interface {
				SubImage(image.Rectangle) image.Image
			})
			if !ok {
				t.Fatal(fmt.Errorf("%s: %T has no SubImage", f.Path, img))
			}
			for _, b := range f.Ann.Insects() {
				if LongestSide(b) < 60 {
					continue
				}
				m := int(tc.margin * float64(LongestSide(b)))
				boxes, err := DetectBoxes(f, sub.SubImage(b.Inset(-m).Intersect(img.Bounds())))
				if err != nil {
					t.Fatal(err)
				}
				n++
				for _, d := range boxes {
					if Matches(d, b) {
						found++
						break
					}
				}
			}
		}
		share := float64(found) / float64(max(n, 1))
		t.Logf("margin %.2f of the insect's size: %d of %d found (%.3f)", tc.margin, found, n, share)
		if share < tc.want {
			t.Errorf("insects cropped with a margin of %.2f of their size: %d of %d found (%.3f), want %.2f or more", tc.margin, found, n, share, tc.want)
		}
	}
}

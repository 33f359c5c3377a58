package realeval

import (
	"image"
	"testing"

	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/detect"
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
			img, sub := cuttable(t, f)
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
				found += countMatched(boxes, []image.Rectangle{b})
			}
		}
		share := float64(found) / float64(max(n, 1))
		t.Logf("margin %.2f of the insect's size: %d of %d found (%.3f)", tc.margin, found, n, share)
		if share < tc.want {
			t.Errorf("insects cropped with a margin of %.2f of their size: %d of %d found (%.3f), want %.2f or more", tc.margin, found, n, share, tc.want)
		}
	}
}

// TestRealCardPiecesStayCards: the sticky cards cut into windows of 256 px
// (32 mm at their 8 px/mm, under detect's cardMinMM2) are still searched
// as cards with the agent's default surface (auto), as a close photo of
// part of a card would be: whitefly recall within 0.01 of the windows
// searched as sticky traps (0.263 against 0.834 while any card-coloured
// region so small was taken for an insect close up; 0.833 since
// detect's cardCloseUpShare, thirty-fifth session).
func TestRealCardPiecesStayCards(t *testing.T) {
	cards := realFramesWhere(t, "sticky", func(f Frame) bool { return f.Sticky })
	const size = 256
	var n, auto, sticky int
	for _, f := range cards {
		img, sub := cuttable(t, f)
		b := img.Bounds()
		for y := b.Min.Y; y+size <= b.Max.Y; y += size {
			for x := b.Min.X; x+size <= b.Max.X; x += size {
				w := image.Rect(x, y, x+size, y+size)
				var in []image.Rectangle
				for _, a := range f.Ann.Insects() {
					if a.In(w) {
						in = append(in, a)
					}
				}
				if len(in) == 0 {
					continue
				}
				found := func(trap string) int {
					o := f.Options(1)
					o.Trap = trap
					boxes, err := detectWith(sub.SubImage(w), o)
					if err != nil {
						t.Fatal(err)
					}
					return countMatched(boxes, in)
				}
				n += len(in)
				auto += found(detect.TrapAuto)
				sticky += found(detect.TrapSticky)
			}
		}
	}
	ra, rs := float64(auto)/float64(max(n, 1)), float64(sticky)/float64(max(n, 1))
	t.Logf("cards in windows of %d px: %d whiteflies, recall %.3f searched with the default surface, %.3f as sticky traps", size, n, ra, rs)
	if ra < rs-0.01 {
		t.Errorf("cards in windows of %d px: whitefly recall %.3f with the default surface, want within 0.01 of %.3f (as sticky traps)", size, ra, rs)
	}
}

// subImager is an image a part can be cut from.
type subImager interface {
	SubImage(image.Rectangle) image.Image
}

// cuttable decodes f's image, which must be a subImager.
func cuttable(t *testing.T, f Frame) (image.Image, subImager) {
	t.Helper()
	img, err := camera.DecodeFile(f.Path, 0)
	if err != nil {
		t.Fatal(err)
	}
	sub, ok := img.(subImager)
	if !ok {
		t.Fatalf("%s: %T has no SubImage", f.Path, img)
	}
	return img, sub
}

// countMatched counts the boxes of want that some detection Matches.
func countMatched(dets, want []image.Rectangle) int {
	n := 0
	for _, a := range want {
		for _, d := range dets {
			if Matches(d, a) {
				n++
				break
			}
		}
	}
	return n
}

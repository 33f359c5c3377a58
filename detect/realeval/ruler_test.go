package realeval

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/detect"
	"github.com/trapnet/trapnet/synth/trap"
)

// TestRealFramesWithRuler: a millimetre ruler laid on the real sheets and
// cards (wooden on sheets, white on cards, turned a different way on each
// frame, drawn at the frame's scale) gives the frame's scale to 1 % though
// the configured scale is 25 % off, and no part of it is reported as a
// specimen (before, a wooden ruler on a sheet came out as one specimen of
// 1 568 px and a white one on a card as two of 500-650 px); the annotated
// insects off it are found as on the frame without it (to 2 %). On every
// sheet; on the cards as measured: the ruler is seen on 5 of the 6 (on
// two a white ruler on the glossy card is cut into pieces of fewer than
// rulerMinTicks ticks each: seen on neither until the pieces were searched
// together on 2026-12-05, on one since), and none of it is reported (8
// digits of 20-25 px on two cards were, until the ruler's direction was
// taken from its base line and its ends grown over its ticks beside shade
// and glare). On all 18 cards (a third are run here, for time): seen on
// 17, one piece reported (until then: seen on 14, 61 pieces reported).
//
// Since a card's background reads no surround brighter than the card
// (detect/background.go, surroundNoBrighter; a card on a white table lost
// its edge's whiteflies), the ruler is seen on 16 of the 18 cards and on 4
// of the 6 here, with 3 pieces reported: on 20231212_153219 the card's
// colour mask leaves the white ruler out (a band of shade joins it to the
// surround), and it had been found by the card's cells around it, which
// read as dark beside its white only while the white raised their
// background; on 20231209_162100 (not seen before either) a digit of 24 px
// is reported.
//
// The configured scale 25 % too fine, a card whose whiteflies measure
// under it may be searched again at their scale (detect/cardfar.go): as
// taken 20231209_162100 and 20231219_175301 are (scale source
// "whiteflies"); with the ruler in view, its scale stands.
func TestRealFramesWithRuler(t *testing.T) {
	frames := realFramesWhere(t, "sheet or card", func(f Frame) bool { return !NotSheet[f.Trap] || f.Sticky })
	report := func(card bool, format string, args ...any) {
		if card {
			t.Logf(format, args...) // counted against the cards' floors below
		} else {
			t.Errorf(format, args...)
		}
	}
	var off, foundBefore, foundAfter int
	var cards, cardsSeen, cardParts int
	for k, f := range frames {
		if f.Sticky && k%3 != 0 {
			continue // a third of the cards: 20 s less
		}
		img, err := camera.DecodeFile(f.Path, 0)
		if err != nil {
			t.Fatal(err)
		}
		b, rgba := img.Bounds(), toRGBA(img)
		ppm := f.Scale()
		ang := float64(k*37%180) * math.Pi / 180
		body := color.NRGBA{200, 165, 115, 255}
		if f.Sticky {
			body = color.NRGBA{246, 246, 242, 255}
		}
		// 100 mm of ticks turned by ang about the ruler's middle: a card's
		// centre (so that it lies on the card), three quarters down a
		// sheet (clear of vermont's checkerboard).
		mid := image.Pt((b.Min.X+b.Max.X)/2, b.Min.Y+b.Dy()*3/4)
		if f.Sticky {
			mid.Y = (b.Min.Y + b.Max.Y) / 2
		}
		ux, uy := math.Cos(ang), math.Sin(ang)
		half, across := 55*ppm, 12.5*ppm
		r := trap.Ruler{X: float64(mid.X) - half*ux + across*uy, Y: float64(mid.Y) - half*uy - across*ux, Angle: ang, PixelsPerMM: ppm, LengthMM: 100}
		if err := trap.DrawRuler(rgba, r, body); err != nil {
			t.Fatal(err)
		}
		o := detect.DefaultOptions(ppm * 1.25)
		before, err := detect.Analyze(img, o)
		if err != nil {
			t.Fatal(err)
		}
		after, err := detect.Analyze(rgba, o)
		if err != nil {
			t.Fatal(err)
		}
		seen := after.ScaleSource == "ruler" && math.Abs(after.PixelsPerMM/ppm-1) <= 0.01
		if f.Sticky {
			cards++
			if seen {
				cardsSeen++
			}
		}
		if !seen {
			report(f.Sticky, "%s: scale %.3f px/mm from %q, want %.1f from the ruler", f.Path, after.PixelsPerMM, after.ScaleSource, ppm)
		}
		if before.ScaleSource != "config" && (!f.Sticky || before.ScaleSource != "whiteflies") {
			t.Errorf("%s as taken: scale from %q (%+v), want the configured one (or on a card its whiteflies')", f.Path, before.ScaleSource, before.Rulers)
		}
		for _, s := range after.Specimens {
			if r.OnBody(s.CenterX, s.CenterY) && LongestSide(s.Box) >= 20 {
				if f.Sticky {
					cardParts++
				}
				report(f.Sticky, "%s: part of the ruler reported as a specimen: %v", f.Path, s.Box)
			}
		}
		onRuler := func(box image.Rectangle) bool {
			for _, p := range [5][2]int{{box.Min.X, box.Min.Y}, {box.Max.X, box.Min.Y}, {box.Min.X, box.Max.Y}, {box.Max.X, box.Max.Y}, {(box.Min.X + box.Max.X) / 2, (box.Min.Y + box.Max.Y) / 2}} {
				if r.OnBody(float64(p[0]), float64(p[1])) {
					return true
				}
			}
			return false
		}
		sb, sa := scoreOff(f, onRuler, before.Specimens, after.Specimens)
		off += sb.Annotated
		foundBefore += sb.Found
		foundAfter += sa.Found
	}
	t.Logf("annotated insects off the rulers: %d; found without a ruler %d, with one %d", off, foundBefore, foundAfter)
	t.Logf("cards: the ruler seen on %d of %d, %d pieces of it reported", cardsSeen, cards, cardParts)
	if cardsSeen < cards*4/6 || cardParts > 3 {
		t.Errorf("cards: the ruler seen on %d of %d (floor 4/6), %d pieces of it reported (at most 3)", cardsSeen, cards, cardParts)
	}
	if foundAfter < foundBefore-off/50 {
		t.Errorf("with a ruler in view %d of the %d insects off it are found, without %d", foundAfter, off, foundBefore)
	}
}

// scoreOff scores what was found on f before and after something was drawn
// on it, on the annotated objects off the drawing (on says whether a box
// lies on it).
func scoreOff(f Frame, on func(image.Rectangle) bool, before, after []detect.Specimen) (sb, sa Score) {
	ann := f.Ann
	ann.Objects = nil
	for _, ob := range f.Ann.Objects {
		if !on(ob.Rect()) {
			ann.Objects = append(ann.Objects, ob)
		}
	}
	return ScoreFrame(ann, specimenBoxes(before), f.Sticky), ScoreFrame(ann, specimenBoxes(after), f.Sticky)
}

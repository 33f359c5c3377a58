package detect

import (
	"fmt"
	"testing"
)

// TestCardFartherThanConfigured: whitefly-like ovals on a card on cloth,
// searched told 8 px/mm. Drawn 9 x 6 px (a whitefly at about 8 px/mm) the
// scale stands; drawn half that, or smaller, or fainter, as on a card
// photographed from twice the distance or more, the card's pale pieces say
// it is coarser (cardfar.go), it is searched again at their scale and the
// frame says so. Searched only as told (the second search off) none of the
// small ones is found: they fall under the size floors, as on
// ../shared/realframes' cards halved (0.207 of their whiteflies found).
// Drawn without a JPEG's 2 x 2 chroma blocks, which smear a whitefly of
// 4 px over 6-8 (of the real cards halved and re-encoded, 11 of 18 are
// searched again; realeval's TestRealCardsFarther has the halved cards).
func TestCardFartherThanConfigured(t *testing.T) {
	for _, tc := range []struct {
		a, b     float64
		blue     uint8
		source   string
		min, max float64 // the scale it is searched at
	}{
		{4.5, 3, 75, "config", 8, 8},
		{2.25, 1.5, 75, "whiteflies", 3, 5.6},
		{1.75, 1.2, 75, "whiteflies", 2.5, 4.5},
		{2.25, 1.5, 40, "whiteflies", 3, 5.6},
	} {
		img, paint, card := cardOnCloth(1600, 1200)
		want := whiteflyGrid(img, paint, card.Inset(40), 70, 60, tc.a, tc.b, [3]uint8{tc.blue / 8, tc.blue / 7, tc.blue})
		o := DefaultOptions(8)
		o.Trap = TrapSticky
		fr, err := Analyze(img, o)
		if err != nil {
			t.Fatal(err)
		}
		what := fmt.Sprintf("ovals %.1f x %.1f px, blue +%d", 2*tc.a, 2*tc.b, tc.blue)
		if fr.ScaleSource != tc.source || fr.PixelsPerMM < tc.min || fr.PixelsPerMM > tc.max {
			t.Errorf("%s: searched at %.2f px/mm from %q, want %.1f-%.1f from %q", what, fr.PixelsPerMM, fr.ScaleSource, tc.min, tc.max, tc.source)
		}
		o.farther = true // searched as told only
		told, err := Detect(img, o)
		if err != nil {
			t.Fatal(err)
		}
		found, asTold := countFound(fr.Specimens, want, centredWithin(3)), countFound(told, want, centredWithin(3))
		t.Logf("%s: %d of %d found at %.2f px/mm (%s), %d searched as told", what, found, len(want), fr.PixelsPerMM, fr.ScaleSource, asTold)
		if found < len(want)*9/10 {
			t.Errorf("%s: %d of %d found, want 90 %%", what, found, len(want))
		}
	}
}

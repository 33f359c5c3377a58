package trap

import (
	"context"
	"image"
	"testing"
)

// TestSceneObjects checks the not-insect objects' truth: every sheet
// frame has its timestamp, scale bars have 10 dark squares of
// SquareMM*PixelsPerMM px, PhotoCard cards two holes and whiteflies (and
// only they), and no specimen lies on an object.
func TestSceneObjects(t *testing.T) {
	bars := 0
	for _, tc := range []struct {
		bg        string
		photoCard bool
		seed      uint64
	}{
		{BackgroundSheet, false, 1}, {BackgroundSheet, false, 2}, {BackgroundSheet, false, 3}, {BackgroundSheet, false, 4},
		{BackgroundSticky, true, 1}, {BackgroundSticky, false, 1},
	} {
		o := tinyFrames(t.TempDir())
		o.Frames, o.Background, o.PhotoCard, o.Seed = 2, tc.bg, tc.photoCard, tc.seed
		gt, err := Generate(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		frame := image.Rect(0, 0, o.Width, o.Height)
		for _, f := range gt.Frames {
			notes := map[string]int{}
			for _, ob := range f.Objects {
				b := image.Rect(ob.Box[0], ob.Box[1], ob.Box[2], ob.Box[3])
				if ob.Kind != KindNotInsect || b.Empty() || !b.In(frame) {
					t.Errorf("%s seed %d %s: object %+v", tc.bg, tc.seed, f.File, ob)
				}
				notes[ob.Note]++
				for _, s := range f.Specimens {
					if sb := image.Rect(s.BodyBox[0], s.BodyBox[1], s.BodyBox[2], s.BodyBox[3]); sb.Overlaps(b) {
						t.Errorf("%s seed %d %s: specimen %s %v lies on %q %v", tc.bg, tc.seed, f.File, s.ID, sb, ob.Note, b)
					}
				}
			}
			want := map[string]int{}
			switch {
			case tc.bg == BackgroundSheet:
				want["timestamp text overlay"] = 1
			case tc.photoCard:
				want["punched hole in the card"] = 2
			}
			for note, n := range want {
				if notes[note] != n {
					t.Errorf("%s seed %d %s: %d %q, want %d", tc.bg, tc.seed, f.File, notes[note], note, n)
				}
			}
			flies := 0
			for _, s := range f.Specimens {
				if s.SpeciesID < 0 {
					flies++
					if s.Family != "Aleyrodidae" || s.Box != s.BodyBox || s.LengthMM < whiteflyMinMM || s.LengthMM > whiteflyMaxMM {
						t.Errorf("%s seed %d %s: whitefly %+v", tc.bg, tc.seed, f.File, s)
					}
				}
			}
			if (flies > 0) != tc.photoCard {
				t.Errorf("%s seed %d %s: %d whiteflies with PhotoCard %v", tc.bg, tc.seed, f.File, flies, tc.photoCard)
			}
			if sb := f.ScaleBar; sb != nil {
				bars++
				if sb.Squares != 10 || sb.SquarePx != sb.SquareMM*o.PixelsPerMM || notes["scale bar (checkerboard)"] != 1 {
					t.Errorf("%s seed %d %s: scale bar %+v", tc.bg, tc.seed, f.File, *sb)
				}
			}
		}
	}
	if bars == 0 {
		t.Error("no sheet of 4 seeds has a scale bar")
	}
}

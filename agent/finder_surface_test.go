package agent_test

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/detect"
)

// TestDetectFinderTracksBySurface: the finder sets its tracker's walk and
// memory for what each frame was searched as, at the frame's scale: a
// sticky card's catches are glued (detect.CardWalkMM, detect.CardMaxAge),
// a sheet's insects walk and leave (detect.WalkMM, detect.SheetMaxAge); a
// dark frame in which nothing is found changes neither.
func TestDetectFinderTracksBySurface(t *testing.T) {
	const ppm = 8
	for _, tc := range []struct {
		name    string
		bg      color.RGBA
		surface string
		age     int
		walkMM  float64
	}{
		{"yellow card", color.RGBA{225, 205, 40, 255}, detect.SurfaceCard, detect.CardMaxAge, detect.CardWalkMM},
		{"white sheet", color.RGBA{232, 232, 228, 255}, detect.SurfaceSheet, detect.SheetMaxAge, detect.WalkMM},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// 200 x 150 mm with a few dark 3 mm specimens.
			img := image.NewRGBA(image.Rect(0, 0, 1600, 1200))
			draw.Draw(img, img.Bounds(), image.NewUniform(tc.bg), image.Point{}, draw.Src)
			for i := range 5 {
				cx, cy := 300+250*i, 400+100*i
				for y := cy - 12; y <= cy+12; y++ {
					for x := cx - 12; x <= cx+12; x++ {
						if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= 144 {
							img.SetRGBA(x, y, color.RGBA{40, 30, 25, 255})
						}
					}
				}
			}
			d := agent.NewDetectFinder(ppm)
			// The tracker starts with a sheet's settings; a card frame
			// changes them and a sheet frame sets them back.
			d.Tracker.ForSurface(detect.SurfaceCard, 1)
			specs, err := d.Find(img)
			if err != nil {
				t.Fatal(err)
			}
			fr := d.LastFrame()
			if fr.Surface != tc.surface || len(specs) == 0 {
				t.Fatalf("searched as %q with %d specimens, want %q and some", fr.Surface, len(specs), tc.surface)
			}
			if d.Tracker.MaxAge != tc.age || d.Tracker.MaxMove != tc.walkMM*fr.Scale.PixelsPerMM {
				t.Errorf("tracker MaxAge %d, MaxMove %.1f px; want %d and %.1f mm at %.1f px/mm", d.Tracker.MaxAge, d.Tracker.MaxMove, tc.age, tc.walkMM, fr.Scale.PixelsPerMM)
			}
			// A dark frame (searched as a sheet, nothing found) keeps them.
			dark := image.NewRGBA(img.Bounds())
			draw.Draw(dark, dark.Bounds(), image.NewUniform(color.RGBA{5, 5, 3, 255}), image.Point{}, draw.Src)
			if specs, err := d.Find(dark); err != nil || len(specs) != 0 {
				t.Fatalf("dark frame: %d specimens, %v", len(specs), err)
			}
			if d.Tracker.MaxAge != tc.age || d.Tracker.MaxMove != tc.walkMM*fr.Scale.PixelsPerMM {
				t.Errorf("after a dark frame (%q): tracker MaxAge %d, MaxMove %.1f px; want them kept", d.LastFrame().Surface, d.Tracker.MaxAge, d.Tracker.MaxMove)
			}
		})
	}
}

// TestDetectFinderNewCard: a sticky card swapped for another is told on
// the second frame of the new card (LastFrame().NewCard), and every speck
// of the new card is counted once, also one lying where the old card had
// one; a card taken again or moved 3 mm (none of its specimens counted
// again), and a sheet whose insects all changed, are not.
func TestDetectFinderNewCard(t *testing.T) {
	const ppm = 8
	dots := func(bg color.RGBA, seed int) *image.RGBA {
		// 200 x 150 mm, 30 dark specimens of 2.5 mm on a grid of 5 x 6
		// places; the second card's first lies where the first card's
		// first does, the others elsewhere.
		img := image.NewRGBA(image.Rect(0, 0, 1600, 1200))
		draw.Draw(img, img.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
		for i := range 30 {
			cx, cy := 150+230*(i%6)+seed*90*min(i, 1), 150+210*(i/6)+seed*70*min(i, 1)
			for y := cy - 10; y <= cy+10; y++ {
				for x := cx - 10; x <= cx+10; x++ {
					if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= 100 {
						img.SetRGBA(x, y, color.RGBA{40, 30, 25, 255})
					}
				}
			}
		}
		return img
	}
	card, sheet := color.RGBA{225, 205, 40, 255}, color.RGBA{232, 232, 228, 255}
	// moved is the card moved 3 mm right and 1.5 mm down in the frame.
	moved := func(img *image.RGBA) *image.RGBA {
		out := image.NewRGBA(img.Rect)
		draw.Draw(out, out.Rect, image.NewUniform(card), image.Point{}, draw.Src)
		draw.Draw(out, out.Rect.Add(image.Pt(24, 12)), img, image.Point{}, draw.Src)
		return out
	}
	for _, tc := range []struct {
		name     string
		frames   []*image.RGBA
		newCard  int // the frame (from 1) told, or 0
		newSpecs []int
	}{
		{"card taken again", []*image.RGBA{dots(card, 0), dots(card, 0), dots(card, 0), dots(card, 0)}, 0, []int{30, 0, 0, 0}},
		{"card moved", []*image.RGBA{dots(card, 0), dots(card, 0), moved(dots(card, 0)), moved(dots(card, 0))}, 0, []int{30, 0, 0, 0}},
		{"card swapped", []*image.RGBA{dots(card, 0), dots(card, 0), dots(card, 1), dots(card, 1), dots(card, 1)}, 4, []int{30, 0, 29, 1, 0}},
		{"sheet's insects all changed", []*image.RGBA{dots(sheet, 0), dots(sheet, 0), dots(sheet, 1), dots(sheet, 1)}, 0, []int{30, 0, 29, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := agent.NewDetectFinder(ppm)
			for i, img := range tc.frames {
				specs, err := d.Find(img)
				if err != nil {
					t.Fatal(err)
				}
				fresh := 0
				for _, s := range specs {
					if s.New {
						fresh++
					}
				}
				if got, want := d.LastFrame().NewCard, i+1 == tc.newCard; got != want || fresh != tc.newSpecs[i] {
					t.Errorf("frame %d (%s, %d specimens): NewCard %v, %d new; want %v, %d", i+1, d.LastFrame().Surface, len(specs), got, fresh, want, tc.newSpecs[i])
				}
			}
		})
	}
}

package trap_test

import (
	"context"
	"image"
	"math"
	"path/filepath"
	"testing"

	"github.com/trapnet/trapnet/detect"
	"github.com/trapnet/trapnet/synth/trap"
)

// TestDetectOnSceneObjects runs detect.Analyze, with the scale bar's
// square size, on synth sheets that carry not-insect objects: the scale it
// measures from the checkerboard must be the frame's, and no detection
// may lie on a grommet, the scale bar, the timestamp, a stain or the
// housing's shadow (the real frames' scoring: IoU >= 0.3 or each box
// holding the other's centre).
func TestDetectOnSceneObjects(t *testing.T) {
	bars := 0
	drawn := map[string]int{}
	for _, seed := range []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} {
		o := trap.DefaultOptions()
		o.Dir, o.Frames, o.Width, o.Height, o.PixelsPerMM = t.TempDir(), 1, 2048, 1080, 10
		o.Background, o.Seed = trap.BackgroundSheet, seed
		gt, err := trap.Generate(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		ft := gt.Frames[0]
		img := decodeFile(t, filepath.Join(o.Dir, trap.FramesDir, ft.File))
		opts := detect.DefaultOptions(o.PixelsPerMM * 1.3) // a wrong configured scale: the bar must correct it
		if ft.ScaleBar != nil {
			opts.ScaleSquareMM = ft.ScaleBar.SquareMM
		}
		fr, err := detect.Analyze(img, opts)
		if err != nil {
			t.Fatal(err)
		}
		if ft.ScaleBar != nil {
			bars++
			if fr.ScaleSource != "checkerboard" || math.Abs(fr.PixelsPerMM-o.PixelsPerMM) > 0.05*o.PixelsPerMM {
				t.Errorf("seed %d: scale %.2f px/mm from %q, want %.2f from the checkerboard %v", seed, fr.PixelsPerMM, fr.ScaleSource, o.PixelsPerMM, ft.ScaleBar.Box)
			}
		}
		for _, ob := range ft.Objects {
			drawn[ob.Note]++
			b := image.Rect(ob.Box[0], ob.Box[1], ob.Box[2], ob.Box[3])
			for _, s := range fr.Specimens {
				if detect.IoU(b, s.Box) >= 0.3 || (centre(b).In(s.Box) && centre(s.Box).In(b)) {
					t.Errorf("seed %d: detection %v on %q %v", seed, s.Box, ob.Note, b)
				}
			}
		}
	}
	if bars == 0 {
		t.Error("no frame of 12 seeds has a scale bar")
	}
	t.Logf("objects drawn: %v", drawn)
	for _, note := range []string{"faint stain on the sheet", "shadow of the trap's housing"} {
		if drawn[note] == 0 {
			t.Errorf("no %q on 12 frames", note)
		}
	}
}

// centre returns the centre pixel of r.
func centre(r image.Rectangle) image.Point { return r.Min.Add(r.Max).Div(2) }

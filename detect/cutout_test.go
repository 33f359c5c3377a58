package detect

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// TestInsectTouchingCheckerboard: moths (6-8 mm) resting against a
// checkerboard scale bar (under its squares, over its lower edge, on its
// upper side) are one foreground component with it; the board still gives
// the scale, each moth is found with its own box, and nothing of the board
// is a specimen. A moth at the board's end no wider than its label goes
// with the board (its band, boardBand), and so does a solid end mark 4
// squares long touching the last square: neither may come out as a piece of
// the board. Without the cut every moth touching the board was lost with
// it; with a cut that kept what lay 3.5 squares or more beyond the squares
// along the bar, the end mark came out as a specimen.
func TestInsectTouchingCheckerboard(t *testing.T) {
	const ppm, sq = 12.0, 2.0 // squares 24 px, grid (124,424)-(364,472); a moth at (500,200)
	type moth struct {
		name       string
		x, y, a, b float64
		need       bool // must be found (one at the end may go with the board)
	}
	under := moth{"under the squares", 250, 472 + 29, 50, 30, true}
	over := moth{"over the edge", 160, 472 + 24, 36, 30, true}
	above := moth{"on the upper side", 300, 424 - 30, 40, 34, true}
	end := moth{"at the end", 364 + 49, 455, 50, 25, false}
	endMark := func(img *image.RGBA) {
		for y := 424; y < 472; y++ {
			for x := 364; x < 364+4*24; x++ {
				img.SetRGBA(x, y, color.RGBA{30, 25, 40, 255})
			}
		}
	}
	tests := []struct {
		name  string
		moths []moth
		mark  bool
	}{
		{"under", []moth{under}, false},
		{"over", []moth{over}, false},
		{"above", []moth{above}, false},
		{"end", []moth{end}, false},
		{"under, over and at the end", []moth{under, end, over}, false},
		{"end mark, under and above", []moth{under, above}, true},
	}
	for _, tc := range tests {
		img := checkerFrame(ppm, sq)
		if tc.mark {
			endMark(img)
		}
		for _, m := range tc.moths {
			mothAt(img, m.x, m.y, m.a, m.b)
		}
		o := DefaultOptions(8)
		o.ScaleSquareMM = sq
		fr, err := Analyze(img, o)
		if err != nil {
			t.Fatal(err)
		}
		if fr.ScaleSource != "checkerboard" || math.Abs(fr.PixelsPerMM/ppm-1) > 0.1 {
			t.Errorf("%s: scale %.2f px/mm from %q, want %.0f from the board", tc.name, fr.PixelsPerMM, fr.ScaleSource, ppm)
		}
		// Every specimen is the lone moth at (500,200) or one of the moths.
		want := []image.Rectangle{image.Rect(440, 182, 560, 218)}
		for _, m := range tc.moths {
			want = append(want, image.Rect(int(m.x-m.a), int(m.y-m.b), int(m.x+m.a), int(m.y+m.b)))
		}
		for _, s := range fr.Specimens {
			best := 0.0
			for _, r := range want {
				best = max(best, IoU(s.Box, r))
			}
			if best < 0.5 {
				t.Errorf("%s: specimen %v is none of the moths %v (a piece of the board)", tc.name, s.Box, want)
			}
		}
		for i, m := range tc.moths {
			best := 0.0
			for _, s := range fr.Specimens {
				best = max(best, IoU(s.Box, want[i+1]))
			}
			if m.need && best < 0.7 {
				t.Errorf("%s: moth %s %v: best IoU %.2f among %v", tc.name, m.name, want[i+1], best, boxesOf(fr.Specimens))
			}
		}
	}
}

package detect

import (
	"image"
	"testing"
)

// TestFaintPiecesNotNarrow: the coarse pass for pale moths takes a faint
// object 3:1 (a geometrid's spread wings) and leaves one 10:1 (a paper
// ruler, a strip of paper or a fold; faintMaxAspect).
func TestFaintPiecesNotNarrow(t *testing.T) {
	const w, h, f, ppm = 600, 300, 4, 10.0 // working cells 4 frame px
	excess, scale, py, bg := newPlane(w, h), newPlane(w, h), newPlane(w, h), newPlane(w, h)
	for i := range py.v {
		py.v[i], bg.v[i] = 200, 210
	}
	set := func(in func(x, y int) bool) {
		for y := range h {
			for x := range w {
				if in(x, y) {
					excess.v[y*w+x] = 0.1
				}
			}
		}
	}
	set(func(x, y int) bool { return x >= 40 && x < 440 && y >= 40 && y < 80 }) // 160 x 16 mm
	set(func(x, y int) bool {                                                   // 48 x 16 mm ellipse
		dx, dy := (float64(x)-300)/60, (float64(y)-200)/20
		return dx*dx+dy*dy <= 1
	})
	frame := image.Rect(0, 0, w*f, h*f)
	got := faintPieces(excess, scale, py, bg, f, 4, frame, ppm, nil)
	if len(got) != 1 || !image.Pt(1200, 800).In(got[0].box) {
		var boxes []image.Rectangle
		for _, p := range got {
			boxes = append(boxes, p.box)
		}
		t.Errorf("faint pieces %v, want the ellipse's around (1200,800) only", boxes)
	}
}

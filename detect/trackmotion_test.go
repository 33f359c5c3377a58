package detect

import (
	"image"
	"math"
	"testing"
)

// A motion's undo takes a box back where apply took it from (within the
// rounding of a pixel), and a turn about c moves a point at c not at all
// and one 1 000 px away by 1 000 times the angle.
func TestMotionUndo(t *testing.T) {
	box := image.Rect(1500, 300, 1512, 314)
	for _, m := range []motion{
		{d: image.Pt(7, -3)},
		{theta: 2 * math.Pi / 180, c: image.Pt(1000, 750)},
		{theta: -0.5 * math.Pi / 180, c: image.Pt(0, 0), d: image.Pt(-20, 11)},
	} {
		back := m.undo(m.apply(box))
		if d := back.Min.Sub(box.Min); d.X*d.X+d.Y*d.Y > 2 || back.Size() != box.Size() {
			t.Errorf("%+v: %v -> %v -> %v", m, box, m.apply(box), back)
		}
	}
	m := motion{theta: 1 * math.Pi / 180, c: image.Pt(1000, 750)}
	if got := m.turn(m.c, m.theta); got != m.c {
		t.Errorf("the centre turned to %v", got)
	}
	if got := m.turn(image.Pt(2000, 750), m.theta); got != image.Pt(2000, 767) {
		t.Errorf("a point 1 000 px from the centre turned 1 degree to %v, want (2000,767)", got)
	}
}

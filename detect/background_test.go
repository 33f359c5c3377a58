package detect

import (
	"math"
	"testing"
)

// TestBorderClosings: near the grid's border a block of the card is
// compared with its closing along the border. A dip along the border (a
// specimen cut by it) closes to the bare level; a band along the whole
// border does not; blocks further in and blocks off the card are not
// tested, and off the card count as bright (cloth beyond the card's edge
// is no shade of it).
func TestBorderClosings(t *testing.T) {
	const w, h, r = 12, 8, 2
	rel := make([]float32, w*h)
	for i := range rel {
		rel[i] = 1
	}
	for x := range w {
		rel[(h-1)*w+x] = 0.7 // a shade band along the bottom
	}
	rel[3*w] = 0.5 // a dip on the left border, one block long
	on := make([]bool, w*h)
	for i := range on {
		on[i] = true
	}
	for y := range h {
		on[y*w+w-1] = false // cloth along the right border
		rel[y*w+w-1] = 0.2
	}
	rel[4*w+w-2] = 0.5 // a specimen on the card beside it
	along := borderClosings(rel, on, w, h, r)
	for _, tc := range []struct {
		name string
		x, y int
		want float32
	}{
		{"the band along the bottom", 5, h - 1, 0.7},
		{"the dip on the left border", 0, 3, 1},
		{"a bare block near the top", 6, 1, 1},
		{"a bottom corner, the smaller of its two closings", 0, h - 1, 0.7},
		{"inside", 5, 4, float32(math.Inf(1))},
		{"the cloth", w - 1, 2, float32(math.Inf(1))},
		{"the specimen beside the cloth, a dip along the border", w - 2, 4, 1},
	} {
		if got := along[tc.y*w+tc.x]; got != tc.want {
			t.Errorf("%s (%d,%d): closing along the border %v, want %v", tc.name, tc.x, tc.y, got, tc.want)
		}
	}
}

// TestClosing1D: the closing fills dips up to 2r wide and keeps wider ones.
func TestClosing1D(t *testing.T) {
	v := []float32{1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1}
	want := []float32{1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1}
	got := closing1D(v, 2)
	for i := range v {
		if got[i] != want[i] {
			t.Fatalf("closing1D(%v, 2) = %v, want %v", v, got, want)
		}
	}
}

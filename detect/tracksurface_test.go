package detect

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"
)

// specks returns n small boxes (10-16 px) at random places of a 2000 x
// 1500 card, 40 px or more from each other and from those of apart.
func specks(rng *rand.Rand, n int, apart ...image.Rectangle) []image.Rectangle {
	var out []image.Rectangle
	for len(out) < n {
		x, y, s := rng.IntN(1980), rng.IntN(1480), 10+rng.IntN(7)
		r := image.Rect(x, y, x+s, y+s)
		if !near(r, out) && !near(r, apart) {
			out = append(out, r)
		}
	}
	return out
}

func near(r image.Rectangle, bs []image.Rectangle) bool {
	for _, b := range bs {
		if r.Inset(-40).Overlaps(b) {
			return true
		}
	}
	return false
}

// retaken is the card taken again: each box moved by up to 2 px, a
// twentieth not found.
func retaken(rng *rand.Rand, bs []image.Rectangle) []image.Rectangle {
	var out []image.Rectangle
	for _, b := range bs {
		if rng.IntN(20) == 0 {
			continue
		}
		out = append(out, b.Add(image.Pt(rng.IntN(5)-2, rng.IntN(5)-2)))
	}
	return out
}

// A sticky card's tracker starts anew when the card is swapped for
// another, seen on two frames in a row, and not for a card taken again, a
// single odd frame, a dark frame or a frame with too few boxes; a sheet's
// never does, nor a card that moved (its specks all shifted alike). Every
// speck of the second card shown once it is told is counted once, also
// those that lay where the first card had one, and on a fresh card that
// fills up, those counted before it was told; no speck is counted twice.
func TestTrackerNewSurface(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	a := specks(rng, 300)
	b := specks(rng, 250, a...)
	b = append(b, a[:10]...) // ten of the new card's specks lie where the old card had one
	// A large specimen of the old card, and on the new card one where it
	// was with a speck lying within its box (taken, on the new card's first
	// frame, for a part of the old specimen, whose track the large one
	// continues).
	aBig := append(append([]image.Rectangle(nil), a...), image.Rect(2100, 100, 2160, 160))
	bPart := append(append([]image.Rectangle(nil), b...), image.Rect(2098, 98, 2162, 162), image.Rect(2120, 120, 2134, 134))
	// A fresh card catching 5 specks a frame, the first two where the old
	// card had one.
	c := append(append([]image.Rectangle(nil), a[:2]...), specks(rng, 28, append(a, b...)...)...)
	fewer := specks(rng, NewSurfaceMin/2)
	type frame struct {
		boxes  []image.Rectangle
		first  []image.Rectangle // the first card's specks, on its frames
		second []image.Rectangle // the second card's specks, nil on the first card
	}
	A := func() frame { return frame{boxes: retaken(rng, a), first: a} }
	B := func() frame { return frame{boxes: retaken(rng, b), second: b} }
	ABig := func() frame { return frame{boxes: retaken(rng, aBig), first: aBig} }
	BPart := func() frame { return frame{boxes: retaken(rng, bPart), second: bPart} }
	C := func(n int) frame { return frame{boxes: c[:n], second: c} }
	// The first card moved 1.1 mm (at 8 px/mm; with the jitter, within
	// the 2 mm walk): swinging on its hanger.
	M := func() frame {
		f := A()
		for i := range f.boxes {
			f.boxes[i] = f.boxes[i].Add(image.Pt(8, 4))
		}
		return f
	}
	for _, tc := range []struct {
		name     string
		surface  string
		frames   []frame
		replaced int // the frame (from 1) that starts anew, or 0
	}{
		{"taken again", SurfaceCard, []frame{A(), A(), A(), A(), A()}, 0},
		{"swapped", SurfaceCard, []frame{A(), A(), A(), B(), B(), B()}, 5},
		{"swapped, a speck within an old specimen", SurfaceCard, []frame{ABig(), ABig(), BPart(), BPart(), BPart()}, 4},
		{"one odd frame", SurfaceCard, []frame{A(), A(), B(), A(), A()}, 0},
		{"moved", SurfaceCard, []frame{A(), A(), M(), M(), M()}, 0},
		{"a dark frame between", SurfaceCard, []frame{A(), A(), B(), {}, B(), B()}, 5},
		{"too few boxes", SurfaceCard, []frame{A(), A(), {boxes: fewer}, {boxes: fewer}, {boxes: fewer}}, 0},
		{"a fresh card", SurfaceCard, []frame{A(), A(), C(5), C(10), C(15), C(20), C(25), C(30)}, 7},
		{"on a sheet", SurfaceSheet, []frame{A(), A(), A(), B(), B(), B()}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewFrameTracker(8)
			tr.ForSurface(tc.surface, 8)
			type speck struct {
				second bool
				place  image.Point
			}
			counted := map[speck]int{} // times each speck was counted
			var late []image.Point     // second-card specks shown once the card was told
			for i, f := range tc.frames {
				if i == 3 && tc.name == "a dark frame between" {
					// The tracker saved and restored between frames
					// changes nothing.
					st, err := tr.MarshalState()
					if err != nil {
						t.Fatal(err)
					}
					tr = NewFrameTracker(8)
					tr.ForSurface(tc.surface, 8)
					if err := tr.UnmarshalState(st); err != nil {
						t.Fatal(err)
					}
				}
				got := tr.Update(f.boxes)
				if want := i+1 == tc.replaced; tr.Replaced() != want {
					t.Errorf("frame %d: Replaced %v, want %v", i+1, tr.Replaced(), want)
				}
				if f.second != nil && tc.replaced > 0 && i+1 >= tc.replaced {
					for _, bx := range f.boxes {
						late = append(late, nearest(f.second, bx))
					}
				}
				for k, tk := range got {
					if !tk.New || (f.second == nil && len(f.boxes) < NewSurfaceMin) {
						continue
					}
					from := f.first
					if f.second != nil {
						from = f.second
					}
					sp := speck{f.second != nil, nearest(from, f.boxes[k])}
					if counted[sp]++; counted[sp] > 1 && tc.surface == SurfaceCard {
						t.Errorf("frame %d: speck at %v (second card %v) counted again", i+1, sp.place, sp.second)
					}
				}
			}
			if tc.replaced == 0 {
				return
			}
			if len(late) == 0 {
				t.Fatal("no speck of the second card shown once it was told")
			}
			for _, p := range late {
				if n := counted[speck{true, p}]; n != 1 {
					t.Errorf("second card's speck at %v counted %d times", p, n)
				}
			}
		})
	}
}

// A card moved, by less or more than a speck may walk (up to 6 mm), or
// turned by up to 3 degrees, is the same card: not taken for a new one,
// and its tracks move with it, so none of its specks is counted again.
func TestTrackerMovedCardNotNew(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	a := specks(rng, 300)
	for _, step := range []motion{{d: image.Pt(4, 0)}, {d: image.Pt(0, 12)}, {d: image.Pt(20, 20)}, {d: image.Pt(-40, 8)},
		{theta: 0.7 * math.Pi / 180, c: image.Pt(700, 900)}, {theta: -1 * math.Pi / 180, c: image.Pt(1000, 750), d: image.Pt(10, -6)}} {
		tr := NewFrameTracker(8)
		tr.ForSurface(SurfaceCard, 8)
		tr.Update(a)
		at := a
		for i := range 3 {
			at = moveAll(at, step) // moved on, each frame
			moved := retaken(rng, at)
			again := 0
			for _, tk := range tr.Update(moved) {
				if tk.New {
					again++
				}
			}
			if tr.Replaced() || again > 0 {
				t.Errorf("moved by %+v a frame, on frame %d: Replaced %v, %d specks counted again", step, i+2, tr.Replaced(), again)
			}
		}
	}
}

// A frame searched as a sheet between a card's frames (with
// capture.surface auto, a dark frame with a few specks) keeps the card's
// reference: a card swapped meanwhile is still told.
func TestTrackerNewSurfaceAfterSheetFrame(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	a := specks(rng, 300)
	b := specks(rng, 250, a...)
	tr := NewFrameTracker(8)
	for i, f := range []struct {
		surface string
		boxes   []image.Rectangle
	}{
		{SurfaceCard, a}, {SurfaceCard, a}, {SurfaceSheet, specks(rng, 25)}, {SurfaceCard, b}, {SurfaceCard, b},
	} {
		tr.ForSurface(f.surface, 8)
		if tr.Update(f.boxes); tr.Replaced() != (i == 4) {
			t.Errorf("frame %d (%s): Replaced %v", i+1, f.surface, tr.Replaced())
		}
	}
}

// nearest returns the place (Min) of the box of bs nearest to r.
func nearest(bs []image.Rectangle, r image.Rectangle) image.Point {
	best, bd := image.Point{}, 1<<30
	for _, b := range bs {
		d := b.Min.Sub(r.Min)
		if v := d.X*d.X + d.Y*d.Y; v < bd {
			best, bd = b.Min, v
		}
	}
	return best
}

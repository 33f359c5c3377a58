package detect

import (
	"image"
	"testing"
)

// A tracker restored from its state continues tracks and ids exactly like
// the original.
func TestTrackerStateRoundTrip(t *testing.T) {
	boxes := []image.Rectangle{image.Rect(0, 0, 10, 10), image.Rect(50, 50, 60, 60)}
	a := NewTracker(0.3, 2)
	a.Update(boxes)
	st, err := a.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	b := NewTracker(0.3, 2)
	if err := b.UnmarshalState(st); err != nil {
		t.Fatal(err)
	}
	next := append(boxes, image.Rect(100, 100, 110, 110))
	ta, tb := a.Update(next), b.Update(next)
	for i := range ta {
		if ta[i] != tb[i] {
			t.Fatalf("box %d: original %+v, restored %+v", i, ta[i], tb[i])
		}
	}
	if tb[0].New || tb[1].New || !tb[2].New || tb[2].ID != 3 {
		t.Fatalf("restored tracker re-counted: %+v", tb)
	}
	for _, bad := range []string{`{`, `{"frame":1,"next_id":1,"tracks":[{"ID":5}]}`, `{"frame":-1}`,
		`{"frame":1,"next_id":1,"surface_cand_frame":3,"surface_cand":[[0,0,1,1]]}`, `{"frame":2,"next_id":1,"surface_ref_frame":3}`,
		`{"frame":3,"next_id":1,"surface_ref_frame":2,"surface_cand_frame":2,"surface_cand":[[0,0,1,1]]}`} {
		if err := b.UnmarshalState([]byte(bad)); err == nil {
			t.Fatalf("state %s accepted", bad)
		}
	}
}

// A specimen put off (Forget) just before the state was saved comes back
// new in the restored tracker, even lying within another's box.
func TestTrackerStateKeepsForgotten(t *testing.T) {
	fly, whitefly := image.Rect(100, 100, 140, 140), image.Rect(110, 110, 122, 122)
	a := NewFrameTracker(10)
	first := a.Update([]image.Rectangle{fly, whitefly})
	a.Forget(first[1].ID)
	st, err := a.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	b := NewFrameTracker(10)
	if err := b.UnmarshalState(st); err != nil {
		t.Fatal(err)
	}
	if got := b.Update([]image.Rectangle{fly, whitefly}); got[0].New || !got[1].New {
		t.Errorf("restored: new flags %v %v, want false true", got[0].New, got[1].New)
	}
}

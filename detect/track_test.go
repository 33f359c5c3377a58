package detect

import (
	"image"
	"math"
	"testing"
)

func TestIoU(t *testing.T) {
	tests := []struct {
		name string
		a, b image.Rectangle
		want float64
	}{
		{"same", image.Rect(0, 0, 10, 10), image.Rect(0, 0, 10, 10), 1},
		{"half overlap", image.Rect(0, 0, 10, 10), image.Rect(5, 0, 15, 10), 50.0 / 150},
		{"disjoint", image.Rect(0, 0, 10, 10), image.Rect(20, 20, 30, 30), 0},
		{"empty", image.Rectangle{}, image.Rect(0, 0, 10, 10), 0},
		{"uncanonical", image.Rect(10, 10, 0, 0), image.Rect(0, 0, 10, 10), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IoU(tc.a, tc.b); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("IoU = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTracker(t *testing.T) {
	a := image.Rect(0, 0, 10, 10)
	b := image.Rect(100, 100, 120, 120)
	aMoved := a.Add(image.Pt(1, 1))
	type step struct {
		boxes   []image.Rectangle
		wantNew []bool
		wantIDs []int
	}
	walked := a.Add(image.Pt(30, 0)) // no overlap with a
	big := image.Rect(30, 0, 60, 30) // same place as walked, 9x the area
	moth := image.Rect(200, 200, 320, 260)
	wingL, wingR := image.Rect(205, 210, 245, 255), image.Rect(270, 208, 315, 250) // each IoU about 0.25 with moth
	body := image.Rect(200, 200, 280, 260)                                         // IoU 0.67 with moth
	speck, speck2 := image.Rect(250, 220, 256, 226), image.Rect(300, 240, 306, 246)
	tests := []struct {
		name      string
		maxAge    int
		maxMove   float64
		partShare float64
		steps     []step
	}{
		{"repeats are not new", 2, 0, 0, []step{
			{[]image.Rectangle{a, b}, []bool{true, true}, []int{1, 2}},
			{[]image.Rectangle{b, aMoved}, []bool{false, false}, []int{2, 1}},
		}},
		{"survives gaps up to max age", 2, 0, 0, []step{
			{[]image.Rectangle{a}, []bool{true}, []int{1}},
			{nil, nil, nil},
			{nil, nil, nil},
			{[]image.Rectangle{a}, []bool{false}, []int{1}},
		}},
		{"forgotten after max age", 1, 0, 0, []step{
			{[]image.Rectangle{a}, []bool{true}, []int{1}},
			{nil, nil, nil},
			{nil, nil, nil},
			{[]image.Rectangle{a}, []bool{true}, []int{2}},
		}},
		{"walked without MaxMove is new", 2, 0, 0, []step{
			{[]image.Rectangle{a}, []bool{true}, []int{1}},
			{[]image.Rectangle{walked}, []bool{true}, []int{2}},
		}},
		{"walked within MaxMove continues", 2, 40, 0, []step{
			{[]image.Rectangle{a}, []bool{true}, []int{1}},
			{[]image.Rectangle{walked}, []bool{false}, []int{1}},
		}},
		{"walked too far", 2, 20, 0, []step{
			{[]image.Rectangle{a}, []bool{true}, []int{1}},
			{[]image.Rectangle{walked}, []bool{true}, []int{2}},
		}},
		{"moved box of another size is new", 2, 100, 0, []step{
			{[]image.Rectangle{a}, []bool{true}, []int{1}},
			{[]image.Rectangle{big}, []bool{true}, []int{2}},
		}},
		{"one track continues one box", 5, 0, 0, []step{
			{[]image.Rectangle{a}, []bool{true}, []int{1}},
			{[]image.Rectangle{a, aMoved}, []bool{false, true}, []int{1, 2}},
		}},
		// A moth found whole, then in pieces (none overlapping it by IoU
		// 0.3), then whole again: counted once. Without PartShare each
		// change of form is a new specimen.
		{"found in pieces, then whole", 5, 0, 0.6, []step{
			{[]image.Rectangle{moth}, []bool{true}, []int{1}},
			{[]image.Rectangle{wingL, wingR}, []bool{false, false}, []int{2, 1}},
			{[]image.Rectangle{moth}, []bool{false}, []int{1}},
		}},
		{"pieces are new without PartShare", 5, 0, 0, []step{
			{[]image.Rectangle{moth}, []bool{true}, []int{1}},
			{[]image.Rectangle{wingL, wingR}, []bool{true, true}, []int{2, 3}},
		}},
		// One piece still overlaps the whole by IoU 0.3 and continues it;
		// the other is a part of the same specimen.
		{"a large piece and a small one", 5, 0, 0.6, []step{
			{[]image.Rectangle{moth}, []bool{true}, []int{1}},
			{[]image.Rectangle{body, wingR}, []bool{false, false}, []int{1, 2}},
		}},
		{"pieces first, then whole", 5, 0, 0.6, []step{
			{[]image.Rectangle{wingL, wingR}, []bool{true, true}, []int{1, 2}},
			{[]image.Rectangle{moth}, []bool{false}, []int{2}},
		}},
		// A speck a fraction of a large box's area is no part of it (a
		// whitefly caught inside the box of a stick across a card), and a
		// large box over a few small tracks is a new arrival over them.
		{"a speck inside a large box is new", 5, 0, 0.6, []step{
			{[]image.Rectangle{moth}, []bool{true}, []int{1}},
			{[]image.Rectangle{moth, speck}, []bool{false, true}, []int{1, 2}},
		}},
		{"a large box over specks is new", 5, 0, 0.6, []step{
			{[]image.Rectangle{speck, speck2}, []bool{true, true}, []int{1, 2}},
			{[]image.Rectangle{moth}, []bool{true}, []int{3}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTracker(0.3, tc.maxAge)
			tr.MaxMove = tc.maxMove
			tr.PartShare = tc.partShare
			for i, s := range tc.steps {
				got := tr.Update(s.boxes)
				if len(got) != len(s.boxes) {
					t.Fatalf("step %d: %d tracks for %d boxes", i, len(got), len(s.boxes))
				}
				for j, g := range got {
					if g.New != s.wantNew[j] || g.ID != s.wantIDs[j] {
						t.Errorf("step %d box %d: ID %d New %v, want ID %d New %v", i, j, g.ID, g.New, s.wantIDs[j], s.wantNew[j])
					}
					if g.Box != s.boxes[j] {
						t.Errorf("step %d box %d: track box %v, want %v", i, j, g.Box, s.boxes[j])
					}
				}
			}
		})
	}
}

// TestTrackerCountsOnce runs detection on the same synthetic frame three
// times with a small shift and checks each specimen is new exactly once.
func TestTrackerCountsOnce(t *testing.T) {
	f := makeFrame(frameSpec{w: 1024, h: 640, ppm: 6, specimens: 8, debris: 20, noise: 4, seed: 9})
	tr := NewTracker(0.3, 3)
	newCount := 0
	for i := range 3 {
		sub := f.img.SubImage(image.Rect(i, i, 1024, 640)) // camera jitter
		got, err := Detect(sub, DefaultOptions(f.ppm))
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range tr.Update(boxesOf(got)) {
			if tk.New {
				newCount++
			}
		}
	}
	if newCount != len(f.boxes) {
		t.Errorf("%d new tracks over 3 frames, want %d specimens", newCount, len(f.boxes))
	}
}

// A specimen put off (Forget) that lies within another's box comes back
// new, not as a part of the other (PartShare): its count is not lost.
func TestTrackerForgetWithinAnother(t *testing.T) {
	tr := NewFrameTracker(10)
	fly, whitefly := image.Rect(100, 100, 140, 140), image.Rect(110, 110, 122, 122) // 144 px^2 of 1600
	first := tr.Update([]image.Rectangle{fly, whitefly})
	tr.Forget(first[1].ID)
	second := tr.Update([]image.Rectangle{fly, whitefly})
	if second[0].New || !second[1].New {
		t.Errorf("new flags after putting the whitefly off: %v %v, want false true", second[0].New, second[1].New)
	}
	third := tr.Update([]image.Rectangle{fly, whitefly})
	if third[0].New || third[1].New || third[1].ID != second[1].ID {
		t.Errorf("third frame: %+v %+v, both tracked on", third[0], third[1])
	}
	// Without the Forget, the same box seen for the first time within the
	// fly's is a part of it.
	tr = NewFrameTracker(10)
	tr.Update([]image.Rectangle{fly})
	if got := tr.Update([]image.Rectangle{fly, whitefly}); got[1].New {
		t.Errorf("a box within a tracked one's (0.09 of its area) is new: %+v", got[1])
	}
}

func TestTrackerForget(t *testing.T) {
	tr := NewTracker(0.3, 10)
	boxes := []image.Rectangle{image.Rect(0, 0, 10, 10), image.Rect(50, 50, 60, 60), image.Rect(100, 0, 110, 10)}
	first := tr.Update(boxes)
	tr.Forget(first[1].ID, 999) // an unknown ID is ignored
	if tr.Active() != 2 {
		t.Fatalf("%d tracks after forgetting one of 3", tr.Active())
	}
	second := tr.Update(boxes)
	if second[0].New || !second[1].New || second[2].New {
		t.Errorf("new flags after Forget: %v %v %v, want false true false", second[0].New, second[1].New, second[2].New)
	}
	if second[1].ID == first[1].ID {
		t.Errorf("a forgotten specimen kept its track ID %d", first[1].ID)
	}
}

// TestTrackerForSurface: on a sticky card a catch stays where it landed, so
// a speck unseen for 50 frames is no new catch when it is seen again, and
// a whitefly arriving 4 mm from a speck unseen on that frame is a new one
// (on a sheet the first is counted again after SheetMaxAge frames and the
// second is taken for the speck, walked: moths walk on a sheet).
func TestTrackerForSurface(t *testing.T) {
	const ppm = 10
	speck := image.Rect(100, 100, 110, 108)
	other := image.Rect(400, 300, 412, 310) // seen on every frame
	arrival := speck.Add(image.Pt(4*ppm, 0))
	for _, tc := range []struct {
		surface               string
		returnsNew, arriveNew bool
	}{
		{SurfaceCard, false, true},
		{SurfaceGreyCard, false, true},
		{SurfaceSheet, true, false},
	} {
		t.Run(tc.surface, func(t *testing.T) {
			tr := NewFrameTracker(ppm)
			update := func(boxes ...image.Rectangle) []Track {
				tr.ForSurface(tc.surface, ppm)
				return tr.Update(boxes)
			}
			update(speck, other)
			for range 50 {
				update(other)
			}
			if got := update(other, speck); got[1].New != tc.returnsNew {
				t.Errorf("speck seen again after 50 frames: New = %v, want %v", got[1].New, tc.returnsNew)
			}
			update(other) // the speck unseen on the frame the whitefly arrives
			if got := update(other, arrival); got[1].New != tc.arriveNew {
				t.Errorf("arrival 4 mm from an unseen speck: New = %v, want %v", got[1].New, tc.arriveNew)
			}
		})
	}
}

package realeval

import (
	"image"
	"math"
	"reflect"
	"testing"
)

func TestMatches(t *testing.T) {
	box := image.Rect(100, 100, 200, 200) // 100x100, centre (150,150)
	for _, tc := range []struct {
		name string
		det  image.Rectangle
		want bool
	}{
		{"identical", box, true},
		{"IoU exactly 0.3 is enough", image.Rect(100, 100, 200, 130), true}, // 3000/10000
		{"IoU just under 0.3, centre outside", image.Rect(100, 100, 200, 129), false},
		{"shifted half a box: IoU 1/3", image.Rect(150, 100, 250, 200), true},
		{"small inside, centres mutual", image.Rect(140, 140, 160, 160), true}, // IoU 0.04
		{"small inside off-centre: holds no centre of the box", image.Rect(105, 105, 125, 125), false},
		{"large around, centres mutual", image.Rect(0, 0, 300, 300), true}, // IoU 0.11
		{"large around, box's centre held but not the detection's", image.Rect(120, 120, 600, 600), false},
		{"centre exactly on the edge counts", image.Rect(150, 150, 250, 250), true}, // IoU 0.14, both centres on edges
		{"disjoint", image.Rect(300, 300, 340, 340), false},
		{"touching edge", image.Rect(200, 100, 300, 200), false},
	} {
		if got := Matches(tc.det, box); got != tc.want {
			t.Errorf("%s: Matches(%v, %v) = %v, want %v", tc.name, tc.det, box, got, tc.want)
		}
	}
}

func obj(kind string, x0, y0, x1, y1 int) Object {
	return Object{Box: [4]int{x0, y0, x1, y1}, Kind: kind}
}

func TestScoreFrame(t *testing.T) {
	ann := Annotation{Width: 1000, Height: 1000, Objects: []Object{
		obj(KindInsect, 100, 100, 200, 200),    // 0
		obj(KindInsect, 400, 400, 460, 450),    // 1
		obj(KindNotInsect, 800, 800, 900, 840), // scale bar
		obj(KindInsect, 600, 100, 700, 200),    // 2
	}}
	for _, tc := range []struct {
		name   string
		dets   []image.Rectangle
		sticky bool
		want   Score
	}{
		{"perfect", []image.Rectangle{image.Rect(102, 98, 203, 199), image.Rect(405, 402, 458, 452), image.Rect(600, 100, 700, 200)}, false,
			Score{Found: 3, Detections: 3}},
		{"centre rule finds a leg-less core and a box with legs", []image.Rectangle{image.Rect(140, 140, 165, 160), image.Rect(330, 330, 530, 520)}, false,
			Score{Found: 2, Detections: 2, Missed: []int{2}}},
		{"small unmatched speck ignored, 40 px one is a false positive", []image.Rectangle{image.Rect(10, 10, 49, 49), image.Rect(10, 500, 50, 510)}, false,
			Score{Detections: 2, Ignored: 1, FalsePositives: 1, FalseIdx: []int{1}, Missed: []int{0, 1, 2}}},
		{"small detection on the scale bar is a false positive", []image.Rectangle{image.Rect(840, 810, 860, 830)}, false,
			Score{Detections: 1, FalsePositives: 1, NotInsectHits: 1, FalseIdx: []int{0}, Missed: []int{0, 1, 2}}},
		{"two halves of one insect: one found, the other a false positive", []image.Rectangle{image.Rect(100, 100, 150, 200), image.Rect(150, 100, 200, 200)}, false,
			Score{Found: 1, Detections: 2, FalsePositives: 1, FalseIdx: []int{1}, Missed: []int{1, 2}}},
		{"one box over two far-apart insects matches neither", []image.Rectangle{image.Rect(100, 100, 700, 200)}, false,
			Score{Detections: 1, FalsePositives: 1, FalseIdx: []int{0}, Missed: []int{0, 1, 2}}}, // IoU 1/6 each, centres not mutual
		{"sticky: no false positives, others split at 40 px", []image.Rectangle{image.Rect(100, 100, 200, 200), image.Rect(0, 0, 30, 30), image.Rect(800, 800, 900, 840)}, true,
			Score{Sticky: true, Found: 1, Centred: 1, SideRatios: []float64{1}, Detections: 3, OtherSmall: 1, OtherLarge: 1, Missed: []int{1, 2}}},
		{"sticky: a tight box off the loose box's centre is centred, not found", []image.Rectangle{image.Rect(610, 110, 630, 130)}, true,
			Score{Sticky: true, Centred: 1, SideRatios: []float64{5}, Detections: 1, OtherSmall: 1, Missed: []int{0, 1, 2}}},
		{"sticky: the side ratio is the detection centred nearest the box's centre", []image.Rectangle{image.Rect(105, 105, 145, 145), image.Rect(140, 140, 160, 160)}, true,
			Score{Sticky: true, Found: 1, Centred: 1, SideRatios: []float64{5}, Detections: 2, OtherLarge: 1, Missed: []int{1, 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ScoreFrame(ann, tc.dets, tc.sticky)
			tc.want.Frames, tc.want.Annotated = 1, 3
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestAssignMaximal checks that a detection matching two insects does not
// take the only partner of another: greedy best-IoU pairing would find one
// insect here, the maximum matching finds both.
func TestAssignMaximal(t *testing.T) {
	boxes := []image.Rectangle{image.Rect(0, 0, 100, 100), image.Rect(60, 0, 160, 100)}
	dets := []image.Rectangle{
		image.Rect(30, 0, 130, 100), // IoU 0.54 with both boxes
		image.Rect(0, 0, 70, 100),   // IoU 0.7 with box 0, 0.06 with box 1
	}
	ofBox, ofDet := Assign(boxes, dets)
	if !reflect.DeepEqual(ofBox, []int{1, 0}) || !reflect.DeepEqual(ofDet, []int{1, 0}) {
		t.Fatalf("ofBox %v ofDet %v, want [1 0] [1 0]", ofBox, ofDet)
	}
	if b, d := Assign(nil, dets); len(b) != 0 || !reflect.DeepEqual(d, []int{-1, -1}) {
		t.Fatalf("no boxes: %v %v", b, d)
	}
}

func TestScoreRatios(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		s                    Score
		recall, prec, cntErr float64
	}{
		{"typical", Score{Annotated: 10, Found: 8, FalsePositives: 2, Ignored: 5}, 0.8, 0.8, 0},
		{"overcount", Score{Annotated: 10, Found: 10, FalsePositives: 3}, 1, 10.0 / 13, 0.3},
		{"undercount", Score{Annotated: 20, Found: 15}, 0.75, 1, 0.25},
		{"empty frame, one false positive", Score{FalsePositives: 1}, 1, 0, 1},
		{"empty frame, nothing found", Score{Ignored: 4}, 1, 1, 0},
		{"sticky has no count error", Score{Sticky: true, Annotated: 10, Found: 5, OtherLarge: 9}, 0.5, 1, 0},
	} {
		r, p, c := tc.s.Recall(), tc.s.Precision(), tc.s.CountError()
		if math.Abs(r-tc.recall) > 1e-9 || math.Abs(p-tc.prec) > 1e-9 || math.Abs(c-tc.cntErr) > 1e-9 {
			t.Errorf("%s: recall %v precision %v count error %v, want %v %v %v", tc.name, r, p, c, tc.recall, tc.prec, tc.cntErr)
		}
	}
	var sum Score
	sum.Add(Score{Frames: 1, Annotated: 3, Found: 2, FalsePositives: 1, Missed: []int{1}})
	sum.Add(Score{Frames: 1, Annotated: 1, Found: 1, NotInsectHits: 1, FalsePositives: 1})
	if want := (Score{Frames: 2, Annotated: 4, Found: 3, NotInsectHits: 1, FalsePositives: 2}); !reflect.DeepEqual(sum, want) {
		t.Fatalf("sum %+v, want %+v", sum, want)
	}
	var cards Score
	if got := cards.MedianSideRatio(); got != 0 {
		t.Errorf("median side ratio of nothing = %v, want 0", got)
	}
	cards.Add(Score{Sticky: true, SideRatios: []float64{4, 1}})
	cards.Add(Score{Sticky: true, SideRatios: []float64{3}})
	if got := cards.MedianSideRatio(); got != 3 || !reflect.DeepEqual(cards.SideRatios, []float64{4, 1, 3}) {
		t.Errorf("after Add: ratios %v, median %v; want [4 1 3], 3", cards.SideRatios, got)
	}
}

func TestOverlapping(t *testing.T) {
	r := image.Rect
	for _, c := range []struct {
		name string
		dets []image.Rectangle
		want int
	}{
		{"none", nil, 0},
		{"apart", []image.Rectangle{r(0, 0, 10, 10), r(20, 0, 30, 10)}, 0},
		{"touching", []image.Rectangle{r(0, 0, 10, 10), r(10, 0, 20, 10)}, 0},
		{"the same box twice", []image.Rectangle{r(0, 0, 10, 10), r(0, 0, 10, 10)}, 1},
		{"shifted a pixel", []image.Rectangle{r(0, 0, 10, 10), r(1, 0, 11, 10)}, 1},
		{"half overlap (IoU 1/3)", []image.Rectangle{r(0, 0, 10, 10), r(5, 0, 15, 10)}, 0},
		{"three on one object", []image.Rectangle{r(0, 0, 10, 10), r(0, 1, 10, 11), r(1, 0, 11, 10)}, 3},
		{"a box inside one 4 times larger", []image.Rectangle{r(0, 0, 20, 20), r(0, 0, 10, 10)}, 0},
	} {
		if got := Overlapping(c.dets, 0.5); got != c.want {
			t.Errorf("%s: %d pairs, want %d", c.name, got, c.want)
		}
	}
}

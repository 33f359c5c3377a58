package realeval

import (
	"errors"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	sheet := func(trap string, s Score) Row {
		s.Frames = 1
		return Row{Frame: Frame{Path: trap + "/f.jpg", Trap: trap}, Score: s}
	}
	sticky := func(annotated, found int) Row {
		return Row{Frame: Frame{Path: "sticky/s.jpg", Trap: StickyFolder, Sticky: true},
			Score: Score{Frames: 1, Sticky: true, Annotated: annotated, Found: found, OtherLarge: 50}}
	}
	// withNot gives a frame n annotated not_insect boxes.
	withNot := func(r Row, n int) Row {
		for range n {
			r.Frame.Ann.Objects = append(r.Frame.Ann.Objects, Object{Box: [4]int{0, 0, 50, 50}, Kind: KindNotInsect})
		}
		return r
	}
	for _, tc := range []struct {
		name string
		rows []Row
		want []string // substrings of the failures, in order
	}{
		{"all met", []Row{sheet("a", Score{Annotated: 20, Found: 19, FalsePositives: 1}), sheet("b", Score{Annotated: 10, Found: 10}), sticky(10, 8)}, nil},
		{"one trap's recall", []Row{sheet("a", Score{Annotated: 50, Found: 50}), sheet("b", Score{Annotated: 10, Found: 8}), sticky(10, 9)},
			[]string{"b/f.jpg: count error 0.20", "b: recall 0.800"}},
		{"precision, not_insect and count", []Row{withNot(sheet("a", Score{Annotated: 10, Found: 10, FalsePositives: 2, NotInsectHits: 1}), 2)},
			[]string{"a/f.jpg: count error 0.20", "1 detections on the 2 not_insect boxes", "a: precision 0.833", "light sheets: precision 0.833"}},
		{"sticky recall", []Row{sticky(10, 7)}, []string{"sticky (whiteflies): whitefly recall 0.700"}},
		{"frame not scored", []Row{{Frame: Frame{Path: "x/f.jpg", Trap: "x"}, Err: errors.New("corrupt")}}, []string{"x/f.jpg: not scored: corrupt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Report{Rows: tc.rows}.Check(IssueTargets)
			if len(got) != len(tc.want) {
				t.Fatalf("failures %q, want %d", got, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("failure %d %q, want %q", i, got[i], w)
				}
			}
		})
	}
}

// TestFloorsNotInsectShare: the floors allow not_insect hits in proportion
// to the not_insect boxes annotated, so that they hold as frames are added.
func TestFloorsNotInsectShare(t *testing.T) {
	row := func(hits, boxes int) Row {
		r := Row{Frame: Frame{Path: "a/f.jpg", Trap: "a"}, Score: Score{Frames: 1, Annotated: 100, Found: 100, FalsePositives: hits, NotInsectHits: hits}}
		for range boxes {
			r.Frame.Ann.Objects = append(r.Frame.Ann.Objects, Object{Box: [4]int{0, 0, 50, 50}, Kind: KindNotInsect})
		}
		return r
	}
	for _, tc := range []struct {
		hits, boxes int
		fails       bool
	}{{0, 0, false}, {1, 10, false}, {2, 10, true}, {6, 40, false}, {7, 40, true}, {1, 0, true}} {
		got := Report{Rows: []Row{row(tc.hits, tc.boxes)}}.Check(Floors)
		if failed := len(got) > 0; failed != tc.fails {
			t.Errorf("%d hits on %d not_insect boxes: failures %q, want failing %v", tc.hits, tc.boxes, got, tc.fails)
		}
	}
}

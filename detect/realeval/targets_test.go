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
	for _, tc := range []struct {
		name string
		rows []Row
		want []string // substrings of the failures, in order
	}{
		{"all met", []Row{sheet("a", Score{Annotated: 20, Found: 19, FalsePositives: 1}), sheet("b", Score{Annotated: 10, Found: 10}), sticky(10, 8)}, nil},
		{"one trap's recall", []Row{sheet("a", Score{Annotated: 50, Found: 50}), sheet("b", Score{Annotated: 10, Found: 8}), sticky(10, 9)},
			[]string{"b/f.jpg: count error 0.20", "b: recall 0.800"}},
		{"precision, not_insect and count", []Row{sheet("a", Score{Annotated: 10, Found: 10, FalsePositives: 2, NotInsectHits: 1})},
			[]string{"a/f.jpg: count error 0.20", "1 detections on not_insect", "a: precision 0.833", "light sheets: precision 0.833"}},
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

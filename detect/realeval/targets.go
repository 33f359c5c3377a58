package realeval

import "fmt"

// Targets are issue #11's goals on real frames (see IssueTargets).
type Targets struct {
	// SheetRecall and SheetPrecision are the least recall and precision of
	// the frames scored by the 40 px rules (every folder but sticky), over
	// all of them and on every trap folder.
	SheetRecall, SheetPrecision float64
	// MaxNotInsectShare is the most detections allowed to match a
	// not_insect box, as a share of the not_insect boxes annotated on the
	// frames scored by the 40 px rules (0: none; a share, so that a floor
	// holds as frames are added).
	MaxNotInsectShare float64
	// MaxCountError is the largest per-frame CountError allowed (frames
	// scored by the 40 px rules).
	MaxCountError float64
	// StickyRecall is the least whitefly recall over all sticky frames.
	StickyRecall float64
}

// IssueTargets is the one table of the targets real_test.go asserts: light
// sheets (insects >= 40 px) recall >= 0.90 and precision >= 0.85 overall
// and per trap folder, no not_insect reported as a specimen, count error
// <= 10 % per frame, sticky cards whitefly recall >= 0.80.
var IssueTargets = Targets{
	SheetRecall:       0.90,
	SheetPrecision:    0.85,
	MaxNotInsectShare: 0,
	MaxCountError:     0.10,
	StickyRecall:      0.80,
}

// Floors are what real_test.go asserts on every run: the issue's light-sheet
// recall, precision and per-frame count error, which the detector meets
// (recall 0.95, precision 0.90-1.0 per trap, count error at most 0.08 on
// 2026-12-05), and for the targets it does not meet yet the level measured
// that day with a small margin, so that a change making them worse fails:
// 6 detections on the 39 not_insect boxes (a stain, and a debris clump
// seen on 5 frames; the shadow is dropped). Sticky-card whitefly recall
// was 0.76 then (whiteflies of 4-12 px, their annotated boxes 25-45 px:
// 0.94 of them hold a detection's centre, Score.Centred); since
// 2026-12-06, with a whitefly's pale wings filled (detect/card.go,
// paleLevel), it is 0.80 and its floor 0.78. Since the twenty-first
// session vermont's stain is dropped (detect/stain.go): 5 of the 39
// not_insect boxes are hit (0.13), and the floor is 0.15.
var Floors = Targets{
	SheetRecall:       0.90,
	SheetPrecision:    0.85,
	MaxNotInsectShare: 0.15,
	MaxCountError:     0.10,
	StickyRecall:      0.78,
}

// MaxCardOverlaps is the most pairs of detections on the sticky cards of
// ../shared/realframes that real_test.go lets overlap by IoU 0.5 or more
// (Overlapping): 41 before the pale fill (detect/card.go), 31 since.
const MaxCardOverlaps = 40

// NotSheet are folders of frames that are not trap sheets (DSLR: hand-held
// photos of a butterfly on the ground): reported, not held to the sheet
// targets.
var NotSheet = map[string]bool{"DSLR": true}

// Check returns one line per target the report misses (none when all are
// met), and one per frame that could not be scored.
func (r Report) Check(t Targets) []string {
	var fails []string
	bad := func(format string, a ...any) { fails = append(fails, fmt.Sprintf(format, a...)) }
	notInsect, notBoxes := 0, 0
	for _, row := range r.Rows {
		if row.Err != nil {
			bad("%s: not scored: %v", row.Frame.Path, row.Err)
			continue
		}
		if NotSheet[row.Frame.Trap] {
			continue
		}
		notInsect += row.Score.NotInsectHits
		if !row.Frame.Sticky {
			notBoxes += len(row.Frame.Ann.NotInsects())
		}
		if !row.Frame.Sticky && row.Score.CountError() > t.MaxCountError {
			bad("%s: count error %.2f > %.2f (%d counted, %d annotated)", row.Frame.Path, row.Score.CountError(), t.MaxCountError, row.Score.Counted(), row.Score.Annotated)
		}
	}
	if float64(notInsect) > t.MaxNotInsectShare*float64(notBoxes) {
		bad("%d detections on the %d not_insect boxes > %.2f of them", notInsect, notBoxes, t.MaxNotInsectShare)
	}
	for _, g := range r.Groups() {
		s := g.Score
		switch {
		case g.Name == TotalAll || s.Frames == 0 || NotSheet[g.Name]:
		case g.Name == TotalSticky:
			if s.Recall() < t.StickyRecall {
				bad("%s: whitefly recall %.3f < %.2f", g.Name, s.Recall(), t.StickyRecall)
			}
		case !s.Sticky:
			if s.Recall() < t.SheetRecall {
				bad("%s: recall %.3f < %.2f (%d of %d insects)", g.Name, s.Recall(), t.SheetRecall, s.Found, s.Annotated)
			}
			if s.Precision() < t.SheetPrecision {
				bad("%s: precision %.3f < %.2f (%d false positives of %d counted)", g.Name, s.Precision(), t.SheetPrecision, s.FalsePositives, s.Counted())
			}
		}
	}
	return fails
}

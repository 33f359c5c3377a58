package realeval

import (
	"image"
	"math"
	"sort"

	"github.com/trapnet/trapnet/detect"
)

// The README's scoring constants.
const (
	// MinIoU is the IoU at which a detection matches a box.
	MinIoU = 0.3
	// MinSidePx is the longest side below which an unmatched detection is
	// ignored (on sheet frames) and below which insects are not annotated.
	MinSidePx = 40
)

// Matches reports whether a detection d matches an annotated box b: IoU >=
// MinIoU, or each box holds the other's centre.
func Matches(d, b image.Rectangle) bool {
	return detect.IoU(d, b) >= MinIoU || (holds(d, centre(b)) && holds(b, centre(d)))
}

// centre is a box's centre in doubled coordinates (exact for odd sizes).
func centre(r image.Rectangle) image.Point { return r.Min.Add(r.Max) }

// holds reports whether r holds the doubled-coordinate point c2 (edges
// included).
func holds(r image.Rectangle, c2 image.Point) bool {
	return c2.X >= 2*r.Min.X && c2.X <= 2*r.Max.X && c2.Y >= 2*r.Min.Y && c2.Y <= 2*r.Max.Y
}

// LongestSide is a box's longest side in pixels.
func LongestSide(r image.Rectangle) int { return max(r.Dx(), r.Dy()) }

// Score counts one frame's (or, summed with Add, many frames') outcome.
type Score struct {
	// Frames is the number of frames summed (1 for one frame).
	Frames int
	// Sticky frames count whitefly recall only: FalsePositives,
	// NotInsectHits and Ignored stay 0 and unmatched detections go to
	// OtherLarge / OtherSmall.
	Sticky bool
	// Annotated is the number of insect boxes; Found how many a detection
	// matched (one detection per insect).
	Annotated, Found int
	// Centred counts, on sticky frames, the insects whose box holds the
	// centre of some detection: one half of the README's mutual-centre
	// rule. The cards' whitefly boxes are several times the insect (see
	// SideRatios), so a tight box centred on a whitefly often fails the
	// other half; Centred
	// shows how many are found in that sense (reported, not a target).
	Centred int
	// SideRatios holds, for each centred insect, the side of its box over
	// that of the detection it holds (the one centred nearest its own
	// centre; sides as the square root of the area). Near 1 when the
	// annotations are drawn as tightly as the detector's boxes; the cards'
	// whitefly boxes give about 3.6, which is why a tight box centred on
	// a whitefly so often fails the README's mutual-centre rule.
	SideRatios []float64
	// Detections is the number of boxes the detector returned.
	Detections int
	// FalsePositives counts detections matching a not_insect box (also in
	// NotInsectHits) or nothing while >= MinSidePx.
	FalsePositives int
	// NotInsectHits counts detections matching a not_insect box and no
	// insect: something a person would not call a specimen reported as one.
	NotInsectHits int
	// Ignored counts unmatched detections < MinSidePx (sheet frames).
	Ignored int
	// OtherLarge and OtherSmall count, on sticky frames, detections that
	// match no whitefly, >= MinSidePx and smaller.
	OtherLarge, OtherSmall int
	// Missed lists the indices (into Annotation.Insects) of insects not
	// found, and FalseIdx the indices of the false-positive detections
	// (both for one frame only; Add drops them).
	Missed, FalseIdx []int
}

// Counted is the number of detections counted as insects: those matching an
// insect plus the false positives (ignored specks are not counted).
func (s Score) Counted() int { return s.Found + s.FalsePositives }

// Recall is Found / Annotated (1 when nothing is annotated).
func (s Score) Recall() float64 { return ratio(s.Found, s.Annotated) }

// CentredRecall is Centred / Annotated (see Centred; 1 when nothing is
// annotated).
func (s Score) CentredRecall() float64 { return ratio(s.Centred, s.Annotated) }

// Precision is Found / Counted (1 when nothing is counted). It is not
// measured on sticky frames (all detections there are either whiteflies or
// unannotated) and returns 1 for them.
func (s Score) Precision() float64 { return ratio(s.Found, s.Counted()) }

// CountError is |Counted - Annotated| / Annotated: how far the number of
// insects the detector reports is from the number a person sees. With no
// annotated insect it is the count itself (|Counted| / 1). Not measured on
// sticky frames (0).
func (s Score) CountError() float64 {
	if s.Sticky {
		return 0
	}
	d := s.Counted() - s.Annotated
	if d < 0 {
		d = -d
	}
	return float64(d) / float64(max(s.Annotated, 1))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Add sums o into s (the per-frame index lists are dropped).
func (s *Score) Add(o Score) {
	s.Frames += o.Frames
	s.Sticky = o.Sticky
	s.Annotated += o.Annotated
	s.Found += o.Found
	s.Centred += o.Centred
	s.SideRatios = append(s.SideRatios, o.SideRatios...)
	s.Detections += o.Detections
	s.FalsePositives += o.FalsePositives
	s.NotInsectHits += o.NotInsectHits
	s.Ignored += o.Ignored
	s.OtherLarge += o.OtherLarge
	s.OtherSmall += o.OtherSmall
	s.Missed, s.FalseIdx = nil, nil
}

// ScoreFrame scores the detections dets of one frame against its
// annotation with the README's rules (see the package doc); sticky selects
// the whitefly-only rules.
func ScoreFrame(a Annotation, dets []image.Rectangle, sticky bool) Score {
	insects := a.Insects()
	s := Score{Frames: 1, Sticky: sticky, Annotated: len(insects), Detections: len(dets)}
	ofInsect, ofDet := Assign(insects, dets)
	for i, d := range ofInsect {
		if d >= 0 {
			s.Found++
		} else {
			s.Missed = append(s.Missed, i)
		}
	}
	if sticky {
		for _, b := range insects {
			if d, ok := nearestHeld(b, dets); ok {
				s.Centred++
				s.SideRatios = append(s.SideRatios, math.Sqrt(float64(b.Dx()*b.Dy())/float64(max(1, d.Dx()*d.Dy()))))
			}
		}
	}
	var notInsects []image.Rectangle
	if !sticky {
		notInsects = a.NotInsects()
	}
	for di, ti := range ofDet {
		if ti >= 0 {
			continue
		}
		small := LongestSide(dets[di]) < MinSidePx
		switch {
		case sticky && small:
			s.OtherSmall++
		case sticky:
			s.OtherLarge++
		case matchesAny(dets[di], notInsects):
			s.NotInsectHits++
			s.FalsePositives++
			s.FalseIdx = append(s.FalseIdx, di)
		case small:
			s.Ignored++
		default:
			s.FalsePositives++
			s.FalseIdx = append(s.FalseIdx, di)
		}
	}
	return s
}

// nearestHeld returns, of the detections whose centre b holds, the one
// centred nearest b's centre.
func nearestHeld(b image.Rectangle, dets []image.Rectangle) (image.Rectangle, bool) {
	best, found, cb := 0, false, centre(b)
	var out image.Rectangle
	for _, d := range dets {
		c := centre(d)
		if !holds(b, c) {
			continue
		}
		if dist := (c.X-cb.X)*(c.X-cb.X) + (c.Y-cb.Y)*(c.Y-cb.Y); !found || dist < best {
			best, found, out = dist, true, d
		}
	}
	return out, found
}

// MedianSideRatio is the median of SideRatios (0 when there are none).
func (s Score) MedianSideRatio() float64 {
	if len(s.SideRatios) == 0 {
		return 0
	}
	v := append([]float64(nil), s.SideRatios...)
	sort.Float64s(v)
	return v[len(v)/2]
}

func matchesAny(d image.Rectangle, boxes []image.Rectangle) bool {
	for _, b := range boxes {
		if Matches(d, b) {
			return true
		}
	}
	return false
}

// Assign pairs boxes with detections one to one where they Match, as many
// pairs as possible (maximum bipartite matching by augmenting paths; each
// box tries its candidates best IoU first, so unambiguous cases pair by
// IoU). ofBox[i] is the detection paired with box i and ofDet[j] the box
// paired with detection j, -1 when unpaired.
func Assign(boxes, dets []image.Rectangle) (ofBox, ofDet []int) {
	cand := make([][]int, len(boxes))
	for i, b := range boxes {
		for j, d := range dets {
			if Matches(d, b) {
				cand[i] = append(cand[i], j)
			}
		}
		sort.SliceStable(cand[i], func(x, y int) bool {
			return detect.IoU(boxes[i], dets[cand[i][x]]) > detect.IoU(boxes[i], dets[cand[i][y]])
		})
	}
	ofBox, ofDet = fill(len(boxes), -1), fill(len(dets), -1)
	var seen []bool
	var augment func(i int) bool
	augment = func(i int) bool {
		for _, j := range cand[i] {
			if seen[j] {
				continue
			}
			seen[j] = true
			if ofDet[j] < 0 || augment(ofDet[j]) {
				ofBox[i], ofDet[j] = j, i
				return true
			}
		}
		return false
	}
	for i := range boxes {
		seen = make([]bool, len(dets))
		augment(i)
	}
	return ofBox, ofDet
}

func fill(n, v int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// Overlapping counts the pairs of dets overlapping by IoU minIoU or more:
// one object boxed twice, and so counted twice.
func Overlapping(dets []image.Rectangle, minIoU float64) int {
	n := 0
	for i, a := range dets {
		for _, b := range dets[i+1:] {
			if a.Overlaps(b) && detect.IoU(a, b) >= minIoU {
				n++
			}
		}
	}
	return n
}

package realeval

import (
	"fmt"
	"image"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/trapnet/trapnet/detect"
)

// SequenceFolders are the trap folders whose frames, in file-name order,
// are one trap photographed over time (realframes' sequential/: about a
// minute apart). On them counting is scored too: an insect that stays must
// not be counted again. A folder with SequenceWord in its name (any case:
// sequence/, Sequential-2/) is one too.
var SequenceFolders = map[string]bool{"sequential": true}

// SequenceWord in a trap folder's name makes it a sequence (see
// SequenceFolders).
const SequenceWord = "sequen"

// isSequence reports whether f's folder holds a sequence.
func isSequence(f Frame) bool {
	return SequenceFolders[f.Trap] || strings.Contains(strings.ToLower(f.Trap), SequenceWord)
}

// NewAgentTracker returns the agent's tracker (detect.NewFrameTracker) at
// the frame's scale, set for a sticky card when f is one (the frames of
// a sticky folder are searched as cards: Frame.Options).
func NewAgentTracker(f Frame) *detect.Tracker {
	t := detect.NewFrameTracker(f.Scale())
	if f.Sticky {
		t.ForSurface(detect.SurfaceCard, f.Scale())
	}
	return t
}

// SeqRow is one frame of a sequence.
type SeqRow struct {
	Frame Frame
	// TruthNew counts the annotated insects that match no insect annotated
	// on the previous frame (all of them on the first frame).
	TruthNew int
	// DetNew counts the counted detections (matching an insect, or >= 40
	// px) that the tracker reports as new: what the agent would publish.
	DetNew int
	// Recounted counts new detections on an insect that was already
	// annotated on the previous frame: one insect counted twice.
	Recounted int
	// MissedArrivals counts insects new on this frame that no new detection
	// matches: an arrival the agent would not publish.
	MissedArrivals int
}

// EvaluateSequences runs a fresh tracker (newTracker) over the rows of each
// SequenceFolders folder in file-name order and scores what it calls new
// against the annotations. Rows with an error break the sequence: the
// tracker restarts after them.
func EvaluateSequences(rep Report, newTracker func(Frame) *detect.Tracker) []SeqRow {
	byTrap := map[string][]Row{} // by folder: two sequences may share a name
	for _, r := range rep.Rows {
		if isSequence(r.Frame) {
			dir := filepath.Dir(r.Frame.Path)
			byTrap[dir] = append(byTrap[dir], r)
		}
	}
	traps := make([]string, 0, len(byTrap))
	for t := range byTrap {
		traps = append(traps, t)
	}
	sort.Strings(traps)
	var out []SeqRow
	for _, t := range traps {
		rows := byTrap[t]
		sort.Slice(rows, func(i, j int) bool { return rows[i].Frame.Path < rows[j].Frame.Path })
		tr := newTracker(rows[0].Frame)
		var prev []Object
		for _, r := range rows {
			if r.Err != nil {
				tr, prev = newTracker(r.Frame), nil
				continue
			}
			out = append(out, scoreSequenceFrame(r, tr.Update(r.Boxes), prev))
			prev = r.Frame.Ann.Objects
		}
	}
	return out
}

func scoreSequenceFrame(r Row, tracks []detect.Track, prev []Object) SeqRow {
	s := SeqRow{Frame: r.Frame}
	insects := r.Frame.Ann.Insects()
	var before []Object
	for _, o := range prev {
		if o.Kind == KindInsect {
			before = append(before, o)
		}
	}
	isNew := make([]bool, len(insects))
	for i, b := range insects {
		isNew[i] = true
		for _, o := range before {
			if Matches(b, o.Rect()) {
				isNew[i] = false
				break
			}
		}
		if isNew[i] {
			s.TruthNew++
		}
	}
	arrived := make([]bool, len(insects))
	for d, box := range r.Boxes {
		hit := -1
		for i, b := range insects {
			if Matches(box, b) {
				hit = i
				break
			}
		}
		if hit < 0 && LongestSide(box) < MinSidePx {
			continue // an ignored speck
		}
		if !tracks[d].New {
			continue
		}
		s.DetNew++
		if hit >= 0 {
			if isNew[hit] {
				arrived[hit] = true
			} else {
				s.Recounted++
			}
		}
	}
	for i := range insects {
		if isNew[i] && !arrived[i] {
			s.MissedArrivals++
		}
	}
	return s
}

// WriteSequenceMarkdown writes the rows as a Markdown table and a total
// over the frames after the first of each sequence.
func WriteSequenceMarkdown(w io.Writer, rows []SeqRow) error {
	fmt.Fprintln(w, "| trap | frame | insects | new (annotated) | new (counted by the agent) | counted again | arrivals missed |")
	fmt.Fprintln(w, "|---|---|--:|--:|--:|--:|--:|")
	var tn, dn, rc, ma int
	for i, r := range rows {
		fmt.Fprintf(w, "| %s | %s | %d | %d | %d | %d | %d |\n", r.Frame.Trap, filepath.Base(r.Frame.Path), len(r.Frame.Ann.Insects()), r.TruthNew, r.DetNew, r.Recounted, r.MissedArrivals)
		if i > 0 && rows[i-1].Frame.Trap == r.Frame.Trap {
			tn, dn, rc, ma = tn+r.TruthNew, dn+r.DetNew, rc+r.Recounted, ma+r.MissedArrivals
		}
	}
	_, err := fmt.Fprintf(w, "| all | frames after the first | | %d | %d | %d | %d |\n", tn, dn, rc, ma)
	return err
}

// CountedAgain feeds newTracker(f) the boxes of frame f as taken and then
// those of the same frame taken again (again: a few seconds later, with
// other sensor noise, light or compression, nothing arrived or left), and
// returns how many of the second's detections the tracker calls new, of
// MinSidePx or more and under it: each a specimen counted twice.
// realframes' sequences will hold frames 2-3 s apart, where every new
// count is one of these.
func CountedAgain(f Frame, taken, again []image.Rectangle, newTracker func(Frame) *detect.Tracker) (large, small int) {
	tr := newTracker(f)
	tr.Update(taken)
	for i, t := range tr.Update(again) {
		switch {
		case !t.New:
		case LongestSide(again[i]) >= MinSidePx:
			large++
		default:
			small++
		}
	}
	return large, small
}

// AgainRow is one frame taken twice (TakenAgain).
type AgainRow struct {
	Frame Frame
	// Large counts the second take's detections of MinSidePx or more;
	// AgainLarge and AgainSmall those the tracker counts again, of
	// MinSidePx or more and under it.
	Large, AgainLarge, AgainSmall int
}

// TakenAgain pairs the rows of a report on frames as taken with those of a
// report on the same frames taken again (the same frames in the same
// order, e.g. under the retake perturbation) and scores each pair with
// CountedAgain. Frames with an error in either are left out.
func TakenAgain(taken, again Report, newTracker func(Frame) *detect.Tracker) []AgainRow {
	var out []AgainRow
	for i, r := range taken.Rows {
		if i >= len(again.Rows) || r.Err != nil || again.Rows[i].Err != nil || again.Rows[i].Frame.Path != r.Frame.Path {
			continue
		}
		a := AgainRow{Frame: r.Frame}
		for _, b := range again.Rows[i].Boxes {
			if LongestSide(b) >= MinSidePx {
				a.Large++
			}
		}
		a.AgainLarge, a.AgainSmall = CountedAgain(r.Frame, r.Boxes, again.Rows[i].Boxes, newTracker)
		out = append(out, a)
	}
	return out
}

// WriteAgainMarkdown writes rows (TakenAgain) as a Markdown table, a line
// per trap folder and one for all.
func WriteAgainMarkdown(w io.Writer, rows []AgainRow) error {
	fmt.Fprintln(w, "| trap | frames | detections >= 40 px taken again | counted again >= 40 px | counted again < 40 px |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|")
	type sum struct{ n, large, again, small int }
	by := map[string]*sum{}
	var traps []string
	all := &sum{}
	for _, r := range rows {
		s := by[r.Frame.Trap]
		if s == nil {
			s = &sum{}
			by[r.Frame.Trap] = s
			traps = append(traps, r.Frame.Trap)
		}
		for _, t := range []*sum{s, all} {
			t.n, t.large, t.again, t.small = t.n+1, t.large+r.Large, t.again+r.AgainLarge, t.small+r.AgainSmall
		}
	}
	sort.Strings(traps)
	for _, t := range traps {
		s := by[t]
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d |\n", t, s.n, s.large, s.again, s.small)
	}
	_, err := fmt.Fprintf(w, "| all | %d | %d | %d | %d |\n", all.n, all.large, all.again, all.small)
	return err
}

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
// the frame's scale.
func NewAgentTracker(f Frame) *detect.Tracker { return detect.NewFrameTracker(f.Scale()) }

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
// returns how many of the second's detections of MinSidePx or more the
// tracker calls new: each a specimen counted twice. realframes' sequences
// will hold frames 2-3 s apart, where every new count is one of these.
func CountedAgain(f Frame, taken, again []image.Rectangle, newTracker func(Frame) *detect.Tracker) int {
	tr := newTracker(f)
	tr.Update(taken)
	n := 0
	for i, t := range tr.Update(again) {
		if t.New && LongestSide(again[i]) >= MinSidePx {
			n++
		}
	}
	return n
}

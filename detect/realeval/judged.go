package realeval

import (
	"bufio"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/trapnet/trapnet/detect"
)

// Judged labels: the sticky cards' annotations box whiteflies only, so the
// larger detections on them were judged by eye instead (bench/detect/
// sticky-large.tsv). A Judged row is one detection box of some earlier
// detector with what a person saw in it; a later detector's boxes are
// paired with them (Judge) to count the insects it still reports and the
// junk it no longer does.

// Judged labels.
const (
	JudgedInsect = "insect"
	JudgedJunk   = "junk"
	JudgedUnsure = "unsure"
)

// Judged is one judged detection box.
type Judged struct {
	// Frame is the image's file name (no folder).
	Frame string
	Box   image.Rectangle
	// Label is JudgedInsect, JudgedJunk or JudgedUnsure.
	Label string
	Note  string
}

// LoadJudged reads a judged-box file: tab-separated rows "frame x0 y0 x1
// y1 label note", lines starting with # are comments. A bad row is
// skipped and reported in problems (file and line); err is for a file
// that cannot be read.
func LoadJudged(path string) (rows []Judged, problems []error, err error) {
	return loadRows(path, ReadJudged)
}

// ReadJudged is LoadJudged on a reader; name is used in problems.
func ReadJudged(r io.Reader, name string) (rows []Judged, problems []error, err error) {
	return readRows(r, name, func(text string, _ int) (Judged, error) { return parseJudged(text) })
}

// loadRows opens path and reads it with read (a ReadJudged or
// ReadCorrections).
func loadRows[T any](path string, read func(io.Reader, string) ([]T, []error, error)) ([]T, []error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	return read(f, path)
}

// readRows parses each line of r that is neither blank nor a # comment
// with parse (given the line's text and number); a line it refuses is
// skipped and reported in problems as name:line.
func readRows[T any](r io.Reader, name string, parse func(text string, line int) (T, error)) (rows []T, problems []error, err error) {
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		row, err := parse(text, line)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s:%d: %v", name, line, err))
			continue
		}
		rows = append(rows, row)
	}
	return rows, problems, sc.Err()
}

func parseJudged(text string) (Judged, error) {
	p := strings.Split(text, "\t")
	if len(p) < 6 {
		return Judged{}, fmt.Errorf("%d tab-separated fields, want frame, x0, y0, x1, y1, label[, note]", len(p))
	}
	var v [4]int
	for i := range v {
		n, err := strconv.Atoi(strings.TrimSpace(p[1+i]))
		if err != nil {
			return Judged{}, fmt.Errorf("field %d (%s): %q is not an integer", 2+i, [4]string{"x0", "y0", "x1", "y1"}[i], p[1+i])
		}
		v[i] = n
	}
	j := Judged{Frame: strings.TrimSpace(p[0]), Box: image.Rect(v[0], v[1], v[2], v[3]), Label: strings.TrimSpace(p[5])}
	if len(p) > 6 {
		j.Note = strings.TrimSpace(strings.Join(p[6:], " "))
	}
	switch {
	case j.Frame == "":
		return Judged{}, fmt.Errorf("empty frame name")
	case v[2] <= v[0] || v[3] <= v[1]:
		return Judged{}, fmt.Errorf("box %v is empty (x1 <= x0 or y1 <= y0)", v)
	case j.Label != JudgedInsect && j.Label != JudgedJunk && j.Label != JudgedUnsure:
		return Judged{}, fmt.Errorf("label %q, want %q, %q or %q", j.Label, JudgedInsect, JudgedJunk, JudgedUnsure)
	}
	return j, nil
}

// JudgedScore counts a report's detections of MinSidePx or more on the
// frames the judged rows name.
type JudgedScore struct {
	// Judged counts the judged rows of the report's scored frames by
	// label; Kept those a detection still pairs with, and KeptSmall those
	// of Kept whose detection is under MinSidePx (a row judged at 40 px or
	// more that only a smaller detection at its centre still pairs with:
	// the README's rule counts it, as it counts a small detection on a
	// not_insect box on a sheet).
	Judged, Kept, KeptSmall map[string]int
	// Unjudged counts detections of MinSidePx or more pairing with no
	// judged row: new since the judging, or on a card no row names (to be
	// looked at: Report.ToJudge lists them).
	Unjudged int
	// Cards counts the sticky-card frames scored; CardsUnjudged those no
	// judged row names (cards other than the ones judged: their larger
	// detections are all Unjudged, and Precision says nothing of them).
	Cards, CardsUnjudged int
}

// Judge pairs each frame's detections with the judged rows of that frame
// (by file name): each detection takes the unpaired judged box it
// overlaps most among those it Matches (the README's rule, so that a box
// a later detector draws a little tighter or looser is still the same
// object, whatever its size now). Unjudged counts the detections of
// MinSidePx or more left unpaired, on the sticky cards no row names too.
func (r Report) Judge(judged []Judged) JudgedScore {
	s := JudgedScore{Judged: map[string]int{}, Kept: map[string]int{}, KeptSmall: map[string]int{}}
	r.pairJudged(judged, func(row Row, js []Judged, paired []int) {
		if row.Frame.Sticky {
			s.Cards++
			if js == nil {
				s.CardsUnjudged++
			}
		}
		for _, j := range js {
			s.Judged[j.Label]++
		}
		for i, d := range row.Boxes {
			switch {
			case paired[i] >= 0:
				s.Kept[js[paired[i]].Label]++
				if LongestSide(d) < MinSidePx {
					s.KeptSmall[js[paired[i]].Label]++
				}
			case LongestSide(d) >= MinSidePx:
				s.Unjudged++
			}
		}
	})
	return s
}

// ToJudge returns the detections of MinSidePx or more on sticky cards
// that pair with no judged row, as rows with an empty Label (WriteToJudge
// writes them for a person to label): what Judge counts as Unjudged on
// the cards.
func (r Report) ToJudge(judged []Judged) []Judged {
	var out []Judged
	r.pairJudged(judged, func(row Row, _ []Judged, paired []int) {
		if !row.Frame.Sticky {
			return
		}
		for i, d := range row.Boxes {
			if paired[i] < 0 && LongestSide(d) >= MinSidePx {
				out = append(out, Judged{Frame: filepath.Base(row.Frame.Path), Box: d})
			}
		}
	})
	return out
}

// WriteToJudge writes rows (ToJudge's) in the judged-box file format with
// "?" for a label, under a header saying how to fill it in: once each "?"
// is insect, junk or unsure, the file is a judged-box file (LoadJudged
// skips and reports a row still "?").
func WriteToJudge(w io.Writer, rows []Judged) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Detections of %d px or more on sticky cards that no judged row names.\n", MinSidePx)
	fmt.Fprintf(bw, "# Look at each box on its frame and replace \"?\" with %s (any arthropod,\n", JudgedInsect)
	fmt.Fprintf(bw, "# or touching ones, the box mostly on it), %s (the card's edge, glare,\n", JudgedJunk)
	fmt.Fprintf(bw, "# smudges, holes, debris, a box mostly on bare card) or %s; a note may follow.\n", JudgedUnsure)
	fmt.Fprintln(bw, "# frame\tx0\ty0\tx1\ty1\tlabel\tnote")
	for _, j := range rows {
		fmt.Fprintf(bw, "%s\t%d\t%d\t%d\t%d\t?\t\n", j.Frame, j.Box.Min.X, j.Box.Min.Y, j.Box.Max.X, j.Box.Max.Y)
	}
	return bw.Flush()
}

// pairJudged calls f for each scored frame of r with the judged rows of
// that frame (nil when none names it) and, per detection, the index in
// them of the row it pairs with, or -1 (see Judge).
func (r Report) pairJudged(judged []Judged, f func(row Row, js []Judged, paired []int)) {
	byFrame := map[string][]Judged{}
	for _, j := range judged {
		byFrame[j.Frame] = append(byFrame[j.Frame], j)
	}
	for _, row := range r.Rows {
		if row.Err != nil {
			continue
		}
		js := byFrame[filepath.Base(row.Frame.Path)]
		taken := make([]bool, len(js))
		paired := make([]int, len(row.Boxes))
		for i, d := range row.Boxes {
			paired[i] = -1
			best, bestIoU := -1, -1.0
			for k, j := range js {
				if u := detect.IoU(d, j.Box); !taken[k] && u > bestIoU && Matches(d, j.Box) {
					best, bestIoU = k, u
				}
			}
			if best >= 0 {
				taken[best], paired[i] = true, best
			}
		}
		if js != nil || row.Frame.Sticky {
			f(row, js, paired)
		}
	}
}

// Precision is insects kept over insects and junk kept (unsure and
// unjudged detections left out).
func (s JudgedScore) Precision() float64 {
	return ratio(s.Kept[JudgedInsect], s.Kept[JudgedInsect]+s.Kept[JudgedJunk])
}

// JudgedTargets are goals for the judged larger detections on sticky
// cards ("the larger insects on the cards found as on sheets").
type JudgedTargets struct {
	// InsectsKept is the least fraction of the judged insects still
	// reported; Precision the least Precision.
	InsectsKept, Precision float64
	// MaxJunkKept is the largest fraction of the judged junk still
	// reported.
	MaxJunkKept float64
}

// IssueJudged reads "as on sheets" as the sheets' targets: 0.90 of the
// larger insects found, precision 0.85.
var IssueJudged = JudgedTargets{InsectsKept: 0.90, Precision: 0.85, MaxJunkKept: 1}

// FloorJudged is what real_test.go asserts: on 2026-12-04, 167 of the 172
// judged insects were still reported and 169 of the 443 junk boxes
// (precision 0.50), after the card's edge, glare and punched-hole rules
// (detect/cardedge.go, detect/glare.go, detect/hole.go) and with the
// card's background in half-size blocks (detect/card.go). On 2026-12-06,
// with glare among white flecks dropped (detect/glare.go), 170 of 172 and
// 154 of 455 (precision 0.525): the junk and precision floors were raised.
// Twenty-first session, with flat scatters dropped (detect/flatscatter.go),
// 176 of 179 and 140 of 464 (precision 0.557): raised again. Twenty-second
// session, with pale glare dropped (detect/glare.go), 176 of 179 and 127
// of 464 (precision 0.581): raised again. Twenty-sixth session, with the
// card's noise scale measured on the card alone (detect/noise.go), 176 of
// 179 and 125 of 479 (precision 0.585; 0.577 before it, which the floor
// now fails): raised to 0.58.
var FloorJudged = JudgedTargets{InsectsKept: 0.95, Precision: 0.58, MaxJunkKept: 0.3}

// Check returns one line per target s misses. Cards with no judged row
// at all cannot meet a target: that is a line too (their detections are
// to be judged first), not a precision of 1.
func (s JudgedScore) Check(t JudgedTargets) []string {
	var fails []string
	ins, junk := s.Judged[JudgedInsect], s.Judged[JudgedJunk]
	if ins+junk == 0 {
		if s.Cards > 0 {
			fails = append(fails, fmt.Sprintf("larger detections on cards not measured: no judged row names any of the %d cards (%d detections >= %d px to judge: bench/detect -real DIR -judge-out FILE)", s.Cards, s.Unjudged, MinSidePx))
		}
		return fails
	}
	if k := ratio(s.Kept[JudgedInsect], ins); k < t.InsectsKept {
		fails = append(fails, fmt.Sprintf("judged insects on cards still reported: %d of %d (%.3f < %.2f)", s.Kept[JudgedInsect], ins, k, t.InsectsKept))
	}
	if k := ratio(s.Kept[JudgedJunk], junk); junk > 0 && k > t.MaxJunkKept {
		fails = append(fails, fmt.Sprintf("judged junk on cards still reported: %d of %d (%.3f > %.2f)", s.Kept[JudgedJunk], junk, k, t.MaxJunkKept))
	}
	if p := s.Precision(); p < t.Precision {
		fails = append(fails, fmt.Sprintf("precision of the judged larger detections on cards %.3f < %.2f", p, t.Precision))
	}
	return fails
}

// String summarises s in one line.
func (s JudgedScore) String() string {
	if s.Judged[JudgedInsect]+s.Judged[JudgedJunk]+s.Judged[JudgedUnsure] == 0 {
		return fmt.Sprintf("no judged row for these frames: precision not measured; %d detections >= %d px on %d cards not judged", s.Unjudged, MinSidePx, s.Cards)
	}
	var cards string
	if s.CardsUnjudged > 0 {
		cards = fmt.Sprintf(" (%d of the %d cards have no judged row)", s.CardsUnjudged, s.Cards)
	}
	return fmt.Sprintf("insects %d of %d still reported, junk %d of %d, unsure %d of %d (by detections under %d px: %d insects, %d junk); precision %.3f; %d detections >= %d px not judged%s",
		s.Kept[JudgedInsect], s.Judged[JudgedInsect], s.Kept[JudgedJunk], s.Judged[JudgedJunk],
		s.Kept[JudgedUnsure], s.Judged[JudgedUnsure], MinSidePx, s.KeptSmall[JudgedInsect], s.KeptSmall[JudgedJunk],
		s.Precision(), s.Unjudged, MinSidePx, cards)
}

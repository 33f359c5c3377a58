package realeval

import (
	"fmt"
	"image"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

// Corrections: the realframes README asks that where a detector and a box
// disagree, the frame be looked at before either is trusted, and that
// corrected annotations be kept in the project (bench/detect/
// corrections.tsv). A Correction drops a box the annotation has (a
// duplicate) or adds one it lacks (an insect of 40 px or more left out).
// The held-back frames are scored on their own annotations, so the
// targets are checked on the annotations as given; a corrected score is
// reported beside them (Report.Rescored), never instead.

// Correction actions.
const (
	CorrectDrop = "drop"
	CorrectAdd  = "add"
)

// Correction is one change to a frame's annotation.
type Correction struct {
	// Frame is the image's path below the realframes folder, with
	// forward slashes (vermont/20220623043000-215-snapshot.jpg).
	Frame string
	// Action is CorrectDrop (Object.Box must be one of the frame's boxes,
	// exactly) or CorrectAdd.
	Action string
	// Object is the box, its kind and why.
	Object Object
	// File and Line say where the row was read (for problems).
	File string
	Line int
}

// LoadCorrections reads a corrections file: tab-separated rows "frame
// action x0 y0 x1 y1 kind note", lines starting with # are comments. A bad
// row is skipped and reported in problems (file and line); err is for a
// file that cannot be read.
func LoadCorrections(path string) (rows []Correction, problems []error, err error) {
	return loadRows(path, ReadCorrections)
}

// ReadCorrections is LoadCorrections on a reader; name is used in problems.
func ReadCorrections(r io.Reader, name string) (rows []Correction, problems []error, err error) {
	return readRows(r, name, func(text string, line int) (Correction, error) {
		c, err := parseCorrection(text)
		c.File, c.Line = name, line
		return c, err
	})
}

func parseCorrection(text string) (Correction, error) {
	p := strings.Split(text, "\t")
	if len(p) < 8 {
		return Correction{}, fmt.Errorf("%d tab-separated fields, want frame, action, x0, y0, x1, y1, kind, note", len(p))
	}
	c := Correction{Frame: strings.TrimSpace(p[0]), Action: strings.TrimSpace(p[1])}
	for i := range 4 {
		n, err := strconv.Atoi(strings.TrimSpace(p[2+i]))
		if err != nil {
			return Correction{}, fmt.Errorf("field %d (%s): %q is not an integer", 3+i, [4]string{"x0", "y0", "x1", "y1"}[i], p[2+i])
		}
		c.Object.Box[i] = n
	}
	c.Object.Kind = strings.TrimSpace(p[6])
	c.Object.Note = strings.TrimSpace(strings.Join(p[7:], " "))
	b := c.Object.Box
	switch {
	case c.Frame == "":
		return Correction{}, fmt.Errorf("empty frame path")
	case c.Action != CorrectDrop && c.Action != CorrectAdd:
		return Correction{}, fmt.Errorf("action %q, want %q or %q", c.Action, CorrectDrop, CorrectAdd)
	case b[2] <= b[0] || b[3] <= b[1] || b[0] < 0 || b[1] < 0:
		return Correction{}, fmt.Errorf("box %v is empty or negative", b)
	case c.Object.Kind != KindInsect && c.Object.Kind != KindNotInsect:
		return Correction{}, fmt.Errorf("kind %q, want %q or %q", c.Object.Kind, KindInsect, KindNotInsect)
	case c.Object.Note == "":
		return Correction{}, fmt.Errorf("no note: say what was seen")
	}
	return c, nil
}

// Correct returns frames (found under dir) with cs applied to copies of
// their annotations; the frames passed in are not changed. A correction
// naming no frame, dropping a box the frame does not have (box and kind),
// or adding one outside the frame is skipped and reported in problems.
func Correct(dir string, frames []Frame, cs []Correction) (out []Frame, problems []error) {
	byPath := map[string]int{}
	out = make([]Frame, len(frames))
	for i, f := range frames {
		out[i] = f
		out[i].Ann.Objects = append([]Object(nil), f.Ann.Objects...)
		if rel, err := filepath.Rel(dir, f.Path); err == nil {
			byPath[filepath.ToSlash(rel)] = i
		}
	}
	for _, c := range cs {
		i, ok := byPath[c.Frame]
		if !ok {
			problems = append(problems, fmt.Errorf("%s:%d: no annotated frame %s under %s", c.File, c.Line, c.Frame, dir))
			continue
		}
		a := &out[i].Ann
		switch c.Action {
		case CorrectDrop:
			k := -1
			for j, o := range a.Objects {
				if o.Box == c.Object.Box && o.Kind == c.Object.Kind {
					k = j
					break
				}
			}
			if k < 0 {
				problems = append(problems, fmt.Errorf("%s:%d: %s has no %s box %v to drop", c.File, c.Line, c.Frame, c.Object.Kind, c.Object.Box))
				continue
			}
			a.Objects = append(a.Objects[:k], a.Objects[k+1:]...)
		case CorrectAdd:
			if !c.Object.Rect().In(image.Rect(0, 0, a.Width, a.Height)) {
				problems = append(problems, fmt.Errorf("%s:%d: box %v outside %s's %dx%d frame", c.File, c.Line, c.Object.Box, c.Frame, a.Width, a.Height))
				continue
			}
			a.Objects = append(a.Objects, c.Object)
		}
	}
	return out, problems
}

// Rescored returns r with every row scored again against the annotation
// of the frame of the same path in frames (Correct's output); rows whose
// frame is not there, or that failed, are kept as they are.
func (r Report) Rescored(frames []Frame) Report {
	byPath := map[string]Frame{}
	for _, f := range frames {
		byPath[f.Path] = f
	}
	out := Report{Rows: make([]Row, len(r.Rows))}
	for i, row := range r.Rows {
		if f, ok := byPath[row.Frame.Path]; ok && row.Err == nil {
			row.Frame = f
			row.Score = ScoreFrame(f.Ann, row.Boxes, f.Sticky)
		}
		out.Rows[i] = row
	}
	return out
}

// WriteCorrected writes, for each group whose score differs between r and
// fixed (r rescored on corrected annotations) and for the light sheets'
// total, the annotated insects, recall, precision and false positives as
// given and as corrected, one Markdown row each.
func (r Report) WriteCorrected(w io.Writer, fixed Report) error {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("| trap | insects | recall | precision | FP (not_insect) | max count err |\n|---|--:|--:|--:|--:|--:|\n")
	after := map[string]Group{}
	for _, g := range fixed.Groups() {
		after[g.Name] = g
	}
	for _, g := range r.Groups() {
		h, ok := after[g.Name]
		if !ok || g.Name == TotalAll || g.Score.Sticky || (g.Name != TotalSheet && g.Score.Annotated == h.Score.Annotated &&
			g.Score.Found == h.Score.Found && g.Score.FalsePositives == h.Score.FalsePositives && g.Score.NotInsectHits == h.Score.NotInsectHits) {
			continue
		}
		a, b := g.Score, h.Score
		p("| %s | %d -> %d | %.3f -> %.3f | %.3f -> %.3f | %d (%d) -> %d (%d) | %.2f -> %.2f |\n", g.Name, a.Annotated, b.Annotated,
			a.Recall(), b.Recall(), a.Precision(), b.Precision(), a.FalsePositives, a.NotInsectHits, b.FalsePositives, b.NotInsectHits,
			g.MaxCountError, h.MaxCountError)
	}
	return nil
}

// Package realeval scores a specimen detector on real trap frames annotated
// by hand (../shared/realframes: a `<frame>.boxes.json` beside each image),
// with the scoring its README suggests and the held-back frames are scored
// with:
//
//   - an annotated insect counts as found when a detection has IoU >= 0.3
//     with its box, or each box holds the other's centre (Matches);
//     detections and insects are paired one to one, as many pairs as
//     possible (maximum bipartite matching, best IoU first);
//   - a detection whose longest side is < 40 px that matches nothing is
//     ignored;
//   - a detection that matches a not_insect box, or matches nothing while
//     >= 40 px, is a false positive.
//
// Frames in a folder named "sticky" (yellow sticky cards) are scored
// differently: their boxes mark whiteflies only, so only whitefly recall is
// measured; detections that match no whitefly are counted apart (OtherLarge,
// OtherSmall at the 40 px line) to be judged by eye, not as false positives.
// The cards' larger detections judged by eye are rows of a judged-box file
// (LoadJudged, Report.Judge); on cards no row names, Report.ToJudge lists
// them for a person to judge (WriteToJudge), and no precision is claimed.
//
// Frames in a folder named "sequential" (or with "sequen" in its name) are
// one trap over time: counting is scored on them too (EvaluateSequences).
//
// Annotations are taken as given for the targets; the project's own
// corrections to them (a duplicate box, an insect left out) are kept apart
// (LoadCorrections, Correct) and a report can be scored again on them
// (Report.Rescored) to be shown beside.
//
// The package knows nothing of how boxes are found: Evaluate takes a
// Detector, and DetectBoxes is the agent's current detector (detect.Detect
// with detect.DefaultOptions). bench/detect -real prints a Report as
// Markdown; real_test.go checks the targets (Targets) on the frames.
package realeval

import (
	"encoding/json"
	"fmt"
	"image"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Object kinds in a boxes.json file.
const (
	KindInsect    = "insect"
	KindNotInsect = "not_insect"
)

// SuffixBoxes ends the name of an annotation file: FRAME.boxes.json beside
// FRAME.jpg.
const SuffixBoxes = ".boxes.json"

// StickyFolder names the folders whose frames are scored as sticky cards
// (whitefly recall only).
const StickyFolder = "sticky"

// Object is one annotated box.
type Object struct {
	// Box is [x0, y0, x1, y1] in full-resolution pixels (max exclusive).
	Box  [4]int `json:"box"`
	Kind string `json:"kind"`
	Note string `json:"note,omitempty"`
}

// Rect returns the object's box as a rectangle.
func (o Object) Rect() image.Rectangle { return image.Rect(o.Box[0], o.Box[1], o.Box[2], o.Box[3]) }

// Annotation is one frame's boxes.json.
type Annotation struct {
	Image          string   `json:"image"`
	Width          int      `json:"width"`
	Height         int      `json:"height"`
	Objects        []Object `json:"objects"`
	ConfidenceNote string   `json:"confidence_note,omitempty"`
}

// Insects returns the boxes of kind insect.
func (a Annotation) Insects() []image.Rectangle { return a.boxes(KindInsect) }

// NotInsects returns the boxes of kind not_insect.
func (a Annotation) NotInsects() []image.Rectangle { return a.boxes(KindNotInsect) }

func (a Annotation) boxes(kind string) []image.Rectangle {
	var out []image.Rectangle
	for _, o := range a.Objects {
		if o.Kind == kind {
			out = append(out, o.Rect())
		}
	}
	return out
}

// LoadAnnotation reads and checks one boxes.json file. Fields it does not
// know are ignored (a held-back file may carry more); "objects" must be
// there (an empty list for a frame with nothing to annotate). A bad object
// (not an object, a box that is not four numbers, an unknown kind, a box
// empty or wholly outside the frame) is skipped and reported in problems
// with the file and its index, and the rest are kept; fractional
// coordinates are rounded and a box reaching past the frame's edge is
// clipped to it. err is for a file that cannot be used at all (unreadable,
// not JSON, no size or no objects); every message names the file.
func LoadAnnotation(path string) (a Annotation, problems []error, err error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return a, nil, fmt.Errorf("realeval: %w", err)
	}
	var in struct {
		Image          string             `json:"image"`
		Width          int                `json:"width"`
		Height         int                `json:"height"`
		Objects        *[]json.RawMessage `json:"objects"`
		ConfidenceNote string             `json:"confidence_note"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return a, nil, fmt.Errorf("realeval: %s: %w", path, err)
	}
	a = Annotation{Image: in.Image, Width: in.Width, Height: in.Height, ConfidenceNote: in.ConfidenceNote}
	if a.Width <= 0 || a.Height <= 0 {
		return a, nil, fmt.Errorf("realeval: %s: size %dx%d: \"width\" and \"height\" (the frame's size in pixels) must be given and positive", path, a.Width, a.Height)
	}
	if in.Objects == nil {
		return a, nil, fmt.Errorf("realeval: %s: no \"objects\" list", path)
	}
	frame := image.Rect(0, 0, a.Width, a.Height)
	for i, m := range *in.Objects {
		o, err := parseObject(m, frame)
		if err != nil {
			problems = append(problems, fmt.Errorf("realeval: %s: object %d: %v (skipped)", path, i, err))
			continue
		}
		a.Objects = append(a.Objects, o)
	}
	return a, problems, nil
}

// parseObject decodes one annotated object, rounding its box to whole
// pixels and clipping it to frame.
func parseObject(m json.RawMessage, frame image.Rectangle) (Object, error) {
	var in struct {
		Box  []float64 `json:"box"`
		Kind string    `json:"kind"`
		Note string    `json:"note"`
	}
	if err := json.Unmarshal(m, &in); err != nil {
		return Object{}, err
	}
	if in.Kind != KindInsect && in.Kind != KindNotInsect {
		return Object{}, fmt.Errorf("kind %q, want %q or %q", in.Kind, KindInsect, KindNotInsect)
	}
	if len(in.Box) != 4 {
		return Object{}, fmt.Errorf("box %v is not [x0, y0, x1, y1]", in.Box)
	}
	var b [4]int
	for i, v := range in.Box {
		if math.IsNaN(v) || math.Abs(v) > 1e9 {
			return Object{}, fmt.Errorf("box %v: coordinate %v", in.Box, v)
		}
		b[i] = int(math.Round(v))
	}
	r := image.Rect(b[0], b[1], b[2], b[3])
	if b[0] >= b[2] || b[1] >= b[3] || r.Intersect(frame).Empty() {
		return Object{}, fmt.Errorf("box %v empty or outside the %dx%d frame", in.Box, frame.Dx(), frame.Dy())
	}
	r = r.Intersect(frame)
	return Object{Box: [4]int{r.Min.X, r.Min.Y, r.Max.X, r.Max.Y}, Kind: in.Kind, Note: in.Note}, nil
}

// Frame is one annotated image found by FindFrames.
type Frame struct {
	// Path is the image file; BoxesPath its annotation.
	Path, BoxesPath string
	// Trap is the name of the folder holding the frame (vermont, sticky...).
	Trap string
	// Sticky reports a sticky-card frame: a folder between FindFrames'
	// dir and the frame has StickyFolder in its name (any case: sticky/,
	// sticky-2024/, Sticky_cards/set2/), or the annotation's
	// confidence_note says it boxes whiteflies only (as the cards' do).
	Sticky bool
	// Ann is the loaded annotation.
	Ann Annotation
}

// stickyPath reports whether a folder of p below dir names a sticky card
// (see Frame.Sticky).
func stickyPath(dir, p string) bool {
	rel, err := filepath.Rel(dir, filepath.Dir(p))
	if err != nil {
		rel = filepath.Dir(p)
	}
	for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
		if strings.Contains(strings.ToLower(part), StickyFolder) {
			return true
		}
	}
	return false
}

// whitefliesOnly reports whether a's confidence_note says it boxes
// whiteflies only ("whiteflies only: other insects on the card are not
// boxed"): its frame is scored as a sticky card wherever it lies.
func whitefliesOnly(a Annotation) bool {
	return strings.Contains(strings.ToLower(a.ConfidenceNote), "whiteflies only")
}

var imageExts = []string{".jpg", ".JPG", ".jpeg", ".JPEG", ".png", ".PNG"}

// FindFrames walks dir for FRAME.boxes.json files with an image FRAME.jpg
// (.jpeg or .png, any case) beside them, sorted by trap then path. Annotation
// files that cannot be read or have no image are returned as problems (the
// rest go on), and so are the objects LoadAnnotation skips (their frames
// are kept); an unreadable dir is an error.
func FindFrames(dir string) (frames []Frame, problems []error, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			problems = append(problems, err)
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), SuffixBoxes) {
			return nil
		}
		stem := strings.TrimSuffix(p, SuffixBoxes)
		img := ""
		for _, ext := range imageExts {
			if st, err := os.Stat(stem + ext); err == nil && st.Mode().IsRegular() {
				img = stem + ext
				break
			}
		}
		if img == "" {
			problems = append(problems, fmt.Errorf("realeval: %s: no image %s.jpg (or .jpeg, .png) beside it", p, filepath.Base(stem)))
			return nil
		}
		a, bad, err := LoadAnnotation(p)
		problems = append(problems, bad...)
		if err != nil {
			problems = append(problems, err)
			return nil
		}
		trap := filepath.Base(filepath.Dir(p))
		frames = append(frames, Frame{Path: img, BoxesPath: p, Trap: trap, Sticky: stickyPath(dir, p) || whitefliesOnly(a), Ann: a})
		return nil
	})
	if err != nil {
		return nil, problems, fmt.Errorf("realeval: %s: %w", dir, err)
	}
	sort.SliceStable(frames, func(i, j int) bool {
		if frames[i].Trap != frames[j].Trap {
			return frames[i].Trap < frames[j].Trap
		}
		return frames[i].Path < frames[j].Path
	})
	return frames, problems, nil
}

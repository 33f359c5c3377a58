package realeval

import (
	"fmt"
	"image"
	"time"

	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/detect"
)

// PixelsPerMM is the scale assumed for each trap folder of realframes (the
// frames carry none; detect needs one for its mm-based filters). Vermont's
// is measured on its 20 mm checkerboard (about 211 px); the other light
// sheets come from the same kind of trap and camera (AMI, 4K) and get the
// same round value; sticky cards' is estimated from the whiteflies' size:
// adults of about 1-1.5 mm measure 8-12 px along the body on these photos
// (their annotated boxes, 25-45 px, are looser than the insects); the DSLR butterfly (about 40 mm,
// 190 px) gives DSLR's. DefaultPixelsPerMM is used for any other folder.
var PixelsPerMM = map[string]float64{
	"vermont": 10, "panama": 10, "cyprus": 10, "denmark": 10, "sequential": 10,
	StickyFolder: 8,
	"DSLR":       5,
}

// DefaultPixelsPerMM is the scale of a folder missing from PixelsPerMM.
const DefaultPixelsPerMM = 10

// Scale returns the frame's assumed pixels per mm (see PixelsPerMM): its
// folder's, else sticky cards' for a sticky frame, else DefaultPixelsPerMM.
func (f Frame) Scale() float64 {
	if v, ok := PixelsPerMM[f.Trap]; ok {
		return v
	}
	if f.Sticky {
		return PixelsPerMM[StickyFolder]
	}
	return DefaultPixelsPerMM
}

// Detector finds specimen boxes on one decoded frame.
type Detector func(f Frame, img image.Image) ([]image.Rectangle, error)

// DetectBoxes is the agent's detector as it runs on a trap:
// detect.Detect with detect.DefaultOptions at the frame's Scale (what
// agent.NewDetectFinder uses).
func DetectBoxes(f Frame, img image.Image) ([]image.Rectangle, error) {
	return detectWith(img, f.Options(1))
}

// Options returns detect.DefaultOptions for the frame at k times its
// Scale, with Trap sticky on a sticky card's frame: the folder says what
// the trap is, as it says the scale, and a card then is one whether or
// not its colour shows (detect.TrapSticky; the same boxes wherever the
// card is found by its colour).
func (f Frame) Options(k float64) detect.Options {
	o := detect.DefaultOptions(f.Scale() * k)
	if f.Sticky {
		o.Trap = detect.TrapSticky
	}
	return o
}

// VerifiedDetector is DetectBoxes with v judging the larger specimens on
// sticky cards (detect.Options.Verifier, at reject, 0: the default).
func VerifiedDetector(v detect.Verifier, reject float64) Detector {
	return func(f Frame, img image.Image) ([]image.Rectangle, error) {
		o := f.Options(1)
		o.Verifier, o.VerifierReject = v, reject
		return detectWith(img, o)
	}
}

// detectWith returns the boxes of detect.Detect with o.
func detectWith(img image.Image, o detect.Options) ([]image.Rectangle, error) {
	found, err := detect.Detect(img, o)
	if err != nil {
		return nil, err
	}
	return specimenBoxes(found), nil
}

// specimenBoxes returns the specimens' boxes.
func specimenBoxes(ss []detect.Specimen) []image.Rectangle {
	boxes := make([]image.Rectangle, len(ss))
	for i, s := range ss {
		boxes[i] = s.Box
	}
	return boxes
}

// Classifier, if given to Evaluate, runs after detection on the frame's
// boxes (e.g. crops + model); only its time is recorded.
type Classifier func(f Frame, img image.Image, boxes []image.Rectangle) error

// Row is one frame's outcome.
type Row struct {
	Frame Frame
	Score Score
	// Boxes are the detections (nil when Err is set).
	Boxes []image.Rectangle
	// Decode, Detect and Classify are wall times of the three steps.
	Decode, Detect, Classify time.Duration
	// Err is why the frame could not be scored (unreadable image, size
	// not the annotation's, detector or classifier error).
	Err error
	// AsStored says the frame was scored on its pixels as stored: turned
	// by its Exif orientation its size is not the annotation's, as stored
	// it is (the boxes were drawn by a tool that ignores the tag).
	AsStored bool
}

// Latency is the frame's decode + detect + classify time.
func (r Row) Latency() time.Duration { return r.Decode + r.Detect + r.Classify }

// Evaluate decodes each frame (camera.DecodeFile), checks its size against
// the annotation, runs det (and cls when not nil) and scores the boxes.
// A frame that fails is kept as a Row with Err and the rest go on.
func Evaluate(frames []Frame, det Detector, cls Classifier) Report {
	var rep Report
	for _, f := range frames {
		rep.Rows = append(rep.Rows, evaluateOne(f, det, cls))
	}
	return rep
}

func evaluateOne(f Frame, det Detector, cls Classifier) Row {
	row := Row{Frame: f}
	t0 := time.Now()
	img, err := camera.DecodeFile(f.Path, 0)
	row.Decode = time.Since(t0)
	if err != nil {
		row.Err = err
		return row
	}
	if b := img.Bounds(); b.Dx() != f.Ann.Width || b.Dy() != f.Ann.Height {
		// Boxes drawn by a tool that ignores the Exif orientation are on
		// the pixels as stored: score on those when their size is the
		// annotation's.
		stored, serr := camera.DecodeFileAsStored(f.Path, 0)
		if sb := image.Rect(0, 0, f.Ann.Width, f.Ann.Height); serr != nil || stored.Bounds().Size() != sb.Size() {
			row.Err = fmt.Errorf("realeval: %s: image is %dx%d, %s says %dx%d", f.Path, b.Dx(), b.Dy(), f.BoxesPath, f.Ann.Width, f.Ann.Height)
			return row
		}
		img, row.AsStored = stored, true
	}
	t0 = time.Now()
	boxes, err := det(f, img)
	row.Detect = time.Since(t0)
	if err != nil {
		row.Err = fmt.Errorf("realeval: %s: detect: %w", f.Path, err)
		return row
	}
	if cls != nil {
		t0 = time.Now()
		err = cls(f, img, boxes)
		row.Classify = time.Since(t0)
		if err != nil {
			row.Err = fmt.Errorf("realeval: %s: classify: %w", f.Path, err)
			return row
		}
	}
	row.Boxes = boxes
	row.Score = ScoreFrame(f.Ann, boxes, f.Sticky)
	return row
}

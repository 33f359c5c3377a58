package agent

import (
	"fmt"
	"image"
	"math"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/camera"
)

// Found is one specimen as `agent detect` reports it (one JSON line each).
type Found struct {
	// Frame is the frame's file path; Index the specimen's number in it.
	Frame string `json:"frame"`
	Index int    `json:"index"`
	Box   Box    `json:"box"`
	// WidthPx, HeightPx are the box's size; AreaPx the segmented area.
	WidthPx  int     `json:"width_px"`
	HeightPx int     `json:"height_px"`
	AreaPx   float64 `json:"area_px"`
	// LengthMM, WidthMM, AreaMM2 are given only when the frame's scale
	// was (Inspector.WithMM) or read from a scale reference in view.
	LengthMM float64 `json:"length_mm,omitempty"`
	WidthMM  float64 `json:"width_mm,omitempty"`
	AreaMM2  float64 `json:"area_mm2,omitempty"`
	// PixelsPerMM and ScaleSource are the scale the frame was measured at
	// and where it came from ("config", "checkerboard", "solid_bar",
	// "ruler", "whiteflies"; see FrameSummary); absent when no scale was
	// given and none was in view.
	PixelsPerMM float64 `json:"pixels_per_mm,omitempty"`
	ScaleSource string  `json:"scale_source,omitempty"`
	// Haze and Noise are the veil taken off and the noise that had the
	// frame's card searched smoothed (see FrameSummary); absent when none.
	Haze  float64 `json:"haze,omitempty"`
	Noise float64 `json:"noise,omitempty"`
	// Surface is what the frame was searched as ("sheet", "card",
	// "grey_card"; see FrameSummary).
	Surface string `json:"surface,omitempty"`
	// Label and Score are the best prediction, only with a classifier.
	Label string  `json:"label,omitempty"`
	Score float64 `json:"score,omitempty"`
}

// Inspector finds, measures and optionally classifies the specimens of
// single frames: `agent detect`, to see what the agent sees.
type Inspector struct {
	// Finder finds the specimens (NewInspector: the agent's DetectFinder
	// without tracking, so every frame stands alone).
	Finder Finder
	// Classifier, if not nil, labels each specimen with its metadata row
	// (MetaRow of Cfg at the frame's capture time).
	Classifier Classifier
	// Cfg is the agent configuration (trap, time zone) for metadata rows.
	Cfg *config.Config
	// WithMM reports sizes in mm (the scale was given, not assumed).
	WithMM bool
}

// NewInspector inspects frames at the given scale with the agent's finder
// and cfg's scale references (DetectFinder.UseCapture).
func NewInspector(cfg *config.Config, pixelsPerMM float64, withMM bool, cls Classifier) *Inspector {
	f := NewDetectFinder(pixelsPerMM)
	f.UseCapture(cfg.Capture)
	f.Tracker = nil
	return &Inspector{Finder: f, Classifier: cls, Cfg: cfg, WithMM: withMM}
}

// Inspect finds the specimens of one frame. A classification error fails
// the frame (the error names the specimen).
func (in *Inspector) Inspect(f camera.Frame) ([]Found, error) {
	specs, err := in.Finder.Find(f.Image)
	if err != nil {
		return nil, fmt.Errorf("%s: find specimens: %w", f.Path, err)
	}
	var facts FrameFacts
	if r, ok := in.Finder.(FrameReporter); ok {
		facts = r.LastFrame()
	}
	scale := facts.Scale
	withMM := in.WithMM || scale.Source != "" && scale.Source != "config"
	out := make([]Found, len(specs))
	for i, s := range specs {
		out[i] = found(f.Path, i, s, withMM)
		out[i].Haze, out[i].Noise, out[i].Surface = facts.Haze, facts.Noise, facts.Surface
		if withMM {
			out[i].PixelsPerMM, out[i].ScaleSource = round2(scale.PixelsPerMM), scale.Source
		}
		if in.Classifier == nil {
			continue
		}
		preds, err := in.Classifier.Classify(s.Crop, MetaRow(in.Cfg, f.Time, s.Size))
		if err != nil {
			return nil, fmt.Errorf("%s: classify specimen %d at %v: %w", f.Path, i, s.Box, err)
		}
		if top := TopK(preds, 1); len(top) > 0 {
			out[i].Label, out[i].Score = top[0].Label, top[0].Score
		}
	}
	return out, nil
}

func found(path string, i int, s Specimen, withMM bool) Found {
	r := s.Box
	f := Found{Frame: path, Index: i, Box: boxOf(r), WidthPx: r.Dx(), HeightPx: r.Dy(), AreaPx: s.Size.AreaPx}
	if withMM {
		f.LengthMM, f.WidthMM, f.AreaMM2 = round2(s.Size.LengthMM), round2(s.Size.WidthMM), round2(s.Size.AreaMM2)
	}
	return f
}

// round2 rounds to 0.01 (mm, mm²): finer is below any detector's accuracy.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

func boxOf(r image.Rectangle) Box { return Box{X0: r.Min.X, Y0: r.Min.Y, X1: r.Max.X, Y1: r.Max.Y} }

// Rect returns the box as a rectangle.
func (b Box) Rect() image.Rectangle { return image.Rect(b.X0, b.Y0, b.X1, b.Y1) }

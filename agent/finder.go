package agent

import (
	"image"
	"image/color"
	"math"
	"sort"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/detect"
)

// Specimen is one specimen found on a frame.
type Specimen struct {
	// Box is the specimen's body and wings; Extent also holds its legs and
	// antennae, and frames Crop.
	Box, Extent image.Rectangle
	// Crop is the specimen cut for the classifier; nil for a specimen
	// seen before (New false): only new ones are classified. Cutting all
	// 610 specimens of a real sticky card took about a quarter of Find's
	// 0.85 s; on the card's later frames none is cut.
	Crop image.Image
	Size Size
	// TrackID identifies the specimen across frames; New is true on the
	// first frame it is seen (only new specimens are classified and published).
	TrackID int
	New     bool
	// Deferred marks a specimen first seen on this frame whose
	// classification is put off to a later frame (DetectFinder.MaxNew):
	// New is false, it is neither classified nor counted now, and it comes
	// back as new on the next frame.
	Deferred bool
}

// Finder locates specimens on a frame and cuts their crops.
type Finder interface {
	Find(img image.Image) ([]Specimen, error)
}

// DetectFinder finds specimens with package detect, crops them the way
// BIOSCAN-5M's images are cropped (detect.BIOSCANCropRect: extent plus
// margin per axis, at most 4:3) with the trap's sheet or card repainted in
// BIOSCAN's plate grey (detect.ReplaceBackground), measures their
// BIOSCAN-style size fields and tracks them across frames. The size fields
// are detect.ReferenceSizeFields of that same crop rectangle: the specimen
// as BIOSCAN-5M's imaging would have recorded it (given the frame's pixels
// per mm), so crop and metadata match the distribution the model was
// trained on (see detect's "Crops for the model"). Not safe for concurrent
// use.
type DetectFinder struct {
	Options detect.Options
	// Margin is the crop margin as a fraction of the longest box side.
	Margin float64
	// Tracker, if set, counts each specimen once across frames; Find sets
	// its walk and memory for what each frame was searched as, at the
	// frame's scale (detect.Tracker.ForSurface).
	Tracker *detect.Tracker
	// Reference is the training images' imaging (detect.BIOSCANReference).
	Reference detect.Reference
	// Background, if set, replaces the trap's background in the crops
	// (detect.BIOSCANBackground); nil keeps the frame's pixels.
	Background *color.RGBA
	// MaxNew, if > 0 (and with a Tracker), is the most specimens a frame
	// reports as new, the largest first; the others are Deferred and their
	// tracks forgotten, so that they are new on the next frame. The first
	// frame of a used sticky card holds 300-900 specks, and classifying
	// all of them took 2-4 s (../shared/realframes/sticky, 2 threads);
	// spread over a few frames each frame stays within its time.
	MaxNew int

	last FrameFacts // of the last frame
}

// Scale is the scale a frame's sizes were measured at.
type Scale struct {
	// PixelsPerMM is the scale used; Source is "config" (the configured
	// pixels_per_mm), "checkerboard" (read from a checkerboard scale bar
	// in view), "solid_bar" (from a solid bar of the configured length),
	// "ruler" (read from a millimetre ruler's ticks) or "whiteflies" (a
	// card searched again at the scale its whiteflies give).
	PixelsPerMM float64
	Source      string
}

// FrameFacts is what a finder measured on a frame besides its specimens,
// for the frame message.
type FrameFacts struct {
	// Scale is the scale the sizes were measured at.
	Scale Scale
	// Rejected counts the specimens the card verifier took for no insect
	// (detect.Options.Verifier).
	Rejected int
	// Haze is the veil taken off the photo (detect.Frame.Haze), Noise
	// the noise of a card searched smoothed (detect.Frame.Noise).
	Haze, Noise float64
	// Surface is what the frame was searched as (detect.Frame.Surface).
	Surface string
	// GreySheet: the frame had no colour and was searched as a sheet
	// because capture.surface is auto (detect.Frame.Colourless): a sticky
	// card from a monochrome camera is not seen as one.
	GreySheet bool
	// NewCard: the tracker took the frame for another sticky card (one
	// swapped for the last, seen on this frame and the one before; see
	// detect's tracksurface.go) and counted its specimens anew.
	NewCard bool
}

// GreySheetHint is what the agent says once when a frame is GreySheet.
const GreySheetHint = "frames have no colour and are searched as light sheets (capture.surface auto): if the camera looks at a sticky card, set capture.surface: sticky_card (agent detect --surface sticky_card)"

// FrameReporter is a Finder that tells the FrameFacts of the last frame it
// searched.
type FrameReporter interface {
	LastFrame() FrameFacts
}

// LastFrame implements FrameReporter.
func (d *DetectFinder) LastFrame() FrameFacts { return d.last }

// NewDetectFinder uses detect's defaults for the given scale.
func NewDetectFinder(pixelsPerMM float64) *DetectFinder {
	bg := detect.BIOSCANBackground
	return &DetectFinder{Options: detect.DefaultOptions(pixelsPerMM), Margin: detect.DefaultMargin, Tracker: detect.NewFrameTracker(pixelsPerMM),
		Reference: detect.BIOSCANReference, Background: &bg}
}

// UseCapture applies the capture section's scale references: the side of
// a checkerboard's square (scale_square_mm), the length of a solid bar
// (solid_bar_mm) and whether a ruler sets the scale (ruler_scale); and
// what the camera looks at (surface).
func (d *DetectFinder) UseCapture(c config.Capture) {
	d.Options.ScaleSquareMM, d.Options.SolidBarMM, d.Options.NoRulerScale = c.ScaleSquareMM, c.SolidBarMM, !c.RulerScale
	d.Options.Trap = TrapOf(c.Surface)
}

// TrapOf returns detect.Options.Trap for a capture.surface value (auto,
// sticky_card, sheet; "" is auto).
func TrapOf(surface string) string {
	switch surface {
	case "sticky_card":
		return detect.TrapSticky
	case "sheet":
		return detect.TrapSheet
	}
	return detect.TrapAuto
}

// Find implements Finder.
func (d *DetectFinder) Find(img image.Image) ([]Specimen, error) {
	fr, err := detect.Analyze(img, d.Options)
	if err != nil {
		return nil, err
	}
	found := fr.Specimens
	d.last = FrameFacts{Scale: Scale{PixelsPerMM: fr.PixelsPerMM, Source: fr.ScaleSource}, Rejected: fr.Rejected, Haze: math.Round(fr.Haze), Noise: math.Round(fr.Noise*10) / 10, Surface: fr.Surface,
		GreySheet: fr.Colourless && fr.Surface == detect.SurfaceSheet && d.Options.Trap == detect.TrapAuto}
	boxes := make([]image.Rectangle, len(found))
	for i, s := range found {
		boxes[i] = s.Box
	}
	var tracks []detect.Track
	var deferred []bool
	if d.Tracker != nil {
		if len(found) > 0 {
			// A card's catches stay where they landed. A frame showing
			// nothing (a dark one, searched as a sheet with capture.surface
			// auto) tells nothing of what the camera looks at: it keeps
			// the settings, so a night does not cut a card's memory short.
			d.Tracker.ForSurface(fr.Surface, fr.PixelsPerMM)
		}
		tracks = d.Tracker.Update(boxes)
		d.last.NewCard = d.Tracker.Replaced()
		deferred = d.deferExcess(found, tracks)
	}
	out := make([]Specimen, len(found))
	for i, s := range found {
		rect := detect.BIOSCANCropRect(s.Extent, d.Margin)
		sf := detect.ReferenceSizeFields(s, rect, fr.PixelsPerMM, d.Reference)
		var crop image.Image
		if tracks == nil || tracks[i].New {
			c := detect.CropTo(img, rect, s.Extent)
			if d.Background != nil {
				detect.ReplaceBackground(c, detect.SheetColor(img, rect, s.Extent), *d.Background)
			}
			crop = c
		}
		out[i] = Specimen{
			Box:    s.Box,
			Extent: s.Extent,
			Crop:   crop,
			Size: Size{
				AreaMM2: s.AreaMM2, LengthMM: s.LengthMM, WidthMM: s.WidthMM, AreaPx: s.AreaPx,
				ImageMeasurementValue: sf.ImageMeasurementValue, AreaFraction: sf.AreaFraction, ScaleFactor: sf.ScaleFactor,
			},
			New: true,
		}
		if tracks != nil {
			out[i].TrackID, out[i].New, out[i].Deferred = tracks[i].ID, tracks[i].New, deferred[i]
		}
	}
	return out, nil
}

// deferExcess keeps at most MaxNew of the new tracks new, the largest
// specimens first, and forgets the others' tracks. It reports which were
// deferred (their tracks' New is cleared).
func (d *DetectFinder) deferExcess(found []detect.Specimen, tracks []detect.Track) []bool {
	deferred := make([]bool, len(tracks))
	var fresh []int
	for i, tr := range tracks {
		if tr.New {
			fresh = append(fresh, i)
		}
	}
	if d.MaxNew <= 0 || len(fresh) <= d.MaxNew {
		return deferred
	}
	sort.SliceStable(fresh, func(a, b int) bool { return found[fresh[a]].AreaPx > found[fresh[b]].AreaPx })
	var ids []int
	for _, i := range fresh[d.MaxNew:] {
		deferred[i], tracks[i].New = true, false
		ids = append(ids, tracks[i].ID)
	}
	d.Tracker.Forget(ids...)
	return deferred
}

// WholeImage treats the whole image as one new specimen of unknown size:
// for single-specimen images (agent classify, pre-cropped uploads).
type WholeImage struct{}

// Find implements Finder.
func (WholeImage) Find(img image.Image) ([]Specimen, error) {
	return []Specimen{{Box: img.Bounds(), Extent: img.Bounds(), Crop: img, New: true}}, nil
}

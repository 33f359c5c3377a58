package agent

import (
	"image"

	"github.com/trapnet/trapnet/detect"
)

// Specimen is one specimen found on a frame.
type Specimen struct {
	Box  image.Rectangle
	Crop image.Image
	Size Size
	// TrackID identifies the specimen across frames; New is true on the
	// first frame it is seen (only new specimens are classified and published).
	TrackID int
	New     bool
}

// Finder locates specimens on a frame and cuts their crops.
type Finder interface {
	Find(img image.Image) ([]Specimen, error)
}

// DetectFinder finds specimens with package detect, crops them square with
// a margin, measures their BIOSCAN-style size fields and tracks them across
// frames. The size fields are detect.ReferenceSizeFields: the specimen as
// BIOSCAN-5M's imaging would have recorded it (given the frame's pixels per
// mm), so they match the distribution the model's metadata schema was
// fitted on. Not safe for concurrent use.
type DetectFinder struct {
	Options detect.Options
	// Margin is the crop margin as a fraction of the longest box side.
	Margin  float64
	Tracker *detect.Tracker
	// Reference is the training images' imaging (detect.BIOSCANReference).
	Reference detect.Reference
}

// NewDetectFinder uses detect's defaults for the given scale.
func NewDetectFinder(pixelsPerMM float64) *DetectFinder {
	return &DetectFinder{Options: detect.DefaultOptions(pixelsPerMM), Margin: detect.DefaultMargin, Tracker: detect.NewTracker(0.3, 10), Reference: detect.BIOSCANReference}
}

// Find implements Finder.
func (d *DetectFinder) Find(img image.Image) ([]Specimen, error) {
	found, err := detect.Detect(img, d.Options)
	if err != nil {
		return nil, err
	}
	boxes := make([]image.Rectangle, len(found))
	for i, s := range found {
		boxes[i] = s.Box
	}
	var tracks []detect.Track
	if d.Tracker != nil {
		tracks = d.Tracker.Update(boxes)
	}
	out := make([]Specimen, len(found))
	for i, s := range found {
		rect := detect.CropRect(s.Box, d.Margin)
		sf := detect.ReferenceSizeFields(s, rect, d.Options.PixelsPerMM, d.Reference)
		out[i] = Specimen{
			Box:  s.Box,
			Crop: detect.Crop(img, s.Box, d.Margin),
			Size: Size{
				AreaMM2: s.AreaMM2, LengthMM: s.LengthMM, WidthMM: s.WidthMM, AreaPx: s.AreaPx,
				ImageMeasurementValue: sf.ImageMeasurementValue, AreaFraction: sf.AreaFraction, ScaleFactor: sf.ScaleFactor,
			},
			New: true,
		}
		if tracks != nil {
			out[i].TrackID, out[i].New = tracks[i].ID, tracks[i].New
		}
	}
	return out, nil
}

// WholeImage treats the whole image as one new specimen of unknown size:
// for single-specimen images (agent classify, pre-cropped uploads).
type WholeImage struct{}

// Find implements Finder.
func (WholeImage) Find(img image.Image) ([]Specimen, error) {
	return []Specimen{{Box: img.Bounds(), Crop: img, New: true}}, nil
}

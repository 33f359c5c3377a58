// Package detect finds insect specimens on full trap frames (a white
// light-trap sheet or a yellow sticky card photographed at e.g. 4096x2160),
// measures them, cuts BIOSCAN-5M-like square crops and tracks them across
// frames so each specimen is counted once.
//
// The default build is pure Go. Detection works on a reduced-resolution luma
// image (longest side Options.WorkSize): a coarse background estimate (block
// high-percentile, grey closing, smoothing, bilinear upsampling) flattens
// uneven lighting, the ratio image/background is thresholded with hysteresis
// (weak threshold grows, strong threshold seeds), a binary open/close removes
// noise and bridges gaps, 8-connected components are labelled with union-find,
// and components are filtered by area in mm², aspect and solidity. Each
// surviving component is then re-segmented at full resolution inside its
// neighbourhood for an accurate box, pixel area and second-moment axes.
//
// Touching specimens merge into one component (no watershed split).
package detect

import (
	"errors"
	"fmt"
	"image"
)

// Options configures Detect. Use DefaultOptions and override fields.
type Options struct {
	// PixelsPerMM is the frame's scale in full-resolution pixels per
	// millimetre. Required (> 0).
	PixelsPerMM float64
	// MinAreaMM2 and MaxAreaMM2 bound a specimen's segmented area in mm².
	// MaxAreaMM2 <= 0 means no upper bound.
	MinAreaMM2, MaxAreaMM2 float64
	// WorkSize is the longest side of the reduced working image (the frame is
	// box-averaged by an integer factor so that its longest side is at most
	// WorkSize). 0 means 1024.
	WorkSize int
	// WeakThreshold and StrongThreshold are darkness thresholds relative to
	// the local background: a pixel is foreground when
	// value < (1-WeakThreshold)*background, and a component is kept only if
	// some pixel has value < (1-StrongThreshold)*background.
	WeakThreshold, StrongThreshold float64
	// MaxAspect rejects components whose major/minor axis ratio exceeds it
	// (fibres, hairs, scratches). <= 0 disables the check.
	MaxAspect float64
	// MinSolidity rejects components whose area / convex-hull area is below
	// it (work resolution). <= 0 disables the check.
	MinSolidity float64
	// BackgroundBlock is the block size, in working pixels, of the coarse
	// background estimate. Dark objects up to about 4 blocks across do not
	// leak into the background. 0 means automatic (WorkSize/32, at least 16).
	BackgroundBlock int
}

// DefaultOptions returns the defaults for a frame with the given scale.
func DefaultOptions(pixelsPerMM float64) Options {
	return Options{
		PixelsPerMM:     pixelsPerMM,
		MinAreaMM2:      0.8,
		MaxAreaMM2:      3000,
		WorkSize:        1024,
		WeakThreshold:   0.15,
		StrongThreshold: 0.30,
		MaxAspect:       12,
		MinSolidity:     0.25,
	}
}

// Specimen is one detected specimen, in full-resolution frame coordinates.
type Specimen struct {
	// Box is the specimen's bounding box (Max exclusive) in the coordinates
	// of the image given to Detect (so it includes img.Bounds().Min).
	Box image.Rectangle
	// CenterX, CenterY is the centroid of the specimen's pixels.
	CenterX, CenterY float64
	// AreaPx is the number of full-resolution pixels segmented as specimen.
	// It is what BIOSCAN-5M calls image_measurement_value (see SizeFields).
	AreaPx float64
	// AreaMM2 is AreaPx converted with Options.PixelsPerMM.
	AreaMM2 float64
	// LengthPx/LengthMM and WidthPx/WidthMM are the major and minor axes of
	// the ellipse with the same second moments as the specimen's pixels
	// (4*sqrt(eigenvalue) of the covariance).
	LengthPx, WidthPx float64
	LengthMM, WidthMM float64
	// Orientation is the major axis angle in radians from the +x axis
	// (y down), in (-pi/2, pi/2].
	Orientation float64
	// Solidity is area / convex-hull area at work resolution (0..1].
	Solidity float64
	// Contrast is 1 - (mean specimen value / background), in 0..1.
	Contrast float64
	// TouchesEdge reports a box touching the frame border: the specimen may
	// be cut off.
	TouchesEdge bool
}

// ErrBadOptions wraps every Options validation error.
var ErrBadOptions = errors.New("detect: bad options")

func (o Options) withDefaults() (Options, error) {
	if !(o.PixelsPerMM > 0) {
		return o, fmt.Errorf("%w: PixelsPerMM must be > 0, got %v", ErrBadOptions, o.PixelsPerMM)
	}
	if o.WorkSize == 0 {
		o.WorkSize = 1024
	}
	if o.WorkSize < 64 {
		return o, fmt.Errorf("%w: WorkSize must be >= 64, got %d", ErrBadOptions, o.WorkSize)
	}
	if o.WeakThreshold <= 0 || o.WeakThreshold >= 1 {
		return o, fmt.Errorf("%w: WeakThreshold must be in (0,1), got %v", ErrBadOptions, o.WeakThreshold)
	}
	if o.StrongThreshold < o.WeakThreshold || o.StrongThreshold >= 1 {
		return o, fmt.Errorf("%w: StrongThreshold must be in [WeakThreshold,1), got %v", ErrBadOptions, o.StrongThreshold)
	}
	if o.MinAreaMM2 < 0 {
		return o, fmt.Errorf("%w: MinAreaMM2 must be >= 0, got %v", ErrBadOptions, o.MinAreaMM2)
	}
	if o.MaxAreaMM2 > 0 && o.MaxAreaMM2 < o.MinAreaMM2 {
		return o, fmt.Errorf("%w: MaxAreaMM2 %v < MinAreaMM2 %v", ErrBadOptions, o.MaxAreaMM2, o.MinAreaMM2)
	}
	if o.BackgroundBlock < 0 {
		return o, fmt.Errorf("%w: BackgroundBlock must be >= 0, got %d", ErrBadOptions, o.BackgroundBlock)
	}
	if o.BackgroundBlock == 0 {
		o.BackgroundBlock = max(16, o.WorkSize/32)
	}
	return o, nil
}

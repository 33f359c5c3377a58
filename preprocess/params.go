// Package preprocess turns an image into the normalised float32 tensor the
// trapnet models take. The same code runs at training time (package dataset)
// and on the trap (packages camera and agent), so it is pure Go with no
// dependencies beyond the standard library.
//
// The transform is: take the centred square of side min(W, H) from the image,
// resample it to Size x Size (exact area averaging when shrinking, bilinear
// when enlarging), and normalise each RGB channel as (v/255 - Mean) / Std.
// This is the usual "resize the shorter side to Size, then centre-crop
// Size x Size" done in one pass. With Resize set to ResizeStretch the whole
// image is resampled to Size x Size instead (aspect ratio not kept).
//
// The output is HWC, row-major: t[(y*Size+x)*3+c], c = 0 (R), 1 (G), 2 (B).
package preprocess

import (
	"encoding/json"
	"fmt"
	"os"
)

// Resize modes.
const (
	// ResizeCenterCrop resizes the shorter side to Size and centre-crops
	// (the default).
	ResizeCenterCrop = "center_crop"
	// ResizeStretch resamples the whole image to Size x Size.
	ResizeStretch = "stretch"
)

// BIOSCAN-5M's published per-channel RGB statistics (on [0, 1] values).
var (
	BIOSCANMean = [3]float32{0.763, 0.765, 0.764}
	BIOSCANStd  = [3]float32{0.142, 0.156, 0.173}
)

// Params describes the image transform. It is saved next to a trained model
// (preprocess.json, .tflite buffer trapnet.preprocess) so inference uses
// exactly the training transform.
type Params struct {
	// Size is the side of the square output in pixels.
	Size int `json:"size"`
	// Mean and Std normalise each RGB channel of values in [0, 1].
	Mean [3]float32 `json:"mean"`
	Std  [3]float32 `json:"std"`
	// Resize is ResizeCenterCrop (default when empty) or ResizeStretch.
	Resize string `json:"resize,omitempty"`
}

// Default returns the BIOSCAN-5M normalisation at the given size with
// centre-crop resizing.
func Default(size int) Params {
	return Params{Size: size, Mean: BIOSCANMean, Std: BIOSCANStd, Resize: ResizeCenterCrop}
}

// Len is the number of floats of one output tensor (Size*Size*3).
func (p Params) Len() int { return p.Size * p.Size * 3 }

// Validate checks the parameters.
func (p Params) Validate() error {
	if p.Size <= 0 || p.Size > 4096 {
		return fmt.Errorf("preprocess: size %d out of range (1..4096)", p.Size)
	}
	for c := 0; c < 3; c++ {
		if !(p.Std[c] > 0) {
			return fmt.Errorf("preprocess: std[%d] = %v, must be > 0", c, p.Std[c])
		}
	}
	switch p.Resize {
	case "", ResizeCenterCrop, ResizeStretch:
	default:
		return fmt.Errorf("preprocess: unknown resize mode %q (want %s or %s)", p.Resize, ResizeCenterCrop, ResizeStretch)
	}
	return nil
}

// Unmarshal parses and validates Params from JSON.
func Unmarshal(data []byte) (Params, error) {
	var p Params
	if err := json.Unmarshal(data, &p); err != nil {
		return Params{}, fmt.Errorf("preprocess params: %w", err)
	}
	return p, p.Validate()
}

// Save writes p as indented JSON to path.
func (p Params) Save(path string) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Load reads Params written by Save.
func Load(path string) (Params, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Params{}, err
	}
	p, err := Unmarshal(b)
	if err != nil {
		return Params{}, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

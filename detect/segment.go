package detect

import (
	"errors"
	"image"
)

// Detect finds specimens on img (any image.Image; *image.RGBA, *image.NRGBA,
// *image.YCbCr and *image.Gray are fast paths) and returns them sorted by
// position (top to bottom, then left to right). An empty or tiny image gives
// an error, never a panic.
func Detect(img image.Image, opts Options) ([]Specimen, error) {
	if _, err := opts.withDefaults(); err != nil {
		return nil, err
	}
	return nil, errors.New("detect: not implemented yet")
}

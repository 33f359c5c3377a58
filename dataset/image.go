package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // register the JPEG decoder
	_ "image/png"  // register the PNG decoder
	"io"
	"os"

	"github.com/trapnet/trapnet/camera"
)

// MaxImagePixels caps the decoded size of one image (guards against
// decompression bombs); larger images are reported as unreadable.
const MaxImagePixels = 64 << 20

// DecodeImage reads and decodes the JPEG or PNG image of s. It returns the
// image, the resolved path, and on failure the Kind (MissingImage or
// UnreadableImage) and an error naming the path and the reason. It never
// panics on bad files.
func DecodeImage(s Sample) (img image.Image, path string, kind Kind, err error) {
	path, err = ResolveImage(s)
	if err != nil {
		return nil, s.ImagePath, MissingImage, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, path, UnreadableImage, err
	}
	img, err = decodeBytes(data)
	if err != nil {
		return nil, path, UnreadableImage, err
	}
	return img, path, "", nil
}

// decodeBytes decodes an in-memory JPEG or PNG.
func decodeBytes(data []byte) (img image.Image, err error) {
	if len(data) == 0 {
		return nil, errors.New("empty file")
	}
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("decoder panic: %v", r)
		}
	}()
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, configError(err, int64(len(data)))
	}
	if err := checkConfig(cfg, format); err != nil {
		return nil, err
	}
	img, _, err = image.Decode(bytes.NewReader(data))
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("truncated %s (%d bytes): %w", format, len(data), err)
	}
	if err != nil {
		return nil, fmt.Errorf("corrupt or truncated %s: %w", format, err)
	}
	if format == "jpeg" {
		// A phone's photo stored sideways: turned as every viewer (and the
		// agent's sources) show it, so training sees what the traps see.
		img = camera.Upright(img, data)
	}
	return img, nil
}

package dataset

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
)

// endMarkerWindow is how close to the end of a file its end marker must lie:
// some writers pad or append a few bytes after it, a truncated copy has none.
const endMarkerWindow = 4096

// CheckImageFile checks the image at path without decoding its pixels: the
// file must be a JPEG or PNG whose header parses (image.DecodeConfig), whose
// size is in range, and whose end marker (JPEG end-of-image FF D9, PNG IEND
// chunk) lies within the last 4 KiB. That names empty, truncated and
// non-image files; damage inside the compressed data is found only by a full
// decode (DecodeImage).
func CheckImageFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	if size == 0 {
		return errors.New("empty file")
	}
	cfg, format, err := image.DecodeConfig(bufio.NewReader(f))
	if err != nil {
		return configError(err, size)
	}
	if err := checkConfig(cfg, format); err != nil {
		return err
	}
	tail := make([]byte, min(size, endMarkerWindow))
	if _, err := f.ReadAt(tail, size-int64(len(tail))); err != nil {
		return err
	}
	switch format {
	case "jpeg":
		if !bytes.Contains(tail, []byte{0xFF, 0xD9}) {
			return fmt.Errorf("truncated jpeg (%d bytes): no end-of-image marker (FF D9) in its last %d bytes", size, len(tail))
		}
	case "png":
		if !bytes.Contains(tail, []byte("IEND")) {
			return fmt.Errorf("truncated png (%d bytes): no IEND chunk in its last %d bytes", size, len(tail))
		}
	}
	return nil
}

// configError words an image.DecodeConfig failure of a file of size bytes.
func configError(err error, size int64) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("truncated file (%d bytes): %w", size, err)
	}
	return fmt.Errorf("not a readable JPEG/PNG: %w", err)
}

// checkConfig rejects images with no pixels or more than MaxImagePixels.
func checkConfig(cfg image.Config, format string) error {
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return fmt.Errorf("%s image of %dx%d pixels out of range", format, cfg.Width, cfg.Height)
	}
	return nil
}

// Package camera provides trap frames to the agent through one interface,
// Source, with three implementations:
//
//   - Files: a fixed list of image files (tests, replays);
//   - Folder: a polling folder watcher (frames dropped by another program or
//     a camera's FTP upload); processed files go to done/, unreadable ones to
//     rejected/ next to a .reason.txt file;
//   - Capture (build tag gocv only): OpenCV VideoCapture on a device index,
//     a stream URL or a file pattern such as frames/frame_%03d.png.
//
// Corrupt, empty or truncated images never stop a source: they are rejected
// with a reason (reported through Options.OnReject) and the source moves on.
// The default build is pure Go (PNG, JPEG and GIF decoding).
package camera

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // register GIF decoding
	_ "image/jpeg" // register JPEG decoding
	_ "image/png"  // register PNG decoding
	"io"
	"os"
	"time"
)

// Frame is one captured image.
type Frame struct {
	// ID identifies the frame within its source: the file's base name for
	// Files and Folder, a running number for Capture.
	ID string
	// Image is the decoded frame.
	Image image.Image
	// Path is the file the frame was read from ("" for live capture).
	Path string
	// Time is the capture time: for Files and Folder the JPEG's Exif
	// DateTimeOriginal when it has one (see ExifTime), else the time in
	// the file's name (NameTime), else the file's modification time; for
	// Capture the time the frame was grabbed.
	Time time.Time
	// TimeSource says where Time came from: TimeSourceExif,
	// TimeSourceName, TimeSourceMtime, or "" (grabbed live).
	TimeSource string
}

// Source yields frames. Next blocks until a frame is available, the source
// is exhausted (io.EOF), the context ends (ctx.Err()) or the source is closed
// (ErrClosed). Sources are not safe for concurrent use of Next.
type Source interface {
	Next(ctx context.Context) (Frame, error)
	Close() error
}

// ErrClosed is returned by Next after Close.
var ErrClosed = errors.New("camera: source closed")

// Rejection describes a file a source skipped.
type Rejection struct {
	Path   string
	Reason error
}

// Options are shared by the file-based sources.
type Options struct {
	// MaxPixels rejects images with more pixels than this before decoding
	// (decompression bombs). 0 means 100 megapixels.
	MaxPixels int
	// OnReject, if set, is called for every skipped file.
	OnReject func(Rejection)
	// Location is the time zone of Exif capture times that carry no
	// offset (the trap's; nil means UTC).
	Location *time.Location
	// MaxBytes rejects files larger than this before reading them
	// (0 means DefaultMaxBytes).
	MaxBytes int64
}

func (o Options) maxPixels() int {
	if o.MaxPixels <= 0 {
		return 100 << 20
	}
	return o.MaxPixels
}

// DecodeFile reads and decodes one image file. It checks the header and size
// (at most maxPixels pixels; <= 0 means the 100-megapixel default) before
// decoding and turns decoder panics into errors, so corrupt, empty or
// truncated files give an error naming the file and the problem. The file
// is streamed, never read whole, and must be a regular file of at most
// DefaultMaxBytes (see DecodeFileLimit). A JPEG is turned as its Exif
// Orientation says (a phone's portrait photo), so the image is the one a
// viewer shows (orient.go).
func DecodeFile(path string, maxPixels int) (image.Image, error) {
	return DecodeFileLimit(path, maxPixels, 0)
}

// DecodeFileAsStored is DecodeFile without the turn by Exif orientation:
// the pixels as stored in the file, for boxes drawn by a tool that ignores
// the tag.
func DecodeFileAsStored(path string, maxPixels int) (image.Image, error) {
	return decodeFile(path, maxPixels, 0, false)
}

// DefaultMaxBytes is the default cap on an image file's size.
const DefaultMaxBytes = 256 << 20

// DecodeFileLimit is DecodeFile with a cap on the file's size (<= 0 means
// DefaultMaxBytes), checked before anything is read. FIFOs, devices and
// other non-regular files are refused without being opened for reading.
func DecodeFileLimit(path string, maxPixels int, maxBytes int64) (image.Image, error) {
	return decodeFile(path, maxPixels, maxBytes, true)
}

// decodeFile is DecodeFileLimit; turn says whether to turn a JPEG by its
// Exif orientation.
func decodeFile(path string, maxPixels int, maxBytes int64, turn bool) (image.Image, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	fi, err := os.Stat(path)
	if err == nil && !fi.Mode().IsRegular() {
		err = errNotRegular
	}
	if err == nil && fi.Size() > maxBytes {
		err = fmt.Errorf("file of %d bytes exceeds the %d-byte limit", fi.Size(), maxBytes)
	}
	var f *os.File
	if err == nil {
		f, err = os.Open(path)
	}
	if err != nil {
		return nil, fmt.Errorf("camera: %s: %w", path, err)
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() || fi.Size() > maxBytes {
		return nil, fmt.Errorf("camera: %s: changed while opened", path)
	}
	img, err := decodeReader(io.NewSectionReader(f, 0, fi.Size()), fi.Size(), Options{MaxPixels: maxPixels}.maxPixels(), turn)
	if err != nil {
		return nil, fmt.Errorf("camera: %s: %w", path, err)
	}
	return img, nil
}

func decodeBytes(data []byte, maxPixels int) (img image.Image, err error) {
	return decodeReader(bytes.NewReader(data), int64(len(data)), maxPixels, true)
}

// decodeReader decodes an image of size bytes from r: the header first
// (format and pixel count checked), then the image, both streamed; with
// turn, a JPEG is turned by its Exif orientation.
func decodeReader(r io.ReadSeeker, size int64, maxPixels int, turn bool) (img image.Image, err error) {
	if size == 0 {
		return nil, errors.New("empty file")
	}
	cfg, format, err := image.DecodeConfig(bufio.NewReader(r))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("truncated image header: %w", err)
		}
		return nil, fmt.Errorf("not a readable image: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("%s image has size %dx%d", format, cfg.Width, cfg.Height)
	}
	if maxPixels > 0 && int64(cfg.Width)*int64(cfg.Height) > int64(maxPixels) {
		return nil, fmt.Errorf("%s image %dx%d exceeds %d pixels", format, cfg.Width, cfg.Height, maxPixels)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("%s decoder panicked: %v", format, r)
		}
	}()
	o := 1
	if turn && format == "jpeg" {
		if o, err = readOrientation(r); err != nil {
			return nil, err
		}
	}
	img, _, err = image.Decode(bufio.NewReader(r))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("truncated %s image: %w", format, err)
		}
		return nil, fmt.Errorf("corrupt %s image: %w", format, err)
	}
	return orient(img, o), nil // as a viewer shows it (orient.go)
}

var errNotRegular = errors.New("not a regular file")

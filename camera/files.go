package camera

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Files is a Source over a fixed list of image files, read in order. Files
// that cannot be read or decoded are skipped (reported to Options.OnReject);
// they are never moved or changed. Next returns io.EOF after the last file.
type Files struct {
	paths  []string
	next   int
	opts   Options
	closed bool
}

// NewFiles returns a Source over paths (copied).
func NewFiles(paths []string, opts Options) *Files {
	return &Files{paths: append([]string(nil), paths...), opts: opts}
}

// Next returns the next decodable file as a Frame.
func (f *Files) Next(ctx context.Context) (Frame, error) {
	for {
		if f.closed {
			return Frame{}, ErrClosed
		}
		if err := ctx.Err(); err != nil {
			return Frame{}, err
		}
		if f.next >= len(f.paths) {
			return Frame{}, io.EOF
		}
		p := f.paths[f.next]
		f.next++
		fi, err := os.Stat(p)
		if err == nil && !fi.Mode().IsRegular() {
			err = &os.PathError{Op: "read", Path: p, Err: errNotRegular}
		}
		var frame Frame
		if err == nil {
			frame.Image, err = DecodeFileLimit(p, f.opts.maxPixels(), f.opts.MaxBytes)
		}
		if err != nil {
			if f.opts.OnReject != nil {
				f.opts.OnReject(Rejection{Path: p, Reason: err})
			}
			continue
		}
		frame.ID = filepath.Base(p)
		frame.Path = p
		frame.Time, frame.TimeSource = captureTime(p, fi.ModTime(), f.opts.Location)
		return frame, nil
	}
}

// Retry implements Retrier: the frame's file is read again by the next
// call of Next (after is not used: a list has no one else to wait for).
func (f *Files) Retry(fr Frame, after time.Duration) {
	if f.next > 0 && f.paths[f.next-1] == fr.Path {
		f.next--
	}
}

// Close ends the source; Next then returns ErrClosed.
func (f *Files) Close() error {
	f.closed = true
	return nil
}

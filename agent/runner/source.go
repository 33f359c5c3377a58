package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/camera"
)

// maxFramePixels rejects snapshots larger than 100 megapixels (camera's default).
const maxFramePixels = 100 << 20

// Snapshot is a camera.Source for the interval trigger: each Next re-reads
// an image file that a camera program keeps overwriting. A snapshot whose
// modification time did not change since the last read is an error (the
// camera program stalled), so the frame is counted as failed, not repeated.
type Snapshot struct {
	Path      string
	MaxPixels int
	last      time.Time
}

// Next implements camera.Source.
func (s *Snapshot) Next(ctx context.Context) (camera.Frame, error) {
	if err := ctx.Err(); err != nil {
		return camera.Frame{}, err
	}
	fi, err := os.Stat(s.Path)
	if err != nil {
		return camera.Frame{}, fmt.Errorf("snapshot: %w", err)
	}
	if !s.last.IsZero() && !fi.ModTime().After(s.last) {
		return camera.Frame{}, fmt.Errorf("snapshot %s not updated since %s", s.Path, s.last.UTC().Format(time.RFC3339))
	}
	img, err := camera.DecodeFile(s.Path, s.MaxPixels)
	if err != nil {
		return camera.Frame{}, err
	}
	s.last = fi.ModTime()
	id := filepath.Base(s.Path) + "@" + fi.ModTime().UTC().Format("20060102T150405.000Z")
	return camera.Frame{ID: id, Image: img, Path: s.Path, Time: fi.ModTime(), TimeSource: camera.TimeSourceMtime}, nil
}

// Close implements camera.Source.
func (s *Snapshot) Close() error { return nil }

// NewSource returns the configured frame source and, for the interval
// trigger, the tick channel (with a stop function).
func NewSource(cfg *config.Config, onReject func(camera.Rejection)) (camera.Source, <-chan time.Time, func(), error) {
	switch cfg.Capture.Trigger {
	case "files":
		src, err := camera.NewFolder(cfg.Capture.WatchDir, camera.FolderOptions{Options: camera.Options{OnReject: onReject, Location: cfg.Location()}})
		if err != nil {
			return nil, nil, nil, err
		}
		return src, nil, func() {}, nil
	default:
		tick, stop := immediateTicker(cfg.Capture.Interval)
		return &Snapshot{Path: cfg.Capture.Snapshot, MaxPixels: maxFramePixels}, tick, stop, nil
	}
}

// immediateTicker ticks at once and then every d until stop is called.
func immediateTicker(d time.Duration) (<-chan time.Time, func()) {
	ch := make(chan time.Time, 1)
	ch <- time.Now()
	t := time.NewTicker(d)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				select {
				case ch <- now:
				default: // a frame is still processing: skip this tick
				}
			}
		}
	}()
	var once sync.Once
	return ch, func() { once.Do(func() { t.Stop(); close(done) }) }
}

package runner

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
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
// an image file that a camera program keeps overwriting. A snapshot that did
// not change since the last read (same modification time, size and file,
// and the same content) is an error (the camera program stalled), so the
// frame is counted as failed, not repeated. Any change counts, also a
// modification time that went back (a clock reset), and how long the
// snapshot has been stale is measured on the monotonic clock.
type Snapshot struct {
	Path      string
	MaxPixels int
	// MaxBytes caps the file (0: camera.DefaultMaxBytes).
	MaxBytes int64
	last     os.FileInfo
	lastSum  [sha256.Size]byte
	lastNew  time.Time // when a changed snapshot was last read (monotonic)
	// retry is a frame whose results could not be stored, handed out
	// again at the next tick (before a newer snapshot).
	retry *camera.Frame
}

// Retry implements camera.Retrier: the frame comes back at the next tick
// (the interval paces it; after is not used).
func (s *Snapshot) Retry(f camera.Frame, after time.Duration) { s.retry = &f }

// Next implements camera.Source.
func (s *Snapshot) Next(ctx context.Context) (camera.Frame, error) {
	if err := ctx.Err(); err != nil {
		return camera.Frame{}, err
	}
	if f := s.retry; f != nil {
		s.retry = nil
		return *f, nil
	}
	fi, err := os.Stat(s.Path)
	if err != nil {
		return camera.Frame{}, fmt.Errorf("snapshot: %w", err)
	}
	same := s.last != nil && os.SameFile(fi, s.last) && fi.ModTime().Equal(s.last.ModTime()) && fi.Size() == s.last.Size()
	var sum [sha256.Size]byte
	if same {
		// Unchanged by its metadata; the content decides (a rewrite within
		// the file system's time resolution, or after a clock reset).
		if sum, err = fileSum(s.Path, s.maxBytes()); err == nil && sum == s.lastSum {
			return camera.Frame{}, fmt.Errorf("snapshot %s not updated for %v", s.Path, time.Since(s.lastNew).Round(time.Second))
		}
	}
	img, err := camera.DecodeFileLimit(s.Path, s.MaxPixels, s.maxBytes())
	if err != nil {
		return camera.Frame{}, err
	}
	if !same {
		sum, _ = fileSum(s.Path, s.maxBytes())
	}
	s.last, s.lastSum, s.lastNew = fi, sum, time.Now()
	id := filepath.Base(s.Path) + "@" + fi.ModTime().UTC().Format("20060102T150405.000Z")
	return camera.Frame{ID: id, Image: img, Path: s.Path, Time: fi.ModTime(), TimeSource: camera.TimeSourceMtime}, nil
}

func (s *Snapshot) maxBytes() int64 {
	if s.MaxBytes > 0 {
		return s.MaxBytes
	}
	return camera.DefaultMaxBytes
}

// fileSum is the SHA-256 of at most max bytes of path, streamed.
func fileSum(path string, max int64) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	f, err := os.Open(path)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(f, max)); err != nil {
		return sum, err
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// Close implements camera.Source.
func (s *Snapshot) Close() error { return nil }

// NewSource returns the configured frame source and, for the interval
// trigger, the tick channel (with a stop function). onReject gets files
// moved to rejected/, onWarn entries left in the watched folder.
func NewSource(cfg *config.Config, onReject, onWarn func(camera.Rejection)) (camera.Source, <-chan time.Time, func(), error) {
	switch cfg.Capture.Trigger {
	case "files":
		src, err := camera.NewFolder(cfg.Capture.WatchDir, camera.FolderOptions{
			Options:   camera.Options{OnReject: onReject, MaxBytes: cfg.Capture.MaxFileBytes, Location: cfg.Location()},
			StableFor: cfg.Capture.Settle, OnWarn: onWarn,
		})
		if err != nil {
			return nil, nil, nil, err
		}
		return src, nil, func() {}, nil
	default:
		tick, stop := immediateTicker(cfg.Capture.Interval)
		return &Snapshot{Path: cfg.Capture.Snapshot, MaxPixels: maxFramePixels, MaxBytes: cfg.Capture.MaxFileBytes}, tick, stop, nil
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

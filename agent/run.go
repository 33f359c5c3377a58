package agent

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/trapnet/trapnet/camera"
)

// Run pulls frames from src until ctx ends or src is exhausted. With a
// non-nil tick, one frame is pulled per tick (interval trigger); otherwise
// frames are processed as the source yields them (new-file trigger). Frame
// errors are logged, counted and skipped, except failed commits: a source
// that is a camera.Retrier keeps the frame and hands it out again after a
// back-off (RetryBase doubling per consecutive failure, at most a minute).
func (p *Pipeline) Run(ctx context.Context, src camera.Source, tick <-chan time.Time, onFrame func()) error {
	fails := 0 // consecutive failed commits
	for {
		if tick != nil {
			select {
			case <-ctx.Done():
				return nil
			case <-tick:
			}
		}
		f, err := src.Next(ctx)
		switch {
		case err == nil:
		case errors.Is(err, io.EOF), errors.Is(err, camera.ErrClosed), ctx.Err() != nil:
			return nil
		default:
			p.counters.FrameErrors.Add(1)
			p.Log.Warn("capture failed", "err", err)
			if tick == nil {
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(time.Second):
				}
			}
			continue
		}
		sum, err := p.Process(f)
		switch {
		case errors.Is(err, ErrCommit):
			fails++
			delay := p.retryDelay(fails)
			if r, ok := src.(camera.Retrier); ok {
				r.Retry(f, delay)
				p.Log.Warn("frame kept for a retry", "frame", f.ID, "in", delay, "err", err)
			} else {
				p.Log.Warn("frame lost: outbox commit failed", "frame", f.ID, "err", err)
			}
		case err != nil:
			p.Log.Warn("frame skipped", "err", err)
		default:
			fails = 0
			p.Log.Debug("frame processed", "frame", f.ID, "specimens", sum.Specimens, "new", sum.New, "ms", sum.LatencyMS)
		}
		if onFrame != nil {
			onFrame()
		}
	}
}

// retryDelay is the back-off after n consecutive failed commits.
func (p *Pipeline) retryDelay(n int) time.Duration {
	d := p.RetryBase
	if d <= 0 {
		d = time.Second
	}
	for i := 1; i < n && d < time.Minute; i++ {
		d *= 2
	}
	return min(d, time.Minute)
}

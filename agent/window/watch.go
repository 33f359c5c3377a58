package window

import (
	"context"
	"log/slog"
	"os/exec"
	"time"
)

// Gate forwards the ticks of in only while s is open.
func Gate(ctx context.Context, in <-chan time.Time, s Schedule) <-chan time.Time {
	out := make(chan time.Time, 1)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case t := <-in:
				if !s.Open(time.Now()) {
					continue
				}
				select {
				case out <- t:
				default: // a frame is still processing: skip this tick
				}
			}
		}
	}()
	return out
}

// Commands are run when a window opens (OnStart) and closes (OnEnd).
type Commands struct {
	OnStart, OnEnd []string
	// Timeout bounds each command.
	Timeout time.Duration
	Log     *slog.Logger
}

// Watch checks s every poll until ctx ends and runs OnStart when it opens
// and OnEnd when it closes. At start it runs the one matching the current
// state, so a lamp is in the right state after a restart.
func Watch(ctx context.Context, s Schedule, c Commands, poll time.Duration) {
	open := s.Open(time.Now())
	c.run(ctx, open)
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if now := s.Open(time.Now()); now != open {
				open = now
				c.run(ctx, open)
			}
		}
	}
}

// run runs OnStart (open) or OnEnd, logging its outcome.
func (c Commands) run(ctx context.Context, open bool) {
	argv, what := c.OnEnd, "window closed"
	if open {
		argv, what = c.OnStart, "window open"
	}
	c.Log.Info("capture "+what, "command", argv)
	if len(argv) == 0 {
		return
	}
	cctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	out, err := exec.CommandContext(cctx, argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		c.Log.Error("capture window command failed", "command", argv, "err", err, "output", string(out))
	}
}

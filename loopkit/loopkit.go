// Package loopkit is the training-loop kit that the architecture search
// (package search) and the training of derived nets (package trainer)
// share: the cosine learning-rate schedule, the run-state file written next
// to a checkpoint for --resume, the typed JSONL log, the checks for a
// diverged loss and an interrupt, and the progress bar (drawn only on a
// terminal) that the trainer's long commands share.
package loopkit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/schollz/progressbar/v3"
)

// CosineLR is lrMin + (lrMax-lrMin)(1+cos(π·min(step/total, 1)))/2.
func CosineLR(lrMax, lrMin float64, step, total int64) float64 {
	if total <= 0 {
		return lrMax
	}
	f := math.Min(float64(step)/float64(total), 1)
	return lrMin + (lrMax-lrMin)*(1+math.Cos(math.Pi*f))/2
}

// SaveState writes v as indented JSON to path atomically (a temporary file
// renamed over it), so an interrupt never leaves half a state file.
func SaveState(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".state-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// LoadState reads a state file written by SaveState; errors name the file.
func LoadState(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("resume: %s: %w", path, err)
	}
	return nil
}

// ErrDiverged is wrapped by CheckLoss's errors.
var ErrDiverged = errors.New("loss is not finite")

// CheckLoss returns an error wrapping ErrDiverged, naming the step, when a
// loss is NaN or infinite.
func CheckLoss(step int64, losses ...float64) error {
	for _, l := range losses {
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return fmt.Errorf("step %d: %w (%v; lower the learning rate?)", step, ErrDiverged, l)
		}
	}
	return nil
}

// Interrupted reports whether the run was asked to stop (Ctrl-C cancels
// ctx); the loop then saves its checkpoint and state and returns.
func Interrupted(ctx context.Context) bool { return ctx.Err() != nil }

// Log appends typed records as JSON lines to a file.
type Log struct {
	f   *os.File
	enc *json.Encoder
}

// OpenLog opens (creating or appending to) a JSONL log.
func OpenLog(path string) (*Log, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &Log{f: f, enc: json.NewEncoder(f)}, nil
}

// Write appends one record.
func (l *Log) Write(v any) error { return l.enc.Encode(v) }

// Close closes the file.
func (l *Log) Close() error { return l.f.Close() }

// Bar returns a progress bar of total steps described as desc, drawn on w
// only when w is a terminal (Terminal), with opts added (counts, rate,
// throttle, clear on finish as each loop wants).
func Bar(w io.Writer, total int64, desc string, opts ...progressbar.Option) *progressbar.ProgressBar {
	base := []progressbar.Option{progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(desc),
		progressbar.OptionSetVisibility(Terminal(w))}
	return progressbar.NewOptions64(total, append(base, opts...)...)
}

// Terminal reports whether w is a terminal (an *os.File on a character
// device). Progress bars are drawn only there: written to a log file or a
// CI capture, each redraw would be a line of its own.
func Terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

package agent

import (
	"errors"
	"fmt"

	"github.com/trapnet/trapnet/detect"
)

// Stateful is implemented by a Finder whose tracking state can be saved
// and restored (DetectFinder), so that a restarted agent does not count the
// specimens already on the card again.
type Stateful interface {
	MarshalState() ([]byte, error)
	UnmarshalState([]byte) error
}

// Keys of the pipeline's state in the outbox (committed with each frame).
const (
	stateTracker = "tracker"
	stateAlerts  = "alerts"
	stateDaily   = "daily"
)

// ErrCommit marks a frame whose messages could not be committed to the
// outbox (e.g. a full disk): the frame was not handled and must be retried;
// the tracker and alert windows are as before it.
var ErrCommit = errors.New("outbox commit failed")

// MarshalState implements Stateful (the tracker's state; "null" without one).
func (d *DetectFinder) MarshalState() ([]byte, error) {
	if d.Tracker == nil {
		return []byte("null"), nil
	}
	return d.Tracker.MarshalState()
}

// UnmarshalState implements Stateful.
func (d *DetectFinder) UnmarshalState(b []byte) error {
	if d.Tracker == nil || string(b) == "null" {
		return nil
	}
	return d.Tracker.UnmarshalState(b)
}

var _ Stateful = (*DetectFinder)(nil)
var _ Stateful = (*detect.Tracker)(nil)

// snapshot returns the tracker and alert state as committed with a frame.
func (p *Pipeline) snapshot() (map[string][]byte, error) {
	st := map[string][]byte{}
	if s, ok := p.Finder.(Stateful); ok {
		b, err := s.MarshalState()
		if err != nil {
			return nil, err
		}
		st[stateTracker] = b
	}
	if p.Alerts != nil {
		b, err := p.Alerts.MarshalState()
		if err != nil {
			return nil, err
		}
		st[stateAlerts] = b
	}
	b, err := p.daily.MarshalState()
	if err != nil {
		return nil, err
	}
	st[stateDaily] = b
	return st, nil
}

// restore puts a snapshot back (after a failed commit).
func (p *Pipeline) restore(st map[string][]byte) error {
	var errs []error
	if s, ok := p.Finder.(Stateful); ok && st[stateTracker] != nil {
		errs = append(errs, s.UnmarshalState(st[stateTracker]))
	}
	if p.Alerts != nil && st[stateAlerts] != nil {
		errs = append(errs, p.Alerts.UnmarshalState(st[stateAlerts]))
	}
	if st[stateDaily] != nil {
		errs = append(errs, p.daily.UnmarshalState(st[stateDaily]))
	}
	return errors.Join(errs...)
}

// RestoreState loads the tracker and alert windows committed with the last
// frame from the outbox. It reports whether any state was found.
func (p *Pipeline) RestoreState() (bool, error) {
	st := map[string][]byte{}
	for _, k := range []string{stateTracker, stateAlerts, stateDaily} {
		b, err := p.Outbox.State(k)
		if err != nil {
			return false, fmt.Errorf("pipeline state: %w", err)
		}
		if b != nil {
			st[k] = b
		}
	}
	if len(st) == 0 {
		return false, nil
	}
	return true, p.restore(st)
}

package agent

import (
	"fmt"
	"strings"
	"time"

	"github.com/trapnet/trapnet/agent/config"
)

// Alerts evaluates the configured rules over a sliding window of
// detections. A rule fires when at least MinCount matching detections with
// score >= MinConfidence fall within Window; it then stays quiet for one
// Window before it can fire again. Not safe for concurrent use.
type Alerts struct {
	trap  string
	rules []ruleState
}

type ruleState struct {
	config.Alert
	hits      []hit
	lastFired time.Time
}

type hit struct {
	at time.Time
	id string
}

func (r *ruleState) has(id string) bool {
	for _, h := range r.hits {
		if h.id == id {
			return true
		}
	}
	return false
}

// NewAlerts prepares the rules of trap.
func NewAlerts(trap string, rules []config.Alert) *Alerts {
	a := &Alerts{trap: trap}
	for _, r := range rules {
		a.rules = append(a.rules, ruleState{Alert: r})
	}
	return a
}

// Matches reports whether label is one of want, or a species of a genus in
// want ("Drosophila" matches "Drosophila melanogaster"); case-insensitive.
func Matches(label string, want []string) bool {
	l := strings.ToLower(strings.TrimSpace(label))
	for _, w := range want {
		w = strings.ToLower(strings.TrimSpace(w))
		if w != "" && (l == w || strings.HasPrefix(l, w+" ")) {
			return true
		}
	}
	return false
}

// Observe adds one detection and returns the alerts it fires.
func (a *Alerts) Observe(d Detection) []Alert {
	var out []Alert
	for i := range a.rules {
		r := &a.rules[i]
		at := d.CaptureTime
		cut := at.Add(-r.Window)
		k := 0
		for _, h := range r.hits {
			if h.at.After(cut) {
				r.hits[k] = h
				k++
			}
		}
		r.hits = r.hits[:k]
		if d.Score < r.MinConfidence || !Matches(d.Label, r.Labels) || r.has(d.ID) {
			continue // an id seen before: a frame re-processed after a crash
		}
		r.hits = append(r.hits, hit{at: at, id: d.ID})
		if len(r.hits) < r.MinCount || (!r.lastFired.IsZero() && at.Sub(r.lastFired) < r.Window) {
			continue
		}
		r.lastFired = at
		ids := make([]string, 0, len(r.hits))
		for _, h := range r.hits {
			ids = append(ids, h.id)
		}
		out = append(out, Alert{
			ID:            fmt.Sprintf("%s-%s-%s", a.trap, r.Name, at.UTC().Format("20060102T150405.000Z")),
			TrapID:        a.trap,
			Rule:          r.Name,
			Labels:        r.Labels,
			Count:         len(r.hits),
			MinCount:      r.MinCount,
			WindowSeconds: r.Window.Seconds(),
			MinConfidence: r.MinConfidence,
			Time:          at.UTC(),
			DetectionIDs:  ids,
		})
	}
	return out
}

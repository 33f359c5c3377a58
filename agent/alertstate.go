package agent

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// alertState is the persisted form of the rules' windows.
type alertState struct {
	Rules map[string]ruleSnapshot `json:"rules"`
}

type ruleSnapshot struct {
	Hits      []hitSnapshot `json:"hits"`
	LastFired time.Time     `json:"last_fired"`
}

type hitSnapshot struct {
	At time.Time `json:"at"`
	ID string    `json:"id"`
}

// MarshalState returns the rules' sliding windows (JSON).
func (a *Alerts) MarshalState() ([]byte, error) {
	st := alertState{Rules: map[string]ruleSnapshot{}}
	for _, r := range a.rules {
		rs := ruleSnapshot{LastFired: r.lastFired}
		for _, h := range r.hits {
			rs.Hits = append(rs.Hits, hitSnapshot{At: h.at, ID: h.id})
		}
		st.Rules[r.Name] = rs
	}
	return json.Marshal(st)
}

// UnmarshalState restores windows made by MarshalState for the rules that
// still exist (by name); other rules start empty. On error nothing changes.
func (a *Alerts) UnmarshalState(b []byte) error {
	var st alertState
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("alert state: %w", err)
	}
	for i := range a.rules {
		rs := st.Rules[a.rules[i].Name]
		a.rules[i].lastFired = rs.LastFired
		a.rules[i].hits = nil
		for _, h := range rs.Hits {
			a.rules[i].hits = append(a.rules[i].hits, hit{at: h.At, id: h.ID})
		}
	}
	return nil
}

// Save writes the rules' sliding windows to path (write to a temporary
// file, then rename), so a restart does not forget recent detections.
func (a *Alerts) Save(path string) error {
	b, err := a.MarshalState()
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o640); err != nil {
		return fmt.Errorf("alert state: %w", err)
	}
	return os.Rename(tmp, path)
}

// Load restores windows saved by Save for the rules that still exist (by
// name). A missing file is not an error; a corrupt one is reported and
// ignored (the windows start empty).
func (a *Alerts) Load(path string) error {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("alert state: %w", err)
	}
	if err := a.UnmarshalState(b); err != nil {
		return fmt.Errorf("%s: %w (starting with empty windows)", path, err)
	}
	return nil
}

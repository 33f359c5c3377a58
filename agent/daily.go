package agent

import (
	"encoding/json"
	"sync"
)

// DailyCounts is the JSON published (retained) on <prefix>counts: the
// specimens counted so far on the trap's local date, per label (uncertain
// ones under "uncertain"). Home Assistant's per-species sensors read it.
type DailyCounts struct {
	Date   string         `json:"date"`
	Counts map[string]int `json:"counts"`
	Total  int            `json:"total"`
}

// daily keeps the day's counts; it is committed with each frame.
type daily struct {
	mu sync.Mutex
	c  DailyCounts
}

// add counts n specimens of label on date (a new date starts from zero)
// and returns a copy of the counts.
func (d *daily) add(date string, counts map[string]int) DailyCounts {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.c.Date != date || d.c.Counts == nil {
		d.c = DailyCounts{Date: date, Counts: map[string]int{}}
	}
	for l, n := range counts {
		d.c.Counts[l] += n
		d.c.Total += n
	}
	out := DailyCounts{Date: d.c.Date, Total: d.c.Total, Counts: make(map[string]int, len(d.c.Counts))}
	for l, n := range d.c.Counts {
		out.Counts[l] = n
	}
	return out
}

// MarshalState returns the counts as JSON.
func (d *daily) MarshalState() ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return json.Marshal(d.c)
}

// UnmarshalState restores counts from MarshalState's JSON.
func (d *daily) UnmarshalState(b []byte) error {
	var c DailyCounts
	if err := json.Unmarshal(b, &c); err != nil {
		return err
	}
	d.mu.Lock()
	d.c = c
	d.mu.Unlock()
	return nil
}

package detect

import (
	"encoding/json"
	"fmt"
	"image"
)

// trackerState is the persisted form of a Tracker (its settings are not
// saved: they come from the configuration).
type trackerState struct {
	Frame  int     `json:"frame"`
	NextID int     `json:"next_id"`
	Tracks []Track `json:"tracks"`
	// Forgotten are the boxes Forget dropped since the last Update: a
	// process restarted between two frames still counts them as new.
	Forgotten []image.Rectangle `json:"forgotten,omitempty"`
}

// MarshalState returns the tracker's tracks and counters (JSON), so a
// restarted process can continue tracking where it stopped.
func (t *Tracker) MarshalState() ([]byte, error) {
	return json.Marshal(trackerState{Frame: t.frame, NextID: t.nextID, Tracks: t.tracks, Forgotten: t.forgotten})
}

// UnmarshalState restores a state made by MarshalState, replacing the
// current tracks. On error the tracker is unchanged.
func (t *Tracker) UnmarshalState(b []byte) error {
	var st trackerState
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("tracker state: %w", err)
	}
	if st.Frame < 0 || st.NextID < 0 {
		return fmt.Errorf("tracker state: negative counters (frame %d, next id %d)", st.Frame, st.NextID)
	}
	for _, tr := range st.Tracks {
		if tr.ID <= 0 || tr.ID >= st.NextID || tr.LastFrame > st.Frame {
			return fmt.Errorf("tracker state: track %d inconsistent with next id %d, frame %d", tr.ID, st.NextID, st.Frame)
		}
	}
	t.frame, t.nextID, t.tracks, t.forgotten = st.Frame, st.NextID, st.Tracks, st.Forgotten
	return nil
}

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
	// SurfaceRef and SurfaceCand are the boxes (x0, y0, x1, y1) of the
	// new-surface rule's reference and candidate frames, SurfaceRefFrame
	// and SurfaceCandFrame their frame numbers (tracksurface.go).
	SurfaceRef       [][4]int `json:"surface_ref,omitempty"`
	SurfaceCand      [][4]int `json:"surface_cand,omitempty"`
	SurfaceRefFrame  int      `json:"surface_ref_frame,omitempty"`
	SurfaceCandFrame int      `json:"surface_cand_frame,omitempty"`
	// SurfaceCandParts are the tracks begun on the candidate frame as
	// parts of others.
	SurfaceCandParts []int `json:"surface_cand_parts,omitempty"`
}

func packBoxes(bs []image.Rectangle) [][4]int {
	if bs == nil {
		return nil
	}
	out := make([][4]int, len(bs))
	for i, b := range bs {
		out[i] = [4]int{b.Min.X, b.Min.Y, b.Max.X, b.Max.Y}
	}
	return out
}

func unpackBoxes(ps [][4]int) []image.Rectangle {
	if ps == nil {
		return nil
	}
	out := make([]image.Rectangle, len(ps))
	for i, p := range ps {
		out[i] = image.Rect(p[0], p[1], p[2], p[3])
	}
	return out
}

// MarshalState returns the tracker's tracks and counters (JSON), so a
// restarted process can continue tracking where it stopped.
func (t *Tracker) MarshalState() ([]byte, error) {
	return json.Marshal(trackerState{Frame: t.frame, NextID: t.nextID, Tracks: t.tracks, Forgotten: t.forgotten,
		SurfaceRef: packBoxes(t.surface.ref), SurfaceCand: packBoxes(t.surface.cand),
		SurfaceRefFrame: t.surface.refFrame, SurfaceCandFrame: t.surface.candFrame, SurfaceCandParts: t.surface.candParts})
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
	if st.SurfaceRefFrame < 0 || st.SurfaceRefFrame > st.Frame || (st.SurfaceCand != nil && (st.SurfaceCandFrame <= st.SurfaceRefFrame || st.SurfaceCandFrame > st.Frame)) {
		return fmt.Errorf("tracker state: surface frames (reference %d, candidate %d) inconsistent with frame %d", st.SurfaceRefFrame, st.SurfaceCandFrame, st.Frame)
	}
	for _, tr := range st.Tracks {
		if tr.ID <= 0 || tr.ID >= st.NextID || tr.LastFrame > st.Frame {
			return fmt.Errorf("tracker state: track %d inconsistent with next id %d, frame %d", tr.ID, st.NextID, st.Frame)
		}
	}
	t.frame, t.nextID, t.tracks, t.forgotten = st.Frame, st.NextID, st.Tracks, st.Forgotten
	t.surface = surfaceRef{ref: unpackBoxes(st.SurfaceRef), cand: unpackBoxes(st.SurfaceCand), refFrame: st.SurfaceRefFrame, candFrame: st.SurfaceCandFrame, candParts: st.SurfaceCandParts}
	return nil
}

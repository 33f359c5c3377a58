package detect

import (
	"image"
	"sort"
)

// IoU is the intersection over union of two rectangles (0 when either is
// empty).
func IoU(a, b image.Rectangle) float64 {
	a, b = a.Canon(), b.Canon()
	in := a.Intersect(b)
	if in.Empty() {
		return 0
	}
	ia := float64(in.Dx()) * float64(in.Dy())
	ua := float64(a.Dx())*float64(a.Dy()) + float64(b.Dx())*float64(b.Dy()) - ia
	if ua <= 0 {
		return 0
	}
	return ia / ua
}

// Track is a specimen followed across frames.
type Track struct {
	// ID is unique within one Tracker, starting at 1.
	ID int
	// Box is the latest box of the track.
	Box image.Rectangle
	// New is true on the first frame a specimen is seen: count and publish
	// the specimen only when New is true.
	New bool
	// Hits is the number of frames the track was matched in (1 when New).
	Hits int
	// FirstFrame and LastFrame are Update call numbers, starting at 1.
	FirstFrame, LastFrame int
}

// Tracker matches boxes across frames by IoU. Specimens on a sticky card or
// sheet barely move, so greedy best-IoU matching is enough. A track not
// matched for more than MaxAge consecutive frames is forgotten. The zero
// value is not ready: use NewTracker. A Tracker is not safe for concurrent
// use.
type Tracker struct {
	// MinIoU is the smallest IoU that continues a track.
	MinIoU float64
	// MaxAge is how many consecutive frames a track may go unmatched.
	MaxAge int

	frame  int
	nextID int
	tracks []Track
}

// NewTracker returns a tracker with the given matching threshold (e.g. 0.3)
// and maximum age in frames (e.g. 10). minIoU <= 0 is taken as 0.3 and
// maxAge < 0 as 0.
func NewTracker(minIoU float64, maxAge int) *Tracker {
	if !(minIoU > 0) {
		minIoU = 0.3
	}
	return &Tracker{MinIoU: minIoU, MaxAge: max(0, maxAge), nextID: 1}
}

// Update takes the boxes of one frame and returns one Track per box, in the
// same order; Track.New tells whether the specimen is new. Each existing
// track continues at most one box; pairs are matched greedily from the
// highest IoU down.
func (t *Tracker) Update(boxes []image.Rectangle) []Track {
	t.frame++
	if t.nextID == 0 {
		t.nextID = 1
	}
	type pair struct {
		iou    float64
		ti, bi int
	}
	var pairs []pair
	for ti, tr := range t.tracks {
		for bi, b := range boxes {
			if v := IoU(tr.Box, b); v >= t.MinIoU && v > 0 {
				pairs = append(pairs, pair{v, ti, bi})
			}
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].iou != pairs[j].iou {
			return pairs[i].iou > pairs[j].iou
		}
		if pairs[i].ti != pairs[j].ti {
			return pairs[i].ti < pairs[j].ti
		}
		return pairs[i].bi < pairs[j].bi
	})
	out := make([]Track, len(boxes))
	usedT := make([]bool, len(t.tracks))
	usedB := make([]bool, len(boxes))
	for _, p := range pairs {
		if usedT[p.ti] || usedB[p.bi] {
			continue
		}
		usedT[p.ti], usedB[p.bi] = true, true
		tr := &t.tracks[p.ti]
		tr.Box = boxes[p.bi]
		tr.Hits++
		tr.LastFrame = t.frame
		tr.New = false
		out[p.bi] = *tr
	}
	kept := t.tracks[:0]
	for _, tr := range t.tracks {
		if t.frame-tr.LastFrame <= t.MaxAge {
			kept = append(kept, tr)
		}
	}
	t.tracks = kept
	for bi, b := range boxes {
		if usedB[bi] {
			continue
		}
		tr := Track{ID: t.nextID, Box: b, New: true, Hits: 1, FirstFrame: t.frame, LastFrame: t.frame}
		t.nextID++
		t.tracks = append(t.tracks, tr)
		out[bi] = tr
	}
	return out
}

// Active returns the number of tracks currently remembered.
func (t *Tracker) Active() int { return len(t.tracks) }

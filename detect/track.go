package detect

import (
	"image"
	"math"
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
	ia := area(in)
	ua := area(a) + area(b) - ia
	if ua <= 0 {
		return 0
	}
	return ia / ua
}

// area returns r's area in pixels, as a float.
func area(r image.Rectangle) float64 { return float64(r.Dx()) * float64(r.Dy()) }

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
// sheet barely move, so greedy best-IoU matching is enough; MaxMove follows
// the ones that walk, and PartShare the ones the detector finds whole on
// one frame and in pieces on another. A track not matched for more than
// MaxAge consecutive frames is forgotten. The zero value is not ready: use
// NewTracker. A Tracker is not safe for concurrent use.
type Tracker struct {
	// MinIoU is the smallest IoU that continues a track.
	MinIoU float64
	// MaxAge is how many consecutive frames a track may go unmatched.
	MaxAge int
	// MaxMove, if > 0, lets a track that no box overlaps enough continue
	// with the nearest unmatched box whose centre moved at most this many
	// pixels and whose area is within a factor 2: live insects walking on
	// a light-trap sheet. 0 (NewTracker's default) disables it.
	MaxMove float64
	// PartShare, if > 0, takes a box left unmatched by IoU and MaxMove for
	// a part of a specimen already tracked, or for specimens tracked in
	// parts found whole, when that share of the smaller of the box and the
	// track's latest box lies within the other (see matchParts). 0
	// (NewTracker's default) disables it.
	PartShare float64
	// NewSurfaceShare, if > 0, lets the tracker tell that the camera looks
	// at another surface (a sticky card swapped for another) and count
	// anew: see tracksurface.go. NewSurfaceMin is the fewest boxes a frame
	// must hold to decide it. 0 (NewTracker's default) disables it.
	NewSurfaceShare float64
	NewSurfaceMin   int

	frame  int
	nextID int
	tracks []Track
	// forgotten are the boxes of the tracks Forget dropped since the last
	// Update: their specimens come back new, not as parts (matchParts).
	forgotten []image.Rectangle
	surface   surfaceRef
	replaced  bool // the last Update started a new surface
}

// WalkMM is how far, in mm, a specimen may move between two frames and
// still be taken for the same one (Tracker.MaxMove): moths walk on a
// light-trap sheet. On ../shared/realframes/sequential (frames about a
// minute apart, 10 px/mm) no move allowed counts 2 insects again over 4
// frames, 6 mm none.
const WalkMM = 6

// SheetMaxAge is how many frames the agent's tracker remembers a specimen
// unseen on a light sheet (Tracker.MaxAge): insects leave a sheet, and
// another may settle where one was.
const SheetMaxAge = 10

// CardWalkMM and CardMaxAge are the tracker's walk and memory on a sticky
// card (ForSurface). A card's catches are glued where they landed: what
// moves between frames is only a faint speck's box, grown, shrunk or cut
// by the noise (about its own size, 1-2 mm), and what goes unseen for a
// while is a speck near the detection floor, not a catch that left.
// Measured with realeval.CardArrivals (bench/detect -real DIR -arrive 30):
// each of the 18 cards of ../shared/realframes/sticky taken 30 times
// (fresh sensor noise, JPEG 90), 5 of the card's own whiteflies arriving
// on bare card on every take from the second: of 2 467 arrivals (2 223
// detected on their take) a tracker with a sheet's WalkMM and SheetMaxAge
// counted 2 054, since on a card of 500-1 000 specks most places lie
// within 6 mm of a speck unseen on that take, whose track took the
// arrival for it having walked (on four cards 0.80-0.87 of those
// detected); at 2 mm and 200 frames 2 241, and the other new counts after
// the first take (specks first crossing the detection floor, or counted
// again) 3 311 -> 3 276. On three dense cards, against 2 mm: 1 mm
// counted 1-4 more arrivals and 5-28 more other new, 3-4 mm 2-9 fewer
// arrivals and up to 46 fewer other new. A used card swapped
// for another between two frames: 0.54-0.57 of the second card's specks
// counted at 6 mm, 0.85-0.86 at 2 mm (10 or 200 frames); the new-surface
// rule (tracksurface.go) tells such a swap and counts the new card anew.
const (
	CardWalkMM = 2
	CardMaxAge = 200
)

// NewFrameTracker returns the tracker the agent runs on a trap's frames at
// the given scale: IoU 0.3, PartShare 0.6 (the pieces of
// ../shared/realframes' sheets lie wholly within the whole's box: 0.5-0.9
// count the same), and a sheet's walk and memory (ForSurface).
func NewFrameTracker(pixelsPerMM float64) *Tracker {
	t := NewTracker(0.3, SheetMaxAge)
	t.PartShare = 0.6
	t.ForSurface(SurfaceSheet, pixelsPerMM)
	return t
}

// ForSurface sets the walk (MaxMove), memory (MaxAge) and new-surface
// rule (NewSurfaceShare) for a frame searched as surface (Frame.Surface)
// at pixelsPerMM: on a sticky card (SurfaceCard, SurfaceGreyCard)
// CardWalkMM, CardMaxAge and NewSurfaceShare (a card is swapped now and
// then), else WalkMM, SheetMaxAge and none (a sheet's insects come and go
// a few at a time). The agent calls it before each frame's Update, with
// the frame's own scale.
func (t *Tracker) ForSurface(surface string, pixelsPerMM float64) {
	walk, age, share := float64(WalkMM), SheetMaxAge, 0.0
	if surface == SurfaceCard || surface == SurfaceGreyCard {
		walk, age, share = CardWalkMM, CardMaxAge, NewSurfaceShare
	}
	t.MaxMove, t.MaxAge = walk*pixelsPerMM, age
	t.NewSurfaceShare, t.NewSurfaceMin = share, NewSurfaceMin
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
// highest IoU down. With NewSurfaceShare set, a frame may start a new
// surface (Replaced).
func (t *Tracker) Update(boxes []image.Rectangle) []Track {
	t.frame++
	if t.nextID == 0 {
		t.nextID = 1
	}
	t.replaced = false
	ns := t.surfaceCheck(boxes)
	type pair struct {
		iou    float64
		ti, bi int
	}
	var pairs []pair
	prev := make([]image.Rectangle, len(t.tracks)) // the tracks' boxes before this frame
	for ti, tr := range t.tracks {
		prev[ti] = tr.Box
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
		t.follow(p.ti, p.bi, boxes, usedT, usedB, out)
	}
	if ns.first > 0 {
		t.retireSurface(ns, prev, usedT)
	}
	if t.MaxMove > 0 {
		t.matchMoved(boxes, usedT, usedB, out)
	}
	if t.PartShare > 0 {
		t.matchParts(boxes, prev, usedT, usedB, out)
	}
	t.forgotten = nil
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
	if ns.first > 0 {
		t.startSurface(ns, out)
	}
	t.noteCandParts(out)
	return out
}

// matchMoved pairs the remaining tracks and boxes by centre distance (at
// most MaxMove) and similar area, nearest first.
func (t *Tracker) matchMoved(boxes []image.Rectangle, usedT, usedB []bool, out []Track) {
	type pair struct {
		d      float64
		ti, bi int
	}
	var pairs []pair
	for ti, tr := range t.tracks {
		if usedT[ti] {
			continue
		}
		for bi, b := range boxes {
			if usedB[bi] {
				continue
			}
			if d, ok := walkDistance(tr.Box, b); ok && d <= t.MaxMove {
				pairs = append(pairs, pair{d, ti, bi})
			}
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].d != pairs[j].d {
			return pairs[i].d < pairs[j].d
		}
		return pairs[i].ti < pairs[j].ti || (pairs[i].ti == pairs[j].ti && pairs[i].bi < pairs[j].bi)
	})
	for _, p := range pairs {
		t.follow(p.ti, p.bi, boxes, usedT, usedB, out)
	}
}

// walkDistance returns how far b's centre lies from a's, and whether the
// two are of about one size (areas within a factor 2): a box may continue
// a track that walked (Tracker.MaxMove) only so.
func walkDistance(a, b image.Rectangle) (float64, bool) {
	a1, a2 := area(a), area(b)
	if a1 <= 0 || a2 <= 0 || a1 > 2*a2 || a2 > 2*a1 {
		return 0, false
	}
	dx := float64(a.Min.X+a.Max.X-b.Min.X-b.Max.X) / 2
	dy := float64(a.Min.Y+a.Max.Y-b.Min.Y-b.Max.Y) / 2
	return math.Hypot(dx, dy), true
}

// follow moves track ti to box bi (unless either is used already) and
// records it as out[bi].
func (t *Tracker) follow(ti, bi int, boxes []image.Rectangle, usedT, usedB []bool, out []Track) {
	if usedT[ti] || usedB[bi] {
		return
	}
	usedT[ti], usedB[bi] = true, true
	tr := &t.tracks[ti]
	tr.Box = boxes[bi]
	tr.Hits++
	tr.LastFrame = t.frame
	tr.New = false
	out[bi] = *tr
}

// Forget drops the tracks with the given IDs, as if their specimens had
// not been seen: on the next Update they are new again (a specimen whose
// classification was put off to a later frame), even where one lies
// within another specimen's box (PartShare).
func (t *Tracker) Forget(ids ...int) {
	if len(ids) == 0 {
		return
	}
	drop := make(map[int]bool, len(ids))
	for _, id := range ids {
		drop[id] = true
	}
	kept := t.tracks[:0]
	for _, tr := range t.tracks {
		if drop[tr.ID] {
			t.forgotten = append(t.forgotten, tr.Box)
		} else {
			kept = append(kept, tr)
		}
	}
	t.tracks = kept
}

// Active returns the number of tracks currently remembered.
func (t *Tracker) Active() int { return len(t.tracks) }

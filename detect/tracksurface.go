package detect

import "image"

// A new surface. A sticky card is swapped for another now and then, and
// the camera has no way to say so: the old card's tracks, remembered
// CardMaxAge frames, would take the new card's specks lying where the old
// one had something for specimens already counted. A card taken again is
// mostly the same boxes in the same places, whatever the light; another
// card is not. So, with NewSurfaceShare set, the tracker compares each
// frame's boxes with those of the last frame it took for the same surface
// (the reference): when fewer than NewSurfaceShare of them overlap a
// reference box by MinIoU, as they are or all moved by the one shift most
// of them agree on (a card swinging on its hanger, a camera knocked: up to
// surfaceReach walks), on two decided frames in a row, and the second
// frame's boxes overlap the first's by that share (the new surface is
// seen twice, steady), it takes the camera for looking at a new surface.
// A frame taken for the same surface moved moves the tracks with it, so
// its specks are not counted again.
// The tracks begun on or before the reference frame are dropped, and a
// box of the second frame that continued one of them is new (a speck that
// happened to lie where the old card had one); the tracks begun since,
// counted when they were, go on. A frame with fewer than NewSurfaceMin
// boxes (a dark one, a fresh card) decides nothing: a fresh card's first
// catches are counted as they come (those landing where the old card had
// something continue its tracks until the card is told, and are counted
// then), and it is told once it holds NewSurfaceMin specks.
//
// Measured on the 18 cards of ../shared/realframes/sticky, each as taken
// and under each of realeval's 23 perturbations (those with 50 boxes or
// more on both frames): the share of the changed frame's boxes
// overlapping the first's by IoU 0.3 is 0.44 at the least (grey levels
// only, on 20240122_164355: 362 boxes, then 144), 0.63 under every other
// change, 0.83-0.98 taken again; a card followed by another card (306
// pairs) 0.056 at the most. Counting through the tracker's walk and part
// matches too, those pairs reach 0.25, since on a card of 500-1 000 specks
// most places lie within 2 mm of one; so the rule reads IoU. Read so
// alone, a card moved by 0.8 mm or more (the boxes of its retake shifted)
// was taken for a new one on 15 of the 18 cards, and from 1.7 mm on all:
// every speck counted again. With the common shift (every pair of centres
// within surfaceReach walks votes for its difference, in 2 px bins) none
// is, for shifts of 0.3-4.5 mm, and a card followed by another reaches
// 0.14 (the far card below, 5 of its 36 boxes; 0.09 every other pair).
// With the tracks moved with the card, a card moved 0.6-4.5 mm counts 936
// specks new over three frames on the 18 cards, one not moved 932 (the
// tracker's 2 mm walk alone: 1 176 at 0.6 mm, 10 314-10 633 from 2.2 mm).
// Fed two takes of one card and seven of another (as taken, taken again,
// darker, lit unevenly, vignetted, turned, with burned-in text), the
// tracker told the new card on its second take in all 306 pairs and
// counted 0.96-1.01 of what a tracker that never saw the first card
// counts (0.73-1.00 without the rule). No card under any perturbation on
// two frames in a row was taken for a new one, but for the one card with
// few boxes (20231209_162100, photographed from farther than configured,
// 36 boxes): under a warm cast none of its 27 overlaps the first's, so a
// change of light kept for two frames there starts it anew.

// NewSurfaceShare is the share of a frame's boxes overlapping the
// reference frame's below which a card's tracker takes the frame for
// another surface (Tracker.NewSurfaceShare; ForSurface sets it on cards).
const NewSurfaceShare = 0.2

// NewSurfaceMin is the fewest boxes a frame (and the reference) must hold
// for the tracker to decide whether it shows a new surface.
const NewSurfaceMin = 20

// surfaceRef is what the tracker remembers to tell a new surface: the
// reference frame's boxes and number, and those of a frame that differed
// from it (the candidate).
type surfaceRef struct {
	ref, cand           []image.Rectangle
	refFrame, candFrame int
}

// Replaced reports whether the last Update took its frame for a new
// surface (NewSurfaceShare) and started counting anew.
func (t *Tracker) Replaced() bool { return t.replaced }

// surfaceCheck decides, before boxes are matched, whether this frame
// confirms a new surface; it returns the first frame whose tracks may be
// the new surface's (the one after the reference), or 0.
func (t *Tracker) surfaceCheck(boxes []image.Rectangle) int {
	s := &t.surface
	if t.NewSurfaceShare <= 0 || len(boxes) < max(1, t.NewSurfaceMin) {
		// A frame searched as a sheet (with capture.surface auto, a dark
		// frame with a few specks) decides nothing either: the card's
		// reference stays for its next frame.
		return 0
	}
	if len(s.ref) < max(1, t.NewSurfaceMin) {
		*s = surfaceRef{ref: clone(boxes), refFrame: t.frame}
		return 0
	}
	if same, d := t.sameSurface(boxes, s.ref); same {
		t.moveTracks(d)
		*s = surfaceRef{ref: clone(boxes), refFrame: t.frame}
		return 0
	}
	if s.cand == nil {
		s.cand, s.candFrame = clone(boxes), t.frame
		return 0
	}
	if same, d := t.sameSurface(boxes, s.cand); same {
		t.moveTracks(d)
		first := s.refFrame + 1
		*s = surfaceRef{ref: clone(boxes), refFrame: t.frame}
		return first
	}
	s.cand, s.candFrame = clone(boxes), t.frame
	return 0
}

// retireSurface leaves the tracks begun before frame first out of the
// walk and part matches of this frame (usedT, prev: Update's): a speck of
// the new surface continues one only where it lies on that track's last
// box (a speck of the first frame that happened to lie where the old
// card had one, its track moved to it), not one walking or broken off.
func (t *Tracker) retireSurface(first int, prev []image.Rectangle, usedT []bool) {
	for ti, tr := range t.tracks {
		if tr.FirstFrame < first {
			usedT[ti], prev[ti] = true, image.Rectangle{}
		}
	}
}

// startSurface forgets the tracks begun before frame first; a box of out
// (this frame's tracks) that continued one of them is a new track.
func (t *Tracker) startSurface(first int, out []Track) {
	old := map[int]bool{}
	kept := t.tracks[:0]
	for _, tr := range t.tracks {
		if tr.FirstFrame < first {
			old[tr.ID] = true
		} else {
			kept = append(kept, tr)
		}
	}
	t.tracks = kept
	for i, tr := range out {
		if old[tr.ID] {
			out[i] = Track{ID: t.nextID, Box: tr.Box, New: true, Hits: 1, FirstFrame: t.frame, LastFrame: t.frame}
			t.nextID++
			t.tracks = append(t.tracks, out[i])
		}
	}
	t.replaced = true
}

// sameSurface reports whether NewSurfaceShare or more of boxes overlap a
// box of ref by MinIoU, as they are or all moved by the one shift (of at
// most surfaceReach walks) that most boxes agree on: a card swinging on
// its hanger, or the camera knocked, moves every speck alike. It returns
// that shift (boxes + d lie on ref), or none when they overlap as they
// are.
func (t *Tracker) sameSurface(boxes, ref []image.Rectangle) (bool, image.Point) {
	still := overlapShare(boxes, ref, t.MinIoU)
	d, ok := commonShift(boxes, ref, int(surfaceReach*t.MaxMove))
	if !ok || d == (image.Point{}) {
		return still >= t.NewSurfaceShare, image.Point{}
	}
	moved := make([]image.Rectangle, len(boxes))
	for i, b := range boxes {
		moved[i] = b.Add(d)
	}
	if m := overlapShare(moved, ref, t.MinIoU); m >= t.NewSurfaceShare && m > still+0.05 {
		return true, d
	}
	return still >= t.NewSurfaceShare, image.Point{}
}

// moveTracks moves every remembered box by -d, where this frame's
// specimens are now: a card that moved carries its catches with it.
func (t *Tracker) moveTracks(d image.Point) {
	if d == (image.Point{}) {
		return
	}
	for i := range t.tracks {
		t.tracks[i].Box = t.tracks[i].Box.Sub(d)
	}
	for i := range t.forgotten {
		t.forgotten[i] = t.forgotten[i].Sub(d)
	}
}

// surfaceReach is how far, in walks (Tracker.MaxMove), sameSurface looks
// for a shift of the whole surface: 6 mm on a card.
const surfaceReach = 3

// commonShift returns the shift d (within reach px in x and y) that moves
// the most box centres onto a centre of ref: each pair within reach votes
// for its difference in 2 px bins, summed over 3 x 3 bins. It reports
// false when reach < 2 or there is no pair.
func commonShift(boxes, ref []image.Rectangle, reach int) (image.Point, bool) {
	const bin = 2
	if reach < bin {
		return image.Point{}, false
	}
	n := 2*reach/bin + 1
	votes := make([]int, n*n)
	g := newRectGrid(ref, 64)
	centre := func(r image.Rectangle) image.Point { return r.Min.Add(r.Max).Div(2) }
	for _, b := range boxes {
		c := centre(b)
		g.each(b.Inset(-reach), func(i int) {
			d := centre(ref[i]).Sub(c)
			if d.X >= -reach && d.X <= reach && d.Y >= -reach && d.Y <= reach {
				votes[(d.Y+reach)/bin*n+(d.X+reach)/bin]++
			}
		})
	}
	best, bi := 0, -1
	for y := 1; y < n-1; y++ {
		for x := 1; x < n-1; x++ {
			v := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					v += votes[(y+dy)*n+x+dx]
				}
			}
			if v > best {
				best, bi = v, y*n+x
			}
		}
	}
	if bi < 0 {
		return image.Point{}, false
	}
	return image.Pt(bi%n*bin-reach, bi/n*bin-reach), true
}

// overlapShare is the share of boxes overlapping some box of ref by
// minIoU or more.
func overlapShare(boxes, ref []image.Rectangle, minIoU float64) float64 {
	if len(boxes) == 0 {
		return 0
	}
	g := newRectGrid(ref, 64)
	n := 0
	for _, b := range boxes {
		hit := false
		g.each(b, func(i int) { hit = hit || IoU(b, ref[i]) >= minIoU })
		if hit {
			n++
		}
	}
	return float64(n) / float64(len(boxes))
}

func clone(b []image.Rectangle) []image.Rectangle { return append([]image.Rectangle(nil), b...) }

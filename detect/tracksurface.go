package detect

import (
	"image"
	"slices"
)

// A new surface. A sticky card is swapped for another now and then, and
// the camera has no way to say so: the old card's tracks, remembered
// CardMaxAge frames, would take the new card's specks lying where the old
// one had something for specimens already counted. A card taken again is
// mostly the same boxes in the same places, whatever the light; another
// card is not. So, with NewSurfaceShare set, the tracker compares each
// frame's boxes with those of the last frame it took for the same surface
// (the reference). When fewer than NewSurfaceShare of them overlap a
// reference box by MinIoU, as they are or moved as the card may have
// moved (a card swinging on its hanger, a camera knocked: shifted up to
// surfaceReach walks, turned up to 3 degrees; trackmotion.go), on two
// decided frames in a row, and the second frame's boxes overlap the
// first's by that share (the new surface seen twice, steady), it takes
// the camera for looking at a new surface: the tracks begun on or before
// the reference frame are dropped, and a box of the second frame that
// continued one of them is new (a speck that happened to lie where the
// old card had one); the tracks begun since, counted when they were, go
// on. A frame taken for the same surface moved moves the tracks with it,
// so its specks are not counted again. A frame with fewer than
// NewSurfaceMin boxes (a dark one, a fresh card) decides nothing: a fresh
// card's first catches are counted as they come (those landing where the
// old card had something continue its tracks until the card is told, and
// are counted then), and it is told once it holds NewSurfaceMin specks.
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
// was taken for a new one on 15 of the 18 cards, and from 1.7 mm on all,
// every speck counted again; so the rule first looks for the card's
// motion (trackmotion.go), and moves the tracks with it. Counted new over
// three frames of the 18 retakes moved, against 932 not moved: shifted
// 0.6-4.5 mm 936, turned 0.5-3 degrees about the middle 934-939 (the
// tracker's 2 mm walk alone: 1 176-10 633 and 1 318-9 590). With the
// motion, a card followed by another reaches 0.14 (the far card below, 5
// of its 36 boxes; 0.06 for cards of 100 boxes or more). Fed two takes
// of one card and seven of another (as taken, taken again, darker, lit
// unevenly, vignetted, turned, with burned-in text), the tracker told the
// new card on its second take in all 306 pairs and counted 0.98-1.01 of
// what a tracker that never saw the first card counts (0.73-1.00 without
// the rule). No card under any perturbation on two frames in a row was
// taken for a new one, but for the one card with few boxes
// (20231209_162100, photographed from farther than configured, 36 boxes):
// under a warm cast none of its 27 overlaps the first's, so a change of
// light kept for two frames there starts it anew.

// NewSurfaceShare is the share of a frame's boxes overlapping the
// reference frame's below which a card's tracker takes the frame for
// another surface (Tracker.NewSurfaceShare; ForSurface sets it on cards).
const NewSurfaceShare = 0.2

// NewSurfaceMin is the fewest boxes a frame (and the reference) must hold
// for the tracker to decide whether it shows a new surface.
const NewSurfaceMin = 20

// surfaceRef is what the tracker remembers to tell a new surface: the
// reference frame's boxes and number, and those of a frame that differed
// from it (the candidate), with the tracks begun on it as parts of
// others, not counted (candParts: matchParts).
type surfaceRef struct {
	ref, cand           []image.Rectangle
	refFrame, candFrame int
	candParts           []int
}

// Replaced reports whether the last Update took its frame for a new
// surface (NewSurfaceShare) and started counting anew.
func (t *Tracker) Replaced() bool { return t.replaced }

// newSurface is what starts a new surface: the first frame whose tracks
// may be the new surface's (the one after the reference; 0 for no new
// surface), and the candidate frame's parts.
type newSurface struct {
	first int
	parts []int
}

// old reports whether tr is a track of the old surface: begun before
// first, or on the candidate frame as a part of an old specimen.
func (ns newSurface) old(tr Track) bool {
	return tr.FirstFrame < ns.first || slices.Contains(ns.parts, tr.ID)
}

// surfaceCheck decides, before boxes are matched, whether this frame
// confirms a new surface.
func (t *Tracker) surfaceCheck(boxes []image.Rectangle) newSurface {
	s := &t.surface
	if t.NewSurfaceShare <= 0 || len(boxes) < max(1, t.NewSurfaceMin) {
		// A frame searched as a sheet (with capture.surface auto, a dark
		// frame with a few specks) decides nothing either: the card's
		// reference stays for its next frame.
		return newSurface{}
	}
	if len(s.ref) < max(1, t.NewSurfaceMin) {
		*s = surfaceRef{ref: clone(boxes), refFrame: t.frame}
		return newSurface{}
	}
	if same, d := t.sameSurface(boxes, s.ref); same {
		t.moveTracks(d)
		*s = surfaceRef{ref: clone(boxes), refFrame: t.frame}
		return newSurface{}
	}
	if s.cand == nil {
		s.cand, s.candFrame, s.candParts = clone(boxes), t.frame, nil
		return newSurface{}
	}
	if same, d := t.sameSurface(boxes, s.cand); same {
		t.moveTracks(d)
		ns := newSurface{first: s.refFrame + 1, parts: s.candParts}
		*s = surfaceRef{ref: clone(boxes), refFrame: t.frame}
		return ns
	}
	s.cand, s.candFrame, s.candParts = clone(boxes), t.frame, nil
	return newSurface{}
}

// noteCandParts remembers, on a candidate frame, the tracks out begun on it
// as parts of others (not new): on a new surface they are no part of an
// old card's specimen but specks of the new card, to be counted.
func (t *Tracker) noteCandParts(out []Track) {
	if t.surface.cand == nil || t.surface.candFrame != t.frame {
		return
	}
	for _, tr := range out {
		if !tr.New && tr.FirstFrame == t.frame {
			t.surface.candParts = append(t.surface.candParts, tr.ID)
		}
	}
}

// retireSurface leaves the old surface's tracks (newSurface.old) out of
// the walk and part matches of this frame (usedT, prev: Update's): a speck of
// the new surface continues one only where it lies on that track's last
// box (a speck of the first frame that happened to lie where the old
// card had one, its track moved to it), not one walking or broken off.
func (t *Tracker) retireSurface(ns newSurface, prev []image.Rectangle, usedT []bool) {
	for ti, tr := range t.tracks {
		if ns.old(tr) {
			usedT[ti], prev[ti] = true, image.Rectangle{}
		}
	}
}

// startSurface forgets the old surface's tracks; a box of out (this
// frame's tracks) that continued one of them is a new track.
func (t *Tracker) startSurface(ns newSurface, out []Track) {
	old := map[int]bool{}
	kept := t.tracks[:0]
	for _, tr := range t.tracks {
		if ns.old(tr) {
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

// overlapShare is the share of boxes overlapping some box of ref (bucketed
// in g) by minIoU or more.
func overlapShare(boxes, ref []image.Rectangle, g *boxGrid, minIoU float64) float64 {
	if len(boxes) == 0 {
		return 0
	}
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

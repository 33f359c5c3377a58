package detect

import (
	"image"
	"slices"
	"sort"
)

// matchParts takes the boxes still unmatched (largest first) for parts of
// specimens already tracked. The detector does not always find a moth the
// same way: whole on one frame, its wings apart on the next (a pale moth's
// markings, a wing across a fold), and none of the pieces overlaps the
// whole by MinIoU. The light sheets of ../shared/realframes taken again
// (realeval's bright and haze: the same insects a few seconds later, in
// other light) had 5 and 5 specimens counted again so, every one a piece
// lying within the box of the whole but for a pixel
// (TestRealSheetsCountedAgain).
//
// A box of which PartShare or more lies within a track's latest box (as
// it was before this frame), and that is at least partMinShare of that
// box's area, is a part of that specimen: it continues the track when no
// other box did, else it starts a track that is not new. A box holding
// PartShare or more of the boxes of tracks unmatched on this frame, which
// together cover partCover of it, is those pieces found whole again: it
// continues the largest, and the others age out. A speck far smaller than a box it lies in (a whitefly
// caught within the box of a stick across a card) and a large box over a
// few specks (an insect landing on them) are new.
func (t *Tracker) matchParts(boxes, prev []image.Rectangle, usedT, usedB []bool, out []Track) {
	order := make([]int, 0, len(boxes))
	for bi := range boxes {
		if !usedB[bi] {
			order = append(order, bi)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return area(boxes[order[i]]) > area(boxes[order[j]]) })
	for _, bi := range order {
		b := boxes[bi]
		if slices.ContainsFunc(t.forgotten, func(f image.Rectangle) bool { return IoU(f, b) >= t.MinIoU }) {
			continue // a specimen put off on the last frame: new now
		}
		within, holder := -1, -1 // the track b lies in; the largest track b holds
		var held float64
		for ti, p := range prev {
			in := area(b.Intersect(p))
			switch {
			case in == 0:
			case area(b) <= area(p) && in >= t.PartShare*area(b) && area(b) >= partMinShare*area(p):
				if within < 0 || area(p) > area(prev[within]) {
					within = ti
				}
			case area(b) > area(p) && in >= t.PartShare*area(p) && !usedT[ti]:
				held += in
				if holder < 0 || area(p) > area(prev[holder]) {
					holder = ti
				}
			}
		}
		switch {
		case within >= 0 && !usedT[within]:
			t.follow(within, bi, boxes, usedT, usedB, out)
		case within >= 0:
			tr := Track{ID: t.nextID, Box: b, Hits: 1, FirstFrame: t.frame, LastFrame: t.frame}
			t.nextID++
			t.tracks = append(t.tracks, tr)
			usedB[bi] = true
			out[bi] = tr
		case holder >= 0 && held >= partCover*area(b):
			t.follow(holder, bi, boxes, usedT, usedB, out)
		}
	}
}

// partCover and partMinShare: see matchParts. On the sheets taken again
// the pieces measure 0.04-0.18 of the whole's box and cover 0.12-0.32 of it
// (the 0.12 is vermont 108's pale geometrid, whose second piece reaches
// out of its box and which stays counted again when its pieces come first).
const (
	partCover    = 0.15
	partMinShare = 1.0 / 32
)

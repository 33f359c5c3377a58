package detect

import (
	"image"
	"math"
)

// The card's edge. Where a card meets the cloth or table around it, the
// edge itself, its shadow, a curl catching the light or a sliver of the
// surround pass for specimens. On ../shared/realframes/sticky, 531
// detections were 40 px or larger; judged by eye
// (bench/detect/sticky-large.tsv), 130 were insects and 370 not, about
// half of those the card's edge. A piece that lies along the outline (at
// least edgeShare of its pixels within edgeBandMM of it or beyond it,
// elongated at least edgeAspect:1 and edgeMinLengthMM or longer) is taken
// for the edge. That drops 138 of the 370, and 2 of the 130 (an ant whose
// fill ran into the edge, a beetle in a loose box's corner) and 1 of the
// 1529 annotated whiteflies. Without the length floor, 2 more whiteflies
// go; with a 3 mm band, 16 more of the edge and 2 more insects.
//
// A faint piece there (Contrast under edgeFaint) is the edge's shade,
// whatever its shape: where the card curls away, the shade along it is a
// band several mm wide, cut into blocky pieces. With the card's smaller
// background blocks (card.go), that drops 16 more of the judged junk
// boxes, no judged insect and 2 of the 1529 whiteflies; under 0.25 it
// would take an insect and 3.
//
// A piece of any shape whose outline lies off the card nearly all round
// (edgeOutline of its row ends next to a cell off the searchable mask) is
// not on the card: a clip, a wire, the cloth or the blur beyond the edge
// that a fill reached. Of the judged boxes that drops 6 junk (of 168
// left) and no insect: five judged insects by the edge measure 0.51-0.69,
// the others under 0.15; 0.6 would drop 13 junk, with no margin.

const (
	edgeBandMM      = 2
	edgeShare       = 0.5
	edgeAspect      = 2
	edgeMinLengthMM = 3
	edgeFaint       = 0.2
	edgeOutline     = 0.75
)

// dropCardEdge removes the pieces lying along the card's outline (see
// above); card is the w x h working mask (cardMask), f its cell size in
// frame pixels from origin.
func dropCardEdge(ps []*piece, card []bool, w, h, f int, origin image.Point, pxPerMM float64) []*piece {
	band := edgeBand(card, w, h, max(1, int(math.Round(edgeBandMM*pxPerMM/float64(f)))))
	rim := edgeBand(card, w, h, 1) // next to a cell off the card, or the frame's border
	for x := range w {
		rim[x], rim[(h-1)*w+x] = true, true
	}
	for y := range h {
		rim[y*w], rim[y*w+w-1] = true, true
	}
	kept := ps[:0]
	for _, p := range ps {
		_, _, major, minor, _ := p.m.axes()
		along := (major >= edgeAspect*minor || p.contrast() < edgeFaint) && major >= edgeMinLengthMM*pxPerMM && spanShare(p, band, f, w, origin, false) >= edgeShare
		if !along && spanShare(p, rim, f, w, origin, true) < edgeOutline {
			kept = append(kept, p)
		}
	}
	return kept
}

// edgeBand returns which working cells lie within r cells of the card's
// searchable outline or beyond it (card[i] false: cardMask's margin and
// the surround, which a piece's fill can reach into).
func edgeBand(card []bool, w, h, r int) []bool {
	off := make([]bool, len(card))
	for i, on := range card {
		off[i] = !on
	}
	return dilate(off, w, h, r)
}

// spanShare returns the fraction of p's pixels whose working cell (f x f
// frame pixels from origin) lies in mask (w cells wide): of every pixel
// of its row spans (its silhouette, holes filled), or with ends only of
// the two ends of each span (its outline).
func spanShare(p *piece, mask []bool, f, w int, origin image.Point, ends bool) float64 {
	var in, all int
	for _, s := range p.spans {
		row := (s.y - origin.Y) / f * w
		count := func(x int) {
			all++
			if mask[row+(x-origin.X)/f] {
				in++
			}
		}
		if ends { // both ends, once each even where they are one pixel
			count(s.lo)
			count(s.hi)
			continue
		}
		for x := s.lo; x <= s.hi; x++ {
			count(x)
		}
	}
	if all == 0 {
		return 0
	}
	return float64(in) / float64(all)
}

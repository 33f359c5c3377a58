package detect

import (
	"image"
	"math"
	"slices"
	"sort"
)

// piece is one full-resolution region before merging and filtering.
type piece struct {
	box      image.Rectangle // frame coordinates, without legs and antennae (bodyBox)
	full     image.Rectangle // all the piece's pixels
	m        moments
	sumRatio float64 // sum of Y/background over the pixels
	// sumDB, sumDR: sums over the pixels of the chroma offsets from the
	// background's colour at the pixel's luma, relative to the
	// background's luma (the signed parts of tint.deviation's chroma).
	sumDB, sumDR float64
	cover        float64 // coverage-weighted area (coverArea)
	spans        []span  // row extents in frame coordinates (several per row after merges)
	// cols are the column extents likewise, y holding the column's x and
	// lo, hi its top and bottom rows (none on faint pieces).
	cols  []span
	thick float64
	group int32 // component this piece was split from (0: none)
	// trimmed: on a sheet, box with limbs up to a third of the body's
	// thickness left out (refine, limbBox); the specimen's reported Box
	// when set. The rules judge box.
	trimmed image.Rectangle
	pale    bool // filled with its pale pixels (refine, on a card)
	faint   bool // seeded under the card's seed, whitefly-sized (faintseed.go): merges with nothing
	// own and parts record a merge (mergePieces): the piece as it was
	// before its first absorption, and the pieces it absorbed.
	own   *piece
	parts []*piece
}

// mergePieces joins fragments of one specimen that the background colour
// splits (a wasp's yellow bands on a yellow card): a piece at most a third
// the area of a larger one is absorbed when its box comes within gap pixels
// of the larger one's box, unless the two are apart (see mergeCompact). It
// repeats until nothing changes. A merged
// piece stays within mergeReach gaps of its largest part's box: on a card
// strewn with specks, chains of absorptions would otherwise grow across the
// card (from a crease, along every whitefly on the card). A faint piece
// (faintseed.go) neither absorbs nor is absorbed.
func mergePieces(ps []*piece, gap int) []*piece {
	const mergeReach = 5
	if gap <= 0 || len(ps) < 2 {
		return ps
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].m.n > ps[j].m.n })
	gone := make([]bool, len(ps))
	// Each piece can only absorb pieces inside its limit (a piece that
	// grew out of it is checked again): list them once
	// (a grid of the pieces' boxes finds them; a card holds a thousand
	// specks, and comparing every pair took a second a frame).
	cands := make([][]int, len(ps))
	limit := make([]image.Rectangle, len(ps))
	idx := newBoxGrid(ps, 8*gap)
	for i, p := range ps {
		limit[i] = p.box.Inset(-mergeReach * gap)
		idx.each(limit[i], func(j int) {
			if j > i && ps[j].box.In(limit[i]) {
				cands[i] = append(cands[i], j)
			}
		})
		sort.Ints(cands[i])
	}
	for changed := true; changed; {
		changed = false
		for i, big := range ps {
			if gone[i] || big.faint {
				continue
			}
			for _, j := range cands[i] {
				small := ps[j]
				if gone[j] || small.faint || 3*small.m.n > big.m.n || !big.box.Inset(-gap).Overlaps(small.box) || !small.box.In(limit[i]) || !big.reaches(small.box, gap) || apart(big, small) {
					continue
				}
				big.absorb(small)
				gone[j], changed = true, true
			}
		}
	}
	out := ps[:0]
	for i, p := range ps {
		if !gone[i] {
			out = append(out, p)
		}
	}
	return out
}

// A compact piece (at most mergeCompact times as long as wide) whose mean
// colour is more than mergeColour from a larger piece's, and which does not
// touch it, is an insect of its own, not a fragment of that one: a
// whitefly beside a fly on a card.
// Fragments that a card's colour cuts off an insect are bands, longer than
// wide (a wasp's abdomen), and keep merging. On ../shared/realframes/sticky
// this separates whiteflies that were absorbed into their neighbours: 0.85
// -> 0.90 of whiteflies hold a detection's centre.
const (
	mergeCompact = 2.5
	mergeColour  = 0.1
)

// mergeMinFill: a merged piece must cover this fraction of its box, or the
// merge is undone. Specks strewn over a used card (glue, dust, midges,
// glare) were gathered into boxes of 5-11 mm that no person would call an
// insect: on ../shared/realframes/sticky, detections of 5 mm or more fell
// from 1058 to 566 with it, and whitefly recall rose a little (0.698 ->
// 0.702). A wasp whose bands were merged fills its box at about 0.3 or
// more.
const mergeMinFill = 0.2

// apart reports whether small, near big, is an insect of its own: compact,
// of another colour, and not touching big (big's pixels do not enter
// small's box; pieces that touch are one insect whatever their colours, a
// fly's orange leg tip).
func apart(big, small *piece) bool {
	return compact(small) && colourDistance(big, small) > mergeColour && !big.reaches(small.box, 0)
}

// compact reports whether a piece is at most mergeCompact times as long as
// wide.
func compact(p *piece) bool {
	_, _, major, minor, _ := p.m.axes()
	return major <= mergeCompact*max(minor, 1)
}

// colourDistance is how far apart the mean colours of two pieces are:
// the Euclidean distance of their (luma ratio, Cb offset, Cr offset), all
// relative to the background's luma.
func colourDistance(a, b *piece) float64 {
	na, nb := max(a.m.n, 1), max(b.m.n, 1)
	dy := a.sumRatio/na - b.sumRatio/nb
	db := a.sumDB/na - b.sumDB/nb
	dr := a.sumDR/na - b.sumDR/nb
	return math.Sqrt(dy*dy + db*db + dr*dr)
}

// reaches reports whether one of p's row spans comes within gap pixels of
// box: nearness to the piece itself, not to its bounding box (a crease
// across a card has a box holding half the card).
func (p *piece) reaches(box image.Rectangle, gap int) bool {
	for _, s := range p.spans {
		if s.y >= box.Min.Y-gap && s.y < box.Max.Y+gap && s.lo-gap < box.Max.X && s.hi+gap >= box.Min.X {
			return true
		}
	}
	return false
}

// absorb merges q into p, remembering what p was made of (see unmerge).
func (p *piece) absorb(q *piece) {
	if p.own == nil {
		own := *p
		own.spans = slices.Clone(p.spans)
		own.cols = slices.Clone(p.cols)
		p.own = &own
	}
	p.parts = append(p.parts, q)
	p.box = p.box.Union(q.box)
	p.trimmed = image.Rectangle{} // a merge reports its box
	p.full = p.full.Union(q.full)
	p.m.n += q.m.n
	p.m.sx += q.m.sx
	p.m.sy += q.m.sy
	p.m.sxx += q.m.sxx
	p.m.syy += q.m.syy
	p.m.sxy += q.m.sxy
	p.sumRatio += q.sumRatio
	p.sumDB += q.sumDB
	p.sumDR += q.sumDR
	p.cover += q.cover
	p.spans = append(p.spans, q.spans...)
	p.cols = append(p.cols, q.cols...)
	p.thick = max(p.thick, q.thick)
}

// unmerge returns the pieces p was merged from (p itself when it absorbed
// nothing): a merge whose result is rejected is undone, so that a crease or
// a card's edge, rejected for its shape, does not take the whiteflies next
// to it along.
func (p *piece) unmerge() []*piece {
	if p.own == nil {
		return []*piece{p}
	}
	out := []*piece{p.own}
	for _, q := range p.parts {
		out = append(out, q.unmerge()...)
	}
	return out
}

// contrast is 1 - (mean pixel value / background) over the piece
// (Specimen.Contrast).
func (p *piece) contrast() float64 { return 1 - p.sumRatio/max(p.m.n, 1) }

// specimen measures the piece.
func (p *piece) specimen() Specimen {
	s := Specimen{Box: p.box, trimmed: p.trimmed, Extent: p.full, AreaPx: p.m.n, CoverAreaPx: p.cover, Contrast: p.contrast(), Solidity: 1, ThicknessPx: p.thick}
	if ha := hullArea(p.spans); ha > 0 {
		s.Solidity = math.Min(1, p.m.n/ha)
	}
	cx, cy, major, minor, angle := p.m.axes()
	s.CenterX, s.CenterY = cx+0.5, cy+0.5 // pixel centres
	s.LengthPx, s.WidthPx, s.Orientation = major, minor, angle
	return s
}

// coverFullQuantile is the quantile of a piece's pixel deviations taken as
// the deviation of a fully covered pixel when the piece has too few
// interior pixels (see interiorDevs).
const coverFullQuantile = 0.6

// interiorRadius: a pixel is interior when every pixel within this
// (Chebyshev) distance belongs to the specimen; blur and anti-aliasing
// reach about this far, so interior pixels are fully covered.
const interiorRadius = 2

// interiorDevs returns the deviations of the fill's interior pixels: those
// whose neighbours within interiorRadius were all reached (state 2). at and
// devs are the reached pixels' indices in the rw x rh region and their
// deviations.
func interiorDevs(state []uint8, rw, rh int, at []int32, devs []float32) []float32 {
	var out []float32
	for i, p := range at {
		x, y := int(p)%rw, int(p)/rw
		if x < interiorRadius || y < interiorRadius || x >= rw-interiorRadius || y >= rh-interiorRadius {
			continue
		}
		in := true
		for dy := -interiorRadius; dy <= interiorRadius && in; dy++ {
			row := state[(y+dy)*rw+x-interiorRadius : (y+dy)*rw+x+interiorRadius+1]
			for _, v := range row {
				if v != 2 {
					in = false
					break
				}
			}
		}
		if in {
			out = append(out, devs[i])
		}
	}
	return out
}

// coverArea estimates the area a specimen covers from the deviations of its
// pixels: each pixel counts min(1, deviation/full), full being the
// deviation of a fully covered pixel: the median over the interior pixels
// (interior, at least 9 of them), else the coverFullQuantile of devs. A
// pixel half covered by a dark leg deviates about half as much as the
// body, so it counts a half: the sum estimates the silhouette area at any
// resolution and blur, where a pixel count overstates it the more, the
// coarser the pixels.
func coverArea(devs, interior []float32) float64 {
	if len(devs) == 0 {
		return 0
	}
	q, src := 0.5, interior
	if len(interior) < 9 {
		q, src = coverFullQuantile, devs
	}
	s := append([]float32(nil), src...)
	full := selectK(s, min(len(s)-1, int(q*float64(len(s)))))
	if !(full > 0) {
		return float64(len(devs))
	}
	var a float64
	for _, d := range devs {
		a += float64(min(1, d/full))
	}
	return a
}

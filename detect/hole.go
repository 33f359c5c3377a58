package detect

import (
	"image"
	"math"
)

// Punched holes. A used card is often hung by a hole punched through it,
// and the cloth or table seen through the hole is as dark as an insect.
// The glue puckers around the hole, so the piece found there is the hole
// with a ragged, shaded ring: no disc, and isFastener misses it. Its core
// is one: the pixels at least holeCoreDark darker than the card cover at
// least holeCover of the circle of their own area around their centroid,
// and that circle is at least fastenerMinMM across. Measured on
// ../shared/realframes/sticky: the holes' cores are 4.1-5.7 mm across and
// cover 0.88-0.96 of their circle; the rule drops 9 of the judged junk
// boxes, all holes, and no judged insect (the other holes are torn, cut
// by the card's edge or joined to it). Among the judged insects whose
// core is 4 mm or more across the roundest covers 0.83 (a fly); rounder
// cores are flies and beetles of 2-3.5 mm. A round beetle 4 mm or more
// across, seen from above, would be taken for a hole.
const (
	holeCoreDark = 0.35
	holeCover    = 0.88
)

// isPunchedHole reports whether piece p's dark core (its frame pixels at
// least holeCoreDark darker than bg, the working-resolution background
// with cells f frame pixels wide) is a punched hole (see holeCover).
func isPunchedHole(img image.Image, p *piece, bg plane, f int, pxPerMM float64) bool {
	minArea := math.Pi / 4 * fastenerMinMM * fastenerMinMM * pxPerMM * pxPerMM
	if p.m.n < minArea {
		return false
	}
	b := img.Bounds()
	row := newYCC(p.full.Dx())
	var core []span
	n := 0
	for _, s := range p.spans {
		rowYCC(img, s.y, s.lo, s.hi+1, row)
		lo := -1
		for x := s.lo; x <= s.hi+1; x++ {
			dark := false
			if x <= s.hi {
				g := bg.atFrame(x, s.y, f, b.Min)
				dark = g > 0 && 1-float32(row.y[x-s.lo])/g >= holeCoreDark
			}
			switch {
			case dark && lo < 0:
				lo = x
			case !dark && lo >= 0:
				core = append(core, span{y: s.y, lo: lo, hi: x - 1})
				n += x - lo
				lo = -1
			}
		}
	}
	return float64(n) >= minArea && roundness(core) >= holeCover
}

// roundness is the part of the circle with the spans' centroid and area
// that the spans cover (1 for a disc, less for any other shape).
func roundness(spans []span) float64 {
	var n, sx, sy float64
	for _, s := range spans {
		k := float64(s.hi - s.lo + 1)
		n += k
		sx += k * (float64(s.lo+s.hi+1) / 2)
		sy += k * (float64(s.y) + 0.5)
	}
	if n == 0 {
		return 0
	}
	cx, cy := sx/n, sy/n
	r2 := n / math.Pi
	var inside float64
	for _, s := range spans {
		dy := float64(s.y) + 0.5 - cy
		if hw := r2 - dy*dy; hw > 0 {
			hw = math.Sqrt(hw)
			inside += math.Max(0, math.Min(float64(s.hi+1), cx+hw)-math.Max(float64(s.lo), cx-hw))
		}
	}
	return inside / n
}

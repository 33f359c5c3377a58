package detect

import (
	"math"
	"sort"
)

// A sticky card in a frame without colour. A monochrome camera (a night
// or infrared one) photographs a yellow card on dark cloth as a grey
// rectangle: with no colour there was no card (cardMask), the frame was
// searched as a sheet, and the cloth, darker than the card by as much as
// an insect, came out with the specimens near the card's edge as one
// frame-sized piece (a grey-level JPEG of the card 20231219_175749 of
// ../shared/realframes/sticky: 1 detection). Whether a grey frame shows a
// card or a sheet cannot be read from it (a grey card is as bright as a
// dim sheet), so this is done only when Options.Trap says the trap is a
// sticky card.
//
// The working cells are split in two by Otsu's threshold on their luma.
// The brighter class's largest 8-connected region is the card when it
// covers at least surfaceMinFraction of the frame, the darker cells
// reached from the frame's border without crossing it (the surround)
// cover at least surfaceMinSurround of it, and the surround's median luma
// is at most surfaceDarker of the card's, or at most surfaceGreyDarker of
// it with the region filling surfaceRectFill of the least rectangle round
// it (a card seen flat is a rectangle, at whatever angle): the card and
// what it encloses, less cardMargin cells along its outline, are
// searched. Otherwise (a close-up card filling the frame; a surround as
// bright as the card's shade, where the split runs through the cloth or
// the card) the whole frame is the card. On the 18 cards in grey levels:
// the 7 on black cloth (their surround reads 0.10-0.18 of the card) and
// the 2 on grey plastic (0.43-0.45) are found so, and 2 on grey cloth
// (0.61-0.67) whose region fills 0.88 of its rectangle; the other 5 on grey
// cloth (0.59-0.66, filling 0.40-0.79), one on brown cloth (0.69, 0.70) and
// the close-up card's shaded half (0.70, 0.60) are searched whole, cloth
// and all (at a fill of 0.75, the card on brown cloth was searched in part
// and lost 6 of its 14 whiteflies found). On such a card a whitefly is brighter than the
// card (tint.bright, brightCells), and no veil is read (haze.go reads it
// on a card's least colour channel, here its luma).
const (
	surfaceMinFraction = 0.4
	surfaceMinSurround = 0.1
	surfaceDarker      = 0.5
	surfaceGreyDarker  = 0.75
	surfaceRectFill    = 0.8
)

// colourlessChroma: a frame is Colourless when all but a thousandth of its
// working cells are within this chromaticity (|(Cb, Cr)| over luma) of
// grey. A monochrome camera's frame reads 0 there (the 18 cards in grey
// levels, as JPEG); the thousandth most coloured cell of the light sheets,
// white as they are, reads 0.11 or more (insects, a lamp's tint), of the
// cards 0.63 or more.
const colourlessChroma = 0.02

// colourless reports whether the working cells py, pcb, pcr hold no colour
// (see colourlessChroma).
func colourless(py, pcb, pcr plane) bool {
	allowed := len(py.v) / 1000
	for i, y := range py.v {
		b, r := pcb.v[i]-128, pcr.v[i]-128
		if b*b+r*r > colourlessChroma*colourlessChroma*max(y, 8)*max(y, 8) {
			if allowed--; allowed < 0 {
				return false
			}
		}
	}
	return true
}

// greyCard returns the working cells of a sticky card in a frame of luma
// py without colour (see above): a bright surface's, or every cell.
func greyCard(py plane) []bool {
	if on := surfaceMask(py); on != nil {
		return on
	}
	all := make([]bool, len(py.v))
	for i := range all {
		all[i] = true
	}
	return all
}

// surfaceMask returns the working cells on a bright surface with a dark
// surround (see above), or nil.
func surfaceMask(py plane) []bool {
	var hist [256]int
	for _, v := range py.v {
		hist[clampByte(v)]++
	}
	t := float32(otsuLevel(&hist))
	w, h := py.w, py.h
	bright := make([]bool, w*h)
	for i, v := range py.v {
		bright[i] = v > t
	}
	comp, sizes := label8(bright, w, h)
	best := int32(0)
	for l := 1; l < len(sizes); l++ {
		if best == 0 || sizes[l] > sizes[best] {
			best = int32(l)
		}
	}
	if best == 0 || float64(sizes[best]) < surfaceMinFraction*float64(w*h) {
		return nil
	}
	on := enclosedBy(comp, best, w, h, bright)
	var surf, out []float32
	for i, l := range comp {
		switch {
		case l == best:
			surf = append(surf, py.v[i])
		case !on[i] && py.v[i] <= t:
			out = append(out, py.v[i])
		}
	}
	if float64(len(out)) < surfaceMinSurround*float64(w*h) {
		return nil
	}
	ratio := selectK(out, len(out)/2) / selectK(surf, len(surf)/2)
	if ratio <= surfaceDarker || ratio <= surfaceGreyDarker && rectFill(on, w, h) >= surfaceRectFill {
		return on
	}
	return nil
}

// rectFill returns the share of the least-area rectangle enclosing the
// cells on (w x h) that they fill (1 for a rectangle at any angle).
func rectFill(on []bool, w, h int) float64 {
	type pt struct{ x, y float64 }
	var ps []pt
	n := 0
	for i, v := range on {
		if !v {
			continue
		}
		n++
		x, y := i%w, i/w
		if x == 0 || y == 0 || x == w-1 || y == h-1 || !on[i-1] || !on[i+1] || !on[i-w] || !on[i+w] {
			ps = append(ps, pt{float64(x), float64(y)}) // the outline's cells hold the hull
		}
	}
	if n == 0 {
		return 0
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].x < ps[j].x || ps[i].x == ps[j].x && ps[i].y < ps[j].y })
	cross := func(o, a, b pt) float64 { return (a.x-o.x)*(b.y-o.y) - (a.y-o.y)*(b.x-o.x) }
	var hull []pt // Andrew's monotone chain, closed (first point again at the end)
	for _, p := range ps {
		for len(hull) >= 2 && cross(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	for i, lower := len(ps)-2, len(hull)+1; i >= 0; i-- {
		for len(hull) >= lower && cross(hull[len(hull)-2], hull[len(hull)-1], ps[i]) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, ps[i])
	}
	least := math.Inf(1) // the least rectangle has a side along a hull edge
	for i := 0; i+1 < len(hull); i++ {
		dx, dy := hull[i+1].x-hull[i].x, hull[i+1].y-hull[i].y
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		ux, uy := dx/l, dy/l
		a0, a1, b0, b1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, p := range hull {
			a, b := p.x*ux+p.y*uy, p.y*ux-p.x*uy
			a0, a1, b0, b1 = min(a0, a), max(a1, a), min(b0, b), max(b1, b)
		}
		least = min(least, (a1-a0+1)*(b1-b0+1))
	}
	if math.IsInf(least, 1) {
		return 1 // a single cell
	}
	return float64(n) / least
}

// brightCells returns the cells of a card found by brightness (card, w x
// h) where a pixel brighter than the background deviates (tint.bright):
// those at least a block from the card's outline. Nearer, the background
// mixes the surround's darker blocks in, and the card's own edge reads
// brighter than it.
func brightCells(card []bool, w, h, block int) []bool {
	off := make([]bool, len(card))
	for i, on := range card {
		off[i] = !on
	}
	near := dilate(off, w, h, block)
	for i := range near {
		near[i] = !near[i]
	}
	return near
}

// otsuLevel returns the level that best divides the histogram's counts in
// two classes (Otsu's between-class variance): <= and > it.
func otsuLevel(hist *[256]int) int {
	var n, total float64
	for v, c := range hist {
		n += float64(c)
		total += float64(v * c)
	}
	best, level := -1.0, 0
	var wa, sa float64
	for v := 0; v < 255; v++ {
		wa += float64(hist[v])
		sa += float64(v * hist[v])
		wb := n - wa
		if wa == 0 || wb == 0 {
			continue
		}
		d := sa/wa - (total-sa)/wb
		if b := wa * wb * d * d; b > best {
			best, level = b, v
		}
	}
	return level
}

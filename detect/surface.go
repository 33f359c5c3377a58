package detect

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
// is at most surfaceDarker of the card's: the card and what it encloses,
// less cardMargin cells along its outline, are searched. Otherwise (a
// close-up card filling the frame; a grey surround as bright as the card's
// shade) the whole frame is the card. On the 18 cards in grey levels,
// the 7 on black cloth (their surround reads 0.10-0.18 of the card) and
// the 2 on grey plastic (0.43-0.45) are found so; the 7 on grey cloth read
// 0.59-0.67, one on brown cloth 0.69 and the close-up card (its shaded
// half) 0.70, and are searched whole, cloth and all; the light sheets'
// darker borders read 0.70-0.84. On such a card a whitefly is brighter
// than the card (tint.bright, brightCells), and no veil is read (haze.go
// reads it on a card's least colour channel, here its luma).
const (
	surfaceMinFraction = 0.4
	surfaceMinSurround = 0.1
	surfaceDarker      = 0.5
)

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
	if float64(len(out)) < surfaceMinSurround*float64(w*h) || selectK(out, len(out)/2) > surfaceDarker*selectK(surf, len(surf)/2) {
		return nil
	}
	return on
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

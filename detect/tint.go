package detect

import "math"

// tint is the background's colour for the deviation measure: its
// chromaticity ((Cb-128)/Y, (Cr-128)/Y) per working cell, and the weights
// of the chroma differences.
type tint struct {
	// kb, kr hold the chromaticity per cell; nil planes (a flatTint) mean
	// fb, fr everywhere.
	kb, kr plane
	fb, fr float32
	// gb, gr weight the Cb and Cr differences. On a sheet both are 1. On
	// a card both are cardChromaWeight.
	gb, gr float32
	// bright: at the working cells it marks (nil: none), a pixel brighter
	// than the background deviates by how much (a card found by
	// brightness, greyCard: a whitefly on it differs by its brightness
	// alone).
	bright []bool
}

// cardChromaWeight weighs chroma differences on a card. A whitefly on a
// yellow card changes the blue channel by 60-90 levels and luma by about
// 10 (../shared/realframes/sticky), and Cb carries only half of a blue
// change: weighing it 1.4 raises whitefly recall there from 0.76 to 0.85
// (a detection centred in the annotated box). The full (B-Y, R-Y) weights
// (1.772, 1.402) find a few more (0.88) but also grow dark insects into
// the colour that JPEG smears around them: 1.34 times the area of the
// training rows' silhouettes on synth's cards (TestDetectFinderMatchesTraining
// in agent), against 1.14 at 1.4.
const cardChromaWeight = 1.4

// greyBrightWeight weighs a pixel's brightness over the background on a
// card found by its brightness (tint.bright). A whitefly changes a yellow
// card's blue by 60-90 levels and its luma by about 10: in grey levels it
// is left with the luma, about a fifth of what the chroma term reads in
// colour. On the 18 cards in grey levels, weighing it 1, 1.5, 2, 3, 4 gave
// whitefly recall 0.276, 0.358, 0.409, 0.473, 0.523 (judged insects 135,
// 141, 144, 151, 150; judged junk 73, 73, 75, 89, 94): twice, before the
// glare it also brightens comes out.
const greyBrightWeight = 2

// flatTint is one chromaticity for the whole frame, unweighted.
func flatTint(kb, kr float32) tint { return tint{fb: kb, fr: kr, gb: 1, gr: 1} }

// at returns the chromaticity at cell i.
func (t tint) at(i int) (kb, kr float32) {
	if t.kb.v == nil {
		return t.fb, t.fr
	}
	return t.kb.v[i], t.kr.v[i]
}

// cardTint is a card's local chromaticity: the median over the card's
// cells of each block x block block (blocks mostly off the card take their
// neighbours'), smoothed over 3x3 blocks and interpolated between block
// centres. A card's colour drifts across a phone photo (glare, shade, a
// second card) by as much as a whitefly differs from it (0.05-0.1 of
// chromaticity on ../shared/realframes/sticky). Blocks that small can be
// mostly covered by one insect, so the medians leave out the cells whose
// chroma is an object's against a first estimate over blocks twice as
// large (objectLevel, and objectGuard cells around them).
func cardTint(py, pcb, pcr plane, on []bool, block int) tint {
	coarse := blockTint(py, pcb, pcr, on, 2*block)
	obj := make([]bool, len(on))
	inRows(py.h, func(y0, y1 int) {
		for i := y0 * py.w; i < y1*py.w; i++ {
			if v := py.v[i]; on[i] && v >= 8 {
				obj[i] = coarse.chroma(i, v, pcb.v[i], pcr.v[i])/v > objectLevel
			}
		}
	})
	obj = dilate(obj, py.w, py.h, objectGuard)
	bare := make([]bool, len(on))
	for i := range on {
		bare[i] = on[i] && !obj[i]
	}
	return blockTint(py, pcb, pcr, bare, block)
}

// blockTint is cardTint's estimate from the cells on (see cardTint).
func blockTint(py, pcb, pcr plane, on []bool, block int) tint {
	w, h := py.w, py.h
	gw, gh := (w+block-1)/block, (h+block-1)/block
	lb, lr := make([]float32, gw*gh), make([]float32, gw*gh)
	known := make([]bool, gw*gh)
	inBlocks(gh, func(gy0, gy1 int) {
		var bs, rs []float32
		for gy := gy0; gy < gy1; gy++ {
			for gx := range gw {
				bs, rs = bs[:0], rs[:0]
				n := 0
				// Every other cell of every other row: a block's median
				// needs no more (a quarter of the time on a 4K card).
				for y := gy * block; y < min((gy+1)*block, h); y += 2 {
					for x := gx * block; x < min((gx+1)*block, w); x += 2 {
						n++
						if i := y*w + x; on[i] && py.v[i] >= 8 {
							bs, rs = append(bs, (pcb.v[i]-128)/py.v[i]), append(rs, (pcr.v[i]-128)/py.v[i])
						}
					}
				}
				if float64(len(bs)) < minSheetFraction*float64(n) {
					continue
				}
				g := gy*gw + gx
				lb[g], lr[g], known[g] = selectK(bs, len(bs)/2), selectK(rs, len(rs)/2), true
			}
		}
	})
	fillUnknown(known, gw, gh, lb, lr)
	lb = filterGrid(lb, gw, gh, 1, meanOf)
	lr = filterGrid(lr, gw, gh, 1, meanOf)
	return tint{kb: upsampleGrid(lb, gw, gh, block, w, h), kr: upsampleGrid(lr, gw, gh, block, w, h), gb: cardChromaWeight, gr: cardChromaWeight}
}

// unweighted is t with gb = gr = 1.
func (t tint) unweighted() tint {
	t.gb, t.gr = 1, 1
	return t
}

// deviation is how much a pixel (y, cb, cr) at working cell i differs from
// a background of luma bgY and the tint's chromaticity there: the larger of
// its darkness 1 - y/bgY and its weighted chroma distance, relative to bgY,
// from a background-coloured surface of its own luma (so shadows and
// uneven light count only as darkness, while a whitish wing on a yellow
// card counts).
func (t tint) deviation(i int, y, cb, cr, bgY float32) float32 {
	if bgY <= 1 {
		return 0
	}
	d := max(1-y/bgY, t.chroma(i, y, cb, cr)/bgY)
	if t.bright != nil && t.bright[i] {
		d = max(d, greyBrightWeight*(y/bgY-1))
	}
	return d
}

// chroma is the weighted distance of a pixel's (Cb, Cr) at working cell i
// from a background-coloured surface of its own luma y: deviation's chroma
// term before it is made relative to a luma.
func (t tint) chroma(i int, y, cb, cr float32) float32 {
	db, dr := t.offsets(i, y, cb, cr)
	db, dr = db*t.gb, dr*t.gr
	return sqrt32(db*db + dr*dr)
}

// offsets are a pixel's (Cb, Cr) offsets at working cell i from a
// background-coloured surface of its own luma y (unweighted).
func (t tint) offsets(i int, y, cb, cr float32) (db, dr float32) {
	kb, kr := t.at(i)
	return cb - 128 - kb*y, cr - 128 - kr*y
}

func sqrt32(v float32) float32 { return float32(math.Sqrt(float64(v))) }

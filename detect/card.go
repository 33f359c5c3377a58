package detect

import "math"

// Sticky cards. A phone photo of a yellow (or blue) sticky card usually
// shows the cloth or table around it, and that surround differs from the
// card as much as an insect does: left in, it merges with every specimen
// near the card's edge into one frame-sized blob (measured on
// ../shared/realframes/sticky: 1 detection for 1529 whiteflies). When the
// frame's background is a saturated colour, detection is limited to the
// card: the largest 8-connected region of card-coloured working cells,
// with everything it encloses (the insects on it), less a margin along
// its outline.

const (
	// cardChroma: background chromaticity magnitude (|(Cb-128, Cr-128)|/Y)
	// above which the background is taken to be a coloured card. White
	// and grey sheets measure under 0.05; yellow cards about 0.4.
	cardChroma = 0.15
	// cardMinColour: the saturated cells' median chromaticity must be
	// at least this far from grey for them to be a card. A light sheet
	// under a coloured lamp or a camera's white balance is tinted as a
	// whole: a purple or warm cast of 0.15-0.2 passed cardChroma, and the
	// sheet was searched as a card (on ../shared/realframes' sheets with
	// such a cast, precision 0.52 or 0.81 instead of 0.94). The real
	// cards' median measures 0.31-0.59 (all yellow; the DSLR photos'
	// grass and stones 0.22-0.23, now searched as sheets). A blue card
	// of the same saturation passes (TestTintedSheetNotCard).
	cardMinColour = 0.25
	// cardStrongColour: the least median of the cells cardMinColour or
	// more from grey, for them to be a card when the saturated cells'
	// median falls short of cardMinColour (cardColour).
	cardStrongColour = 0.4
	// cardHueCos, cardMinSaturation and cardMaxSaturation: a cell is
	// card-coloured when its chromaticity's hue is within 20 degrees of
	// the card's (cos 0.94) and its magnitude 0.5-2 times the card's.
	// Shade on a card is more saturated (chroma over luma): the shaded
	// right half of 20231130_165304 measures 1.6 times the card's median.
	// Card-coloured meant within 0.5 of the magnitude of the median
	// (at most 1.5 times it), and that half was left off the card
	// wherever it met the surround: placed in a frame twice as large,
	// the thin strip of card between them mixed with the surround in the
	// coarse cells, and 23 of the 35 judged insects lost there were on
	// that card (whitefly recall of the 18 cards so placed 0.791 -> 0.802,
	// judged insects 144 -> 167 of 179, junk 106 -> 113 of 464). The
	// cards as taken: whitefly recall 0.802 -> 0.803 (centred 0.952 ->
	// 0.953), judged insects 176 of 179 as before, judged junk 127 -> 129
	// (2 boxes gone, 4 new: an edge, a speck, glare, judged and added to
	// the 464). Within 30 degrees a small fly beside a green grass blade
	// across 20231219_175817 was lost.
	cardHueCos        = 0.94
	cardMinSaturation = 0.5
	cardMaxSaturation = 2
	// cardMargin is the margin, in working cells, left out along the
	// card's outline (the edge itself and its shadow).
	cardMargin = 2
	// cardMinFraction is the least part of the frame a card covers.
	cardMinFraction = 0.15
	// cardMinMM2: with Options.Trap auto, a card-coloured region smaller
	// than this at the configured scale (the insects it encloses
	// included, the margin along its outline left out) is no card but an
	// insect seen close up. A brown or orange moth filling a sixth or more
	// of the frame (a crop of a light sheet's moth, a photo of one
	// insect) is as saturated as a card: in 20 of 137 crops of the real
	// sheets' insects (a quarter of the insect's size around it; 37 at a
	// tenth) it was taken for one and nothing was found. Those regions
	// measure 13-1 014 mm^2; the 18 cards of ../shared/realframes/sticky
	// 11 800-45 000 mm^2 (the far one, a quarter of its frame, the least),
	// the tests' drawn and synthetic cards (synth's photo cards: 1024 x
	// 576 px at 12 px/mm) 2 400-3 600 (thirty-fifth session). A sticky
	// card is 100 x 250 mm or so; a moth of 60 mm or more across seen
	// close up still passes for one. Trap sticky trusts the
	// configuration: a card is searched as one however little of it is in
	// view (TestCloseUpInsectNotCard). See also cardCloseUpShare.
	cardMinMM2 = 1500
	// cardCloseUpShare: a region under cardMinMM2 that covers this share
	// of the frame or more, or is lighter than what lies around it, is a
	// card after all: a piece of one photographed close. The 18 cards cut
	// into windows of 256 and 384 px (32 and 48 mm at 8 px/mm) hold a
	// region under cardMinMM2 in all 383 and 28 of 248 windows (the card's
	// edge across the window); searched as sheets their whitefly recall
	// fell from 0.833 and 0.820 to 0.263 and 0.663. With the share 0.792
	// and 0.768 (46 and 28 windows still sheets), with the surround too
	// 0.833 and 0.816 (1 and 4: glare or a pale edge around a little card).
	// The moths' regions cover 0.12-0.20 of their crops and are 29 or more
	// luma levels darker than the sheet around them; every crop of them is
	// found as with the size test alone (closeUpInsect).
	cardCloseUpShare = 0.5
	// cardSeedFraction: on a card a component of at most cardSmallCells
	// working cells is kept when some cell exceeds this fraction of
	// Options.StrongThreshold (a whitefly, white on yellow, deviates
	// about 0.2-0.3); larger ones need the whole threshold.
	cardSeedFraction = 2.0 / 3
	cardSmallCells   = 200
	// cardBlockFraction scales the background's blocks on a card (in
	// frame pixels, against a sheet's). A phone photo of a card is lit
	// unevenly: shade from the hand or a curl, glare, a second card, in
	// patches a few mm across. Blocks of 1/32 of the frame (64 px on a
	// 2048x1536 card) smoothed over 3x3 blocks do not follow them, so
	// shade reads as deviation: it raises the local noise level that
	// hides faint whiteflies, and passes for large faint specimens. With
	// half the blocks, on ../shared/realframes/sticky whitefly recall
	// rises from 0.721 to 0.760 (centred 0.902 to 0.939); of the
	// detections of 40 px or more judged by eye
	// (bench/detect/sticky-large.tsv), 168 of the 172 insects are
	// reported (161 before) and 188 of the 430 junk boxes (211). Sheets
	// keep their blocks: a moth there can be 40 mm across. Quarter-size
	// blocks kept 119 of the first 130 judged insects (128 at full size).
	// A large moth on a card covers several of these blocks; cardTint
	// keeps the card's colour under it the card's.
	cardBlockFraction = 0.5
	// cardMaxBlockMM caps those blocks in mm: as a fraction of the frame
	// they grow with the frame's size, not the card's scale. The same
	// cards placed in a frame twice as large (4096x3072, a dark surround,
	// still 8 px/mm) got 64 px (8 mm) blocks and whitefly recall fell
	// from 0.802 to 0.755 (centred 0.952 to 0.907); capped at 4 mm 0.791
	// (0.931), and of the judged larger insects 144 of 179 reported, not
	// 140, and of the judged junk 106, not 123. In a frame 1.25 times as
	// large, 0.793 -> 0.805. The blocks of the cards as taken are 4 mm
	// already. Set in mm outright (4 mm, larger than half a sheet's on a
	// small frame), TestDetectWaspOnYellowCard's wasp at 10 px/mm was lost
	// and synth's cards at 10 px/mm gave 9 false positives of 40 px or
	// more instead of 6; fixed at 32 px, a 16 mm moth on
	// TestRulerScale's dim card was.
	cardMaxBlockMM = 4
	// paleLevel, paleBlue, paleMeanBlue and paleMaxMM: a whitefly on a
	// phone photo of a card is a pale oval 6-12 px long, its translucent
	// wings bluer than the card (whiter, on yellow) but deviating only
	// 0.5-0.8 of the fill's threshold, often round a darker spot. The plain
	// fill took the spot and a few wing pixels: a box round the spot, or
	// a piece 1 px thick, rejected as a fibre (of the 1529 whiteflies on
	// ../shared/realframes/sticky, 90 had no detection centred in their
	// box, most of them for this). On a card a small component's fill
	// therefore also takes the pixels above paleLevel of the threshold
	// that are bluer than the card by paleBlue of its luma, and keeps
	// that piece when it is whitish on the whole (a mean blue offset of
	// paleMeanBlue or more: whiteflies' pieces measure a median 0.13,
	// other small pieces 0.01) and at most paleMaxMM long; else the plain
	// fill stands (a dark speck, a larger insect beside glare). paleLevel
	// is the lowest at which synth's whiteflies, whose silhouettes are
	// known, keep boxes within a pixel of them (sides p10 -1, median 0,
	// p90 +1 px beyond, as with the plain fill; at 0.5, p90 +2). A pale
	// fill reaches round the components beside it, so a piece most of
	// whose pixels an earlier one took is dropped (refiner.mostlyReached:
	// else two parts of one whitefly were each reported as all of it,
	// pairs of boxes overlapping by IoU 0.3 or more 120 -> 374). On
	// ../shared/realframes/sticky: whitefly recall 0.759 -> 0.802 (centred
	// 0.941 -> 0.952), the boxes 3.6 -> 3.2 times smaller than the
	// annotations' in side; other detections under 40 px 10582 -> 11240.
	paleLevel    = 0.6
	paleBlue     = 0.04
	paleMeanBlue = 0.05
	paleMaxMM    = 3
)

// cardMask finds a coloured card: when at least cardMinFraction of the
// frame's cells are saturated (chromaticity magnitude >= cardChroma; the
// card need not fill the frame: a card held against grey plastic), the
// cells of about their median chromaticity's hue and saturation
// (cardHueCos, cardMinSaturation, cardMaxSaturation) are card-coloured,
// and the mask says which working cells lie on the card. (Deviations are
// then measured against the card's local colour: cardTint.) It returns
// nil when there is no card (a white or grey light sheet: everything is
// searched).
func cardMask(py, pcb, pcr plane) (on []bool) {
	kb, kr, ok := cardColour(py, pcb, pcr)
	if !ok {
		return nil
	}
	mag := float32(math.Hypot(float64(kb), float64(kr)))
	w, h := py.w, py.h
	col := make([]bool, w*h)
	for i, y := range py.v {
		if y < 8 {
			continue
		}
		b, r := (pcb.v[i]-128)/y, (pcr.v[i]-128)/y
		m := sqrt32(b*b + r*r)
		col[i] = m >= cardMinSaturation*mag && m <= cardMaxSaturation*mag && b*kb+r*kr >= cardHueCos*m*mag
	}
	// Largest card-coloured component.
	comp, sizes := label8(col, w, h)
	best := int32(0)
	for l, n := range sizes {
		if n > sizes[best] {
			best = int32(l)
		}
	}
	if float64(sizes[best]) < cardMinFraction*float64(w*h) {
		return nil // saturated, but in pieces (grass, a green moth): no card
	}
	return enclosedBy(comp, best, w, h, col)
}

// closeUpInsect reports whether the card on (working cells of f x f frame
// pixels, their luma py) is an insect seen close up: under cardMinMM2 at
// ppm pixels per mm, under cardCloseUpShare of the frame, and darker than
// the cells around it at the median (an insect rests on a light sheet; a
// piece of card photographed close shows the cloth or table under it,
// darker on every real card).
func closeUpInsect(py plane, on []bool, f int, ppm float64) bool {
	n := 0
	for _, v := range on {
		if v {
			n++
		}
	}
	if float64(n*f*f)/(ppm*ppm) >= cardMinMM2 || float64(n) >= cardCloseUpShare*float64(len(on)) || n == 0 {
		return false // a card's size (every real card), or most of the frame
	}
	var in, out [256]int
	for i, v := range on {
		if v {
			in[clampByte(py.v[i])]++
		} else {
			out[clampByte(py.v[i])]++
		}
	}
	return percentile(out, 0.5) > percentile(in, 0.5)
}

// enclosedBy returns the working cells on the region labelled best of comp
// (w x h) or enclosed by it, less a margin of cardMargin cells along its
// outline: everything but the cells reachable from the frame's border
// without crossing it. scratch (w*h, any contents) is reused.
func enclosedBy(comp []int32, best int32, w, h int, scratch []bool) []bool {
	// Outside: cells not on the region reachable from the frame border
	// without crossing it (the components of the rest that reach the
	// border). Everything else is on or enclosed by the region.
	rest := scratch
	for i, l := range comp {
		rest[i] = l != best
	}
	parts, sizes := label8(rest, w, h)
	border := make([]bool, len(sizes)) // by label: reaches the border
	for x := range w {
		border[parts[x]], border[parts[(h-1)*w+x]] = true, true
	}
	for y := range h {
		border[parts[y*w]], border[parts[y*w+w-1]] = true, true
	}
	out := make([]bool, w*h)
	for i, l := range parts {
		out[i] = l != 0 && border[l]
	}
	// Leave out a margin along the outline.
	near := dilate(out, w, h, cardMargin)
	on := make([]bool, w*h)
	for i := range on {
		on[i] = !near[i]
	}
	return on
}

// cardColour returns the median chromaticity of the frame's saturated
// cells, and whether they cover cardMinFraction of it with a median at
// least cardMinColour from grey. It counts them
// first: a sheet (nearly every frame of a light trap) has few and
// allocates nothing.
//
// A grey surround under a cast is saturated too: on the card
// 20231209_162100 of ../shared/realframes/sticky (a quarter of the frame,
// on grey cloth) under a cool white balance (RGB x 0.9, 0.95, 1.15) or a
// UV lamp's purple, the cloth's cells (0.15-0.2 from grey) outnumbered
// the card's, their median fell short of cardMinColour, and the card was
// searched as a sheet. So when the median falls short, it is taken again
// over the cells at least cardMinColour from grey alone, when those still
// cover cardMinFraction of the frame (a tinted sheet's cells do not), and
// it is a card's when at least cardStrongColour from grey: that card's
// reads 0.54-0.55 so, the DSLR photos' grass 0.30-0.32 (a card as taken
// there measures 0.58).
func cardColour(py, pcb, pcr plane) (kb, kr float32, ok bool) {
	if kb, kr, ok = medianChroma(py, pcb, pcr, cardChroma); ok && kb*kb+kr*kr >= cardMinColour*cardMinColour {
		return kb, kr, true
	}
	if !ok {
		return kb, kr, false
	}
	kb, kr, ok = medianChroma(py, pcb, pcr, cardMinColour)
	return kb, kr, ok && kb*kb+kr*kr >= cardStrongColour*cardStrongColour
}

// medianChroma returns the median chromaticity of the cells at least least
// from grey, and whether they cover cardMinFraction of the frame.
func medianChroma(py, pcb, pcr plane, least float32) (kb, kr float32, ok bool) {
	saturated := func(i int) (b, r float32, ok bool) {
		y := py.v[i]
		if y < 8 {
			return 0, 0, false
		}
		b, r = (pcb.v[i]-128)/y, (pcr.v[i]-128)/y
		return b, r, b*b+r*r >= least*least
	}
	n := 0
	for i := range py.v {
		if _, _, ok := saturated(i); ok {
			n++
		}
	}
	if float64(n) < cardMinFraction*float64(len(py.v)) {
		return 0, 0, false
	}
	bs, rs := make([]float32, 0, n), make([]float32, 0, n)
	for i := range py.v {
		if b, r, ok := saturated(i); ok {
			bs, rs = append(bs, b), append(rs, r)
		}
	}
	return selectK(bs, len(bs)/2), selectK(rs, len(rs)/2), true
}

// flood8 visits the 8-connected region of a w x h grid holding start
// (which the caller has marked): take reports, and marks, each neighbour
// that joins the region. It returns the region's size and stack (scratch
// space, for reuse).
func flood8(start, w, h int, stack []int, take func(q int) bool) (int, []int) {
	stack = append(stack[:0], start)
	n := 0
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n++
		x, y := k%w, k/w
		x0, x1 := max(x-1, 0), min(x+1, w-1)
		for ny := max(y-1, 0); ny <= min(y+1, h-1); ny++ {
			for q := ny*w + x0; q <= ny*w+x1; q++ {
				if q != k && take(q) {
					stack = append(stack, q)
				}
			}
		}
	}
	return n, stack
}

// neighbours8 returns the indices of the 8 neighbours of cell k of a w x h
// grid, -1 for those outside it.
func neighbours8(k, w, h int) [8]int {
	x, y := k%w, k/w
	var n [8]int
	j := 0
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			if dx == 0 && dy == 0 {
				continue
			}
			nx, ny := x+dx, y+dy
			n[j] = -1
			if nx >= 0 && ny >= 0 && nx < w && ny < h {
				n[j] = ny*w + nx
			}
			j++
		}
	}
	return n
}

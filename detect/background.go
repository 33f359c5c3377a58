package detect

import "math"

// closedKeep: a background block darker than closedKeep times its grey
// closing is taken to be covered by a specimen and replaced by the closing.
const closedKeep = 0.9

// closeRadius is the closing's radius in blocks (a 5 x 5 window).
//
// Within closeRadius of the frame's border the window is cut off, and a
// band of darker blocks along the border, closeRadius deep, is closed as
// if it were a specimen: nothing beyond the border is darker still. That
// is how a card photographed close looks, filling the frame with the
// shade of its curled edge along the border (where the card's edge is in
// view, the cloth beyond is darker and the band is kept). The band was
// given the card's brightness, read as one large piece and dropped, and
// the whiteflies on it with it: the 18 cards of ../shared/realframes
// cropped to their whiteflies gave whitefly recall 0.789 (centred 0.929)
// against 0.806 (0.951) for the same cards re-encoded whole. A block of
// the card there is now replaced only when it is also darker than its
// closing along the border (borderClosings): a specimen cut by the border
// is a dip along it, a shade band is not. The crops: 0.797 (0.936). The
// cards as taken: 5 boxes of 20231130_165304 move by a few pixels.
//
// Blocks off the card close as before. Taking the cloth along a card's
// border for a band too darkened the card's background beside it: 3
// judged insects by the border were lost under the dark, purple, lamp and
// larger changes of the perturbation table, and on 20231219_175553 the
// debris on the card's shaded edge above a strip of cloth came out in 7
// more boxes (judged in bench/detect/sticky-large.tsv); with the cloth
// as before, the crops gained 0.011 instead of 0.008. Measuring the
// card's background on the card's cells only (the cloth's blocks filled
// from the card's) lost 3 judged insects and 0.006 of whitefly recall on
// the cards as taken.
//
// On cards only. A sheet fills the frame by design and is lit by the
// trap's lamp (its fall-off is the trend's), while a large moth cut by
// its border is common: vermont's luna moth in a corner spans 6 blocks
// along each border, and with the test on sheets it came apart in grey
// levels and turned a quarter (one more false positive each; along-border
// radii of 4-8 blocks kept it whole there but split it as taken).
const closeRadius = 2

// estimateBackground returns a smooth estimate of the bright background
// (sheet or card) under p: the 90th luma percentile of each block x block
// cell, with cells much darker than a grey closing over 5x5 cells (taken
// relative to the light's trend) replaced by the closing (so dark objects
// up to about 4 cells across do not darken it), a 3x3 mean, and bilinear
// interpolation back to p's size between cell centres. On a card (card,
// its working cells, not nil), a band of the card along the frame's
// border is not closed (see closeRadius), and the card's cells read no
// surround brighter than the card (surroundNoBrighter).
func estimateBackground(p plane, block int, card []bool) plane {
	gw := (p.w + block - 1) / block
	gh := (p.h + block - 1) / block
	grid := make([]float32, gw*gh)
	var onGrid []float32 // a card's: the 90th percentile of its own cells
	var onKnown []bool
	if card != nil {
		onGrid, onKnown = make([]float32, gw*gh), make([]bool, gw*gh)
	}
	inBlocks(gh, func(gy0, gy1 int) {
		var hist, onHist [256]int
		for gy := gy0; gy < gy1; gy++ {
			for gx := range gw {
				clear(hist[:])
				clear(onHist[:])
				n, on := 0, 0
				for y := gy * block; y < min((gy+1)*block, p.h); y++ {
					row := y*p.w + gx*block
					for k, v := range p.v[row : y*p.w+min((gx+1)*block, p.w)] {
						b := clampByte(v)
						hist[b]++
						n++
						if card != nil && card[row+k] {
							onHist[b]++
							on++
						}
					}
				}
				g := gy*gw + gx
				grid[g] = percentile90(&hist, n)
				if on >= minOnCard {
					onGrid[g], onKnown[g] = percentile90(&onHist, on), true
				}
			}
		}
	})
	if card == nil {
		return upsampleGrid(smoothBackground(grid, gw, gh, nil), gw, gh, block, p.w, p.h)
	}
	// A card's cells take the readings lowered to the card's brightness;
	// the cells off it (a ruler or a label reaching the card's outline,
	// the surround) keep their own, as other stages read them there.
	on := blocksOn(card, p.w, p.h, block)
	low, lowered := surroundNoBrighter(grid, onGrid, onKnown, gw, gh)
	out := upsampleGrid(smoothBackground(low, gw, gh, on), gw, gh, block, p.w, p.h)
	if !lowered {
		return out // no surround brighter than the card: one background
	}
	off := upsampleGrid(smoothBackground(grid, gw, gh, on), gw, gh, block, p.w, p.h)
	near := dilate(card, p.w, p.h, cardMargin+1) // the card and the margin left out along it
	inRows(p.h, func(y0, y1 int) {
		for i := y0 * p.w; i < y1*p.w; i++ {
			if !near[i] {
				out.v[i] = off.v[i]
			}
		}
	})
	return out
}

// smoothBackground returns the block readings grid with the blocks a
// specimen covers replaced by a grey closing, taken relative to the
// light's trend, and a 3 x 3 mean. On a card (on: its blocks, not nil),
// a band of the card along the frame's border is not closed (see
// closeRadius).
func smoothBackground(grid []float32, gw, gh int, on []bool) []float32 {
	grid = append([]float32(nil), grid...)
	// The closing works on the blocks relative to the light's trend
	// (lightTrend): where the light falls off steeply towards the frame's
	// corners (vignetting) or away from a lamp, a bare block is far darker
	// than the brightest within two blocks of it, and taken as it is it
	// was replaced by them. It still only replaces blocks clearly darker
	// than their closing: blocks mostly covered by a specimen.
	trend := lightTrend(grid, gw, gh)
	rel := make([]float32, len(grid))
	for i, v := range grid {
		rel[i] = v / trend[i]
	}
	closed := filterGrid(filterGrid(rel, gw, gh, closeRadius, maxOf), gw, gh, closeRadius, minOf)
	along := closed // a sheet: no further test at the border
	if on != nil {
		along = borderClosings(rel, on, gw, gh, closeRadius)
	}
	for i, v := range rel {
		if v < closedKeep*closed[i] && v < closedKeep*along[i] {
			grid[i] = closed[i] * trend[i]
		}
	}
	return filterGrid(grid, gw, gh, 1, meanOf)
}

// minOnCard is the fewest card cells a block needs for its own reading of
// the card's brightness (surroundNoBrighter).
const minOnCard = 8

// percentile90 returns the 90th percentile of the n values counted in hist.
func percentile90(hist *[256]int, n int) float32 {
	rank := n - n/10
	c := 0
	for i, k := range hist {
		if c += k; c >= rank {
			return float32(i)
		}
	}
	return 0
}

// surroundNoBrighter returns a card frame's block readings (grid, the 90th
// percentile of all of a block's cells), and whether any changed, lowered
// to the card's own
// brightness where the surround is brighter than the card: to the block's
// card cells' 90th percentile (onGrid, where onKnown), and on blocks with
// too few card cells to that filled in from the nearest card blocks.
// estimateBackground gives them to the card's cells and the margin left
// out along its outline; the cells further off keep their own.
//
// The cards of ../shared/realframes lie on dark cloth, mostly darker than
// any card cell. A card on a white table or against a pale wall is another
// matter: a block across its edge read the white, the smoothing and the
// interpolation carried it a block further in, and the card's edge read as
// darker than its background, a band taken for one large piece along the
// edge and dropped with the whiteflies on it. The 18 cards with their
// cloth made grey or white (about 150, 205 and 240, its texture kept):
// whitefly recall 0.790, 0.765 and 0.750 (174, 164 and 153 of the 179
// judged insects) before, 0.804, 0.806 and 0.804 (174, 174, 172) with the
// lowered readings; the cards as taken 0.803 -> 0.802, judged junk 125 ->
// 122 (bench/REPORT.md). Giving the lowered readings to every cell, the
// surround's too, did as well on the cards but made 3 more false positives
// on TestDetectSynthGroundTruth's cards.
func surroundNoBrighter(grid, onGrid []float32, onKnown []bool, gw, gh int) (low []float32, lowered bool) {
	low = append([]float32(nil), onGrid...)
	known := append([]bool(nil), onKnown...)
	fillUnknown(known, gw, gh, low)
	for i, v := range grid {
		lowered = lowered || low[i] < v
		low[i] = min(v, low[i])
	}
	return low, lowered
}

// chromaticity returns the background's chroma per unit luma,
// ((Cb-128)/Y, (Cr-128)/Y): the median over working pixels at least 85% as
// bright as their background estimate. Chromaticity barely changes with the
// light's intensity, so one value serves the whole frame.
func chromaticity(py, pcb, pcr, bg plane) (kb, kr float32) {
	const bins = 1024
	var hb, hr [bins]int
	n := 0
	bin := func(v float32) int { return min(bins-1, max(0, int((v+1)/2*bins))) }
	for i, y := range py.v {
		if y < 0.85*bg.v[i] || y < 8 {
			continue
		}
		hb[bin((pcb.v[i]-128)/y)]++
		hr[bin((pcr.v[i]-128)/y)]++
		n++
	}
	if n == 0 {
		return 0, 0
	}
	median := func(h *[bins]int) float32 {
		c := 0
		for i, v := range h {
			if c += v; 2*c >= n {
				return (float32(i)+0.5)/bins*2 - 1
			}
		}
		return 0
	}
	return median(&hb), median(&hr)
}

// borderClosings returns, for each block of the card (on) within r of the
// grid's border, its grey closing (radius r) along that border only: along
// its row near the top or bottom, along its column near the left or right,
// the smaller of the two in a corner. Blocks off the card are taken as
// bright there (they are not the card's shade: the cloth beyond a card's
// edge, a strip of it along the border, closes as before). Blocks further
// in and off the card get +Inf (no test). A block near the border is taken
// as covered by a specimen only when it is also darker than this closing
// (see estimateBackground).
func borderClosings(rel []float32, on []bool, w, h, r int) []float32 {
	inf := float32(math.Inf(1))
	out := make([]float32, len(rel))
	for i := range out {
		out[i] = inf
	}
	line := make([]float32, max(w, h))
	take := func(n int, at func(k int) int) {
		for k := range n {
			line[k] = rel[at(k)]
			if !on[at(k)] {
				line[k] = inf
			}
		}
		cl := closing1D(line[:n], r)
		for k := range n {
			if i := at(k); on[i] {
				out[i] = min(out[i], cl[k])
			}
		}
	}
	for y := range h {
		if y < r || y >= h-r {
			take(w, func(k int) int { return y*w + k })
		}
	}
	for x := range w {
		if x < r || x >= w-r {
			take(h, func(k int) int { return k*w + x })
		}
	}
	return out
}

// blocksOn says which block x block blocks of a w x h mask have at least
// half their cells on.
func blocksOn(mask []bool, w, h, block int) []bool {
	gw, gh := (w+block-1)/block, (h+block-1)/block
	on := make([]bool, gw*gh)
	for gy := range gh {
		for gx := range gw {
			n, in := 0, 0
			for y := gy * block; y < min((gy+1)*block, h); y++ {
				for _, c := range mask[y*w+gx*block : y*w+min((gx+1)*block, w)] {
					n++
					if c {
						in++
					}
				}
			}
			on[gy*gw+gx] = 2*in >= n
		}
	}
	return on
}

// closing1D is the grey closing of v over windows of radius r (clipped at
// its ends): the minimum over each window of the windows' maxima.
func closing1D(v []float32, r int) []float32 {
	n := len(v)
	mx, cl := make([]float32, n), make([]float32, n)
	for k := range n {
		mx[k] = maxOf(v[max(0, k-r):min(n, k+r+1)])
	}
	for k := range n {
		cl[k] = minOf(mx[max(0, k-r):min(n, k+r+1)])
	}
	return cl
}

package detect

import (
	"fmt"
	"image"
	"math"
	"sort"
)

// Analyze runs in four stages: work planes (the frame reduced, its
// background, and the card when there is one), foreground (each working
// cell's deviation above the bare surface's level), pieces (components
// seeded, split and refilled at full resolution) and specimens (pieces
// merged or gathered, measured, and filtered for what is no insect).

// Analyze is Detect plus the frame's scale bars and scale (see Frame).
func Analyze(img image.Image, opts Options) (fr Frame, err error) {
	defer func() {
		if r := recover(); r != nil {
			fr, err = Frame{}, fmt.Errorf("detect: reading frame pixels: %v", r)
		}
	}()
	o, err := opts.withDefaults()
	if err != nil {
		return Frame{}, err
	}
	if img == nil {
		return Frame{}, fmt.Errorf("detect: nil image")
	}
	b := img.Bounds()
	if b.Dx() < minFrameSide || b.Dy() < minFrameSide {
		return Frame{}, fmt.Errorf("detect: frame %dx%d is smaller than %dx%d", b.Dx(), b.Dy(), minFrameSide, minFrameSide)
	}
	wp, err := workPlanes(img, o)
	if err != nil {
		return Frame{}, err
	}
	if !wp.sheet.Empty() {
		return analyzeSheetPart(img, opts, wp.sheet) // a sheet in its dark surround (surround.go)
	}
	if wp.up*wp.down > 1 {
		return analyzeResampled(img, opts, wp.up, wp.down) // a card at another scale (cardscale.go)
	}
	if wp.haze > 0 {
		return analyzeDehazed(img, opts, wp.haze) // a veiled card (haze.go)
	}
	if wp.noise > 0 {
		return analyzeDenoised(img, opts, wp.noise) // a noisy card (denoise.go)
	}
	// Each plane is as large as the working frame (3 M cells on a card):
	// the ones no later stage reads are let go between the stages, or the
	// peak memory of ../shared/realframes's cards grows by about 90 MB.
	fg := wp.foreground(o)
	wp.pcb, wp.pcr = plane{}, plane{}
	if wp.card != nil {
		wp.py, fg.excess = plane{}, plane{} // read only by a sheet's faint pass
	}
	pieces, refs := wp.pieces(img, o, &fg)
	// A card farther than configured (cardfar.go) is searched again at its
	// whiteflies' scale, unless a scale bar or ruler in view gives one.
	if _, source := refs.scale(o); wp.card != nil && !o.farther && !o.resampled && source == "" {
		if ppm := fartherScale(pieces, o.PixelsPerMM); ppm > 0 {
			return analyzeFarther(img, opts, ppm) // a card farther than configured (cardfar.go)
		}
	}
	wp.tint, fg.level = tint{}, plane{}
	if wp.card != nil {
		fg.scale = plane{}
	}
	out := wp.specimens(img, o, fg, pieces, refs)
	fr = Frame{Checkerboards: refs.boards, Rulers: refs.rulers, SolidBars: refs.bars, PixelsPerMM: o.PixelsPerMM, ScaleSource: "config", Surface: SurfaceSheet}
	fr.Colourless = wp.colourless
	switch {
	case wp.grey:
		fr.Surface = SurfaceGreyCard
	case wp.card != nil:
		fr.Surface = SurfaceCard
	}
	if wp.card != nil && o.Verifier != nil {
		out, fr.Rejected, fr.VerifyErrors = verify(img, out, o)
	}
	fr.Specimens = out
	if ppm, source := refs.scale(o); source != "" {
		fr.PixelsPerMM, fr.ScaleSource = ppm, source
	}
	if fr.ScaleSource != "config" {
		k := o.PixelsPerMM / fr.PixelsPerMM
		for i := range out {
			out[i].AreaMM2 *= k * k
			out[i].LengthMM *= k
			out[i].WidthMM *= k
		}
	}
	return fr, nil
}

// work holds a frame reduced to working cells: f x f frame pixels each,
// the background estimated in block x block cells.
type work struct {
	f, block     int
	w, h         int   // the working frame's size in cells
	py, pcb, pcr plane // luma and chroma per cell
	bg           plane // the background's luma
	kb, kr       float32
	card         []bool // the cells on a coloured card (nil: a sheet, all searched)
	off          []bool // on a sheet, the cells of its dark surround (surround.go; nil: none)
	grey         bool   // card was found by its brightness (greyCard), not its colour
	colourless   bool   // the frame has no colour (Frame.Colourless)
	tint         tint   // the background's colour for the deviation
	bounds       image.Rectangle
	// sheet not empty: the box of a sheet within its dark surround, to
	// be searched instead (surround.go); the other fields are unset.
	sheet image.Rectangle
	// up or down > 1: a card at another scale, to be searched on the
	// frame enlarged or reduced by it instead (cardscale.go); the other
	// fields are unset.
	up, down float64
	// haze > 0: a veiled card, to be searched on a copy with that black
	// level taken off (haze.go); the other fields are unset.
	haze float32
	// noise > 0: a noisy card, to be searched smoothed (denoise.go); the
	// other fields are unset.
	noise float32
}

// sheetBlockMM: on a sheet the background's blocks are at least this wide
// at the configured scale. Options.BackgroundBlock is set in working
// pixels, and a working pixel is a share of the frame: on a 4K sheet at 10
// px/mm a block is 12.8 mm (at half the resolution and 5 px/mm, or 1.5
// times and 15 px/mm, too), but on a frame of a few hundred pixels (a photo
// of one insect, a frame cropped by whoever sent it) the working pixel is
// the frame's and a block 3.2 mm: a moth filling such a frame spans many
// blocks, its wings leak into the background (dark objects up to about 4
// blocks across do not), and it was missed or found in pieces. Crops of
// the 137 light-sheet insects of 60 px or more, with a tenth / a quarter /
// half / the whole of their size around them: found 121 / 124 / 125 / 123
// -> 129 / 131 / 132 / 129, other detections of 40 px or more 38 / 36 / 44
// / 144 -> 21 / 23 / 26 / 33 (thirty-fifth session). At 12.8 mm the crops
// gained about as much, but a sheet taken from farther than its configured
// scale says (half the resolution, 10 px/mm kept: blocks of 6.4 mm)
// changed, precision 0.913 -> 0.898; at 6.4 mm no real frame's blocks
// change, as taken or under any perturbation. Cells were left as they are:
// with cells of 0.4 mm or more instead the crops did as well (132 found at
// every margin), but a frame from farther lost recall 0.954 -> 0.869.
const sheetBlockMM = 6.4

// workPlanes reduces img to working cells, finds a card and estimates
// the background.
func workPlanes(img image.Image, o Options) (*work, error) {
	b := img.Bounds()
	wp := &work{f: max(1, (max(b.Dx(), b.Dy())+o.WorkSize-1)/o.WorkSize), block: o.BackgroundBlock, bounds: b}
	var err error
	if wp.py, wp.pcb, wp.pcr, err = downscaleYCC(img, wp.f); err != nil {
		return nil, fmt.Errorf("detect: %w", err)
	}
	resample := func() *work { // a card at another scale (cardscale.go)
		if o.resampled {
			return nil
		}
		if up, down := cardResample(o.PixelsPerMM, b.Size()); up*down > 1 {
			return &work{up: up, down: down}
		}
		return nil
	}
	wp.colourless = colourless(wp.py, wp.pcb, wp.pcr)
	if o.Trap != TrapSheet {
		wp.card = cardMask(wp.py, wp.pcb, wp.pcr)
		if o.Trap == TrapAuto && wp.card != nil && closeUpInsect(wp.py, wp.card, wp.f, o.PixelsPerMM) {
			wp.card = nil // an insect close up (cardMinMM2)
		}
	}
	if wp.card != nil {
		if rw := resample(); rw != nil {
			return rw, nil
		}
	}
	if wp.card == nil && o.Trap != TrapSticky { // a sheet (sheetBlockMM)
		if bm := int(math.Round(sheetBlockMM * o.PixelsPerMM / float64(wp.f))); bm > wp.block {
			wp.block = bm
		}
		if wp.off = sheetSurround(wp.py, wp.f, o.PixelsPerMM); wp.off != nil && !o.onSheet && canCut(img) {
			if box := sheetBox(wp.off, wp.py.w, wp.py.h, wp.f, b); box != b && box.Dx() >= minFrameSide && box.Dy() >= minFrameSide {
				return &work{sheet: box}, nil
			}
		}
	}
	if !o.dehazed {
		if a := veil(wp.py, wp.pcb, wp.pcr, wp.card, o.Trap != TrapSticky); a > 0 {
			return &work{haze: a}, nil
		}
	}
	// No card by its colour on a sticky trap (a monochrome camera): the
	// card found by its brightness (surface.go), after the veil, which
	// needs colour to be read.
	if wp.card == nil && o.Trap == TrapSticky {
		wp.card, wp.grey = greyCard(wp.py), true
		if rw := resample(); rw != nil {
			return rw, nil
		}
	}
	if wp.card != nil {
		// Insects on sticky cards are small (whiteflies: 10-20 px): work
		// at twice the resolution, at half the factor rounded up, so the
		// working image's longest side stays at most 2 WorkSize (at a
		// factor of 1 a 3072 px card took 2 s and 339 MB, against 0.8 s
		// and 161 MB). The background's blocks are smaller in frame pixels
		// than a sheet's (cardBlockFraction), and at most cardMaxBlockMM,
		// and a shade band along the frame's border is left to be
		// background (closeRadius).
		// An odd factor does not halve: a fine cell reads the coarse cell
		// holding its centre, not the one at half its index (which shrank
		// the card towards the top left and left the rest of it
		// unsearched).
		coarse, cw, fc := wp.card, wp.py.w, wp.f
		if fc > 1 {
			wp.f = (fc + 1) / 2
			wp.block = int(float64(wp.block*fc/wp.f) * cardBlockFraction)
		}
		wp.block = max(minBlock, min(wp.block, int(math.Round(cardMaxBlockMM*o.PixelsPerMM/float64(wp.f)))))
		if wp.f != fc { // the cells again, finer, and the card on them
			if wp.py, wp.pcb, wp.pcr, err = downscaleYCC(img, wp.f); err != nil {
				return nil, fmt.Errorf("detect: %w", err)
			}
			w, h, ff := wp.py.w, wp.py.h, wp.f
			wp.card = make([]bool, w*h)
			ch := len(coarse) / cw
			for y := range h {
				cy := min((y*ff+ff/2)/fc, ch-1)
				for x := range w {
					wp.card[y*w+x] = coarse[cy*cw+min((x*ff+ff/2)/fc, cw-1)]
				}
			}
		}
	}
	if wp.card != nil && !o.denoised {
		if s := cardNoise(wp.py, wp.card); s >= noisyMin {
			return &work{noise: s}, nil
		}
	}
	// The background once, on the cells searched (a card's, at its
	// resolution and blocks).
	wp.bg = estimateBackground(wp.py, wp.block, wp.card)
	wp.kb, wp.kr = chromaticity(wp.py, wp.pcb, wp.pcr, wp.bg)
	wp.w, wp.h = wp.py.w, wp.py.h
	wp.tint = flatTint(wp.kb, wp.kr)
	if wp.card != nil {
		wp.tint = cardTint(wp.py, wp.pcb, wp.pcr, wp.card, wp.block) // the card's own colour, cell by cell
		if wp.grey {
			wp.tint.bright = brightCells(wp.card, wp.w, wp.h, wp.block)
		}
	}
	return wp, nil
}

// pieces labels the foreground's components, sets checkerboards aside,
// splits touching specimens, and refills at full resolution each
// component that has a seed and a plausible size. It lets fg's component
// planes go once the components are split (fg.mask, fg.dark and fg.norm
// are nil after it): the refill is the stage that needs memory.
func (wp *work) pieces(img image.Image, o Options, fg *fgCells) ([]*piece, scaleRefs) {
	w, h, f := wp.w, wp.h, wp.f
	labels, comps := labelComponents(fg.mask, fg.dark, w, h)
	last := int32(len(comps))
	comps, refs := dropScaleBars(img, labels, fg.dark, w, comps, f, o, &last)
	var notch notchSize // cards: no cut at notches (notch.go)
	if wp.card == nil {
		notch = notchCells(o.PixelsPerMM, f)
		// A pale insect's pieces joined along its outline (outlined.go).
		minCells := int(math.Ceil(outlineMinMM2 * o.PixelsPerMM * o.PixelsPerMM / float64(f*f)))
		comps = joinOutlines(labels, comps, fg.norm, fg.dark, w, h, minCells, float32(o.StrongThreshold), &last)
	}
	comps = splitComponents(labels, comps, fg.norm, fg.dark, w, last, wp.card == nil, notch)
	r := refiner{img: img, f: f, labels: labels, w: w, h: h, bg: wp.bg, tint: wp.tint, plain: wp.tint.unweighted(), weak: float32(o.GrowThreshold), claimed: make([]bool, w*h),
		level: fg.level, scale: fg.scale, sigmas: float32(o.NoiseSigmas),
		reach: max(1, int(math.Ceil(o.ReachMM*o.PixelsPerMM/float64(f)))), thin: int32(max(1, math.Round(thinLimbMM*o.PixelsPerMM)))}
	if notch.max > 0 {
		// Insects joined by a leg, parted at full resolution (limbs.go);
		// each part is tried again.
		next := last
		for _, c := range comps {
			next = max(next, c.label)
		}
		for k := 0; k < len(comps); k++ {
			if parts := r.splitAtLimbs(labels, comps[k], fg.dark, notch, &next); len(parts) >= 2 {
				comps = replaceByParts(comps, k, parts)
				k--
			}
		}
	}
	fg.mask, fg.dark, fg.norm = nil, nil, nil
	// Largest first, so fragments of a specimen that the full-resolution
	// fill already covered are recognised and skipped.
	sort.Slice(comps, func(i, j int) bool { return comps[i].n > comps[j].n })

	px2mm2 := 1 / (o.PixelsPerMM * o.PixelsPerMM)
	cellArea := float64(f * f)
	if wp.card != nil {
		r.bridge = r.thin
		r.paleMax = int(math.Round(paleMaxMM * o.PixelsPerMM))
	}
	var cands []component
	var faint []bool // seeded on a card only as a whitefly-sized piece (faintseed.go)
	for _, c := range comps {
		seed := o.StrongThreshold
		small := wp.card != nil && c.n <= cardSmallCells
		if small {
			seed *= cardSeedFraction
		}
		workMM2 := float64(c.n) * cellArea * px2mm2
		// A large component on a sheet seeded only a little below the seed,
		// clear of the frame's border, may be a pale insect drawn by its
		// outline (outlined.go).
		pale := wp.card == nil && c.inside(w, h) && workMM2 >= outlineMinMM2 && float64(c.maxDark) >= outlineSeed*seed
		if float64(c.maxDark) < seed && !small && !pale {
			continue // no seed: faint smudge, shadow or printed grid
		}
		if workMM2 < o.MinAreaMM2/8 || (o.MaxAreaMM2 > 0 && workMM2 > 4*o.MaxAreaMM2) {
			continue // clearly out of range, even as a fragment
		}
		cands = append(cands, c)
		faint = append(faint, float64(c.maxDark) < seed)
	}
	var pieces []*piece
	rfs := r.refineAll(cands)
	for _, second := range []bool{false, true} { // the faint ones after every seeded one
		for i, rf := range rfs {
			c := cands[i]
			if faint[i] != second || r.mostlyClaimed(c) || (rf.ok && rf.p.pale && r.mostlyReached(rf.cells)) {
				continue // a fragment of a specimen already found
			}
			if rf.ok && (!faint[i] || (wp.card != nil && faintWhitefly(rf.p, o.PixelsPerMM)) || (wp.card == nil && outlined(img, rf.p.box))) {
				for _, k := range rf.cells {
					r.claimed[k] = true
				}
				rf.p.group, rf.p.faint = c.group, faint[i]
				pieces = append(pieces, rf.p)
			}
		}
	}
	return pieces, refs
}

package detect

import (
	"fmt"
	"image"
	"math"
	"sort"
)

const (
	// minFrameSide is the smallest frame side Detect accepts.
	minFrameSide = 16
	// minThicknessPx is the least thickness, in frame pixels, of a
	// specimen: 1-2 pixel lines are fibres or hairs.
	minThicknessPx = 3
	// minEdgeThicknessPx: at the frame's border, where a camera burns in
	// its timestamp (strokes about 3 px wide), a specimen must be thicker.
	minEdgeThicknessPx = 4
	// minBoardPx: components shorter than this (frame pixels) are not
	// looked at as checkerboards.
	minBoardPx = 60
	// thinLimbMM: parts of a specimen thinner than about twice this
	// (legs, antennae) do not count towards its box.
	thinLimbMM = 0.25
)

// Detect finds specimens on img (any image.Image; *image.RGBA, *image.NRGBA,
// *image.YCbCr and *image.Gray are fast paths) and returns them sorted by
// position (top to bottom, then left to right). An image smaller than 16x16,
// bad options or an image.Image whose pixels cannot be read (one that
// panics) give an error, never a panic. Detect keeps no state and is safe
// for concurrent use; it spreads the frame reduction over GOMAXPROCS
// goroutines. Analyze also reports scale bars and the frame's scale.
func Detect(img image.Image, opts Options) ([]Specimen, error) {
	f, err := Analyze(img, opts)
	return f.Specimens, err
}

// Frame is what Analyze finds on one frame.
type Frame struct {
	// Specimens as Detect returns them. Their mm fields use PixelsPerMM.
	Specimens []Specimen
	// Checkerboards are the checkerboard scale bars seen (never reported
	// as specimens).
	Checkerboards []Checkerboard
	// PixelsPerMM is the scale the mm fields use: measured from the first
	// checkerboard when Options.ScaleSquareMM is set and one is in view,
	// else Options.PixelsPerMM.
	PixelsPerMM float64
	// ScaleSource says where PixelsPerMM came from: "checkerboard" or
	// "config".
	ScaleSource string
}

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
	f := max(1, (max(b.Dx(), b.Dy())+o.WorkSize-1)/o.WorkSize)
	block := o.BackgroundBlock
	py, pcb, pcr, bg, kb, kr, err := reduce(img, f, block)
	if err != nil {
		return Frame{}, err
	}
	card := cardMask(py, pcb, pcr)
	if card != nil && f > 1 {
		// Insects on sticky cards are small (whiteflies: 10-20 px): work
		// at twice the resolution. The background's blocks are smaller in
		// frame pixels than a sheet's (cardBlockFraction).
		coarse, cw := card, py.w
		f, block = f/2, max(minBlock, int(float64(block*f/(f/2))*cardBlockFraction))
		if py, pcb, pcr, bg, kb, kr, err = reduce(img, f, block); err != nil {
			return Frame{}, err
		}
		card = make([]bool, py.w*py.h)
		ch := len(coarse) / cw
		for y := range py.h {
			for x := range py.w {
				card[y*py.w+x] = coarse[min(y/2, ch-1)*cw+min(x/2, cw-1)]
			}
		}
	}
	w, h := py.w, py.h
	tn := flatTint(kb, kr)
	if card != nil {
		tn = cardTint(py, pcb, pcr, card, block) // the card's own colour, cell by cell
	}
	raw := newPlane(w, h)
	for i, v := range py.v {
		raw.v[i] = tn.deviation(i, v, pcb.v[i], pcr.v[i], bg.v[i])
	}
	for i, on := range card { // off the card (nil: a sheet, all on)
		if !on {
			raw.v[i] = 0
		}
	}
	// On a card, specimens are small (whiteflies: 4-12 px at a phone
	// photo's resolution) and the surface is smooth: the blur, which
	// would flatten them, only adds (the larger of raw and blurred), and
	// small components are seeded at cardSeedFraction of StrongThreshold.
	smooth := boxBlur3(raw)
	if card != nil {
		for i, v := range raw.v {
			smooth.v[i] = max(smooth.v[i], v)
		}
	}
	level, scale := sheetStats(smooth, block)
	// A cell is foreground when its smoothed deviation exceeds the bare
	// sheet's local level by WeakThreshold and by NoiseSigmas local
	// sigmas; dark holds the excess rescaled so that StrongThreshold
	// means "StrongThreshold and 2*NoiseSigmas sigmas above the level".
	mask := make([]uint8, w*h)
	dark := make([]float32, w*h)
	norm := make([]float32, w*h)
	ks := float32(o.NoiseSigmas)
	excess := smooth // from here on, the deviation above the sheet's level
	for i, v := range smooth.v {
		e := v - level.v[i]
		excess.v[i] = e
		thr := max(float32(o.WeakThreshold), ks*scale.v[i])
		if e > thr {
			mask[i] = 1
		}
		norm[i] = e / thr
		// dark is rescaled so that o.StrongThreshold is the seed test.
		dark[i] = e * float32(o.StrongThreshold) / max(float32(o.StrongThreshold), 2*ks*scale.v[i])
	}
	labels, comps := labelComponents(mask, dark, w, h)
	var boards []Checkerboard
	comps, boards = dropCheckerboards(img, comps, f)
	comps = splitComponents(labels, comps, norm, dark, w)
	// Largest first, so fragments of a specimen that the full-resolution
	// fill already covered are recognised and skipped.
	sort.Slice(comps, func(i, j int) bool { return comps[i].n > comps[j].n })

	px2mm2 := 1 / (o.PixelsPerMM * o.PixelsPerMM)
	cellArea := float64(f * f)
	r := refiner{img: img, f: f, labels: labels, w: w, h: h, bg: bg, tint: tn, plain: tn.unweighted(), weak: float32(o.GrowThreshold), claimed: make([]bool, w*h),
		level: level, scale: scale, sigmas: float32(o.NoiseSigmas),
		reach: max(1, int(math.Ceil(o.ReachMM*o.PixelsPerMM/float64(f)))), thin: int32(max(1, math.Round(thinLimbMM*o.PixelsPerMM)))}
	if card != nil {
		r.bridge = r.thin
	}
	var cands []component
	for _, c := range comps {
		seed := o.StrongThreshold
		if card != nil && c.n <= cardSmallCells {
			seed *= cardSeedFraction
		}
		if float64(c.maxDark) < seed {
			continue // no seed: faint smudge, shadow or printed grid
		}
		workMM2 := float64(c.n) * cellArea * px2mm2
		if workMM2 < o.MinAreaMM2/8 || (o.MaxAreaMM2 > 0 && workMM2 > 4*o.MaxAreaMM2) {
			continue // clearly out of range, even as a fragment
		}
		cands = append(cands, c)
	}
	var pieces []*piece
	for i, rf := range r.refineAll(cands) {
		c := cands[i]
		if r.mostlyClaimed(c) {
			continue // a fragment of a specimen already found
		}
		if rf.ok {
			for _, k := range rf.cells {
				r.claimed[k] = true
			}
			rf.p.group = c.group
			pieces = append(pieces, rf.p)
		}
	}
	if card != nil {
		// Only a coloured card splits one insect into pieces (its yellow
		// bands); on a sheet, nearby pieces are nearby insects.
		pieces = mergePieces(pieces, int(math.Ceil(o.MergeGapMM*o.PixelsPerMM)))
		pieces = dropCardEdge(pieces, card, w, h, f, b.Min, o.PixelsPerMM)
	} else {
		taken := pieces
		for _, cb := range boards {
			taken = append(taken, &piece{box: cb.Box})
		}
		pieces = absorbFragments(faintPieces(excess, scale, py, bg, f, ks, b, o.PixelsPerMM, taken), pieces)
	}
	keep := func(p *piece) (Specimen, bool) {
		if card != nil && isPunchedHole(img, p, bg, f, o.PixelsPerMM) {
			return Specimen{}, false
		}
		return o.measure(p, b)
	}
	var out []Specimen
	for _, p := range pieces {
		if s, ok := keep(p); ok {
			out = append(out, s)
			continue
		}
		if p.own != nil {
			for _, q := range p.unmerge() {
				if s, ok := keep(q); ok {
					out = append(out, s)
				}
			}
		}
	}
	if card != nil {
		out = dropGlare(out, o.PixelsPerMM)
	}
	out = dropTextLines(out)
	if card == nil {
		// On a sheet, a piece mostly inside a much larger specimen's box
		// is part of it (a wing's pattern, a dark vein along its edge) cut
		// off by the threshold: on ../shared/realframes, 2 of the 15 false
		// positives, and the last frames whose count was 10 % off. (On a
		// card, whiteflies do sit inside a larger insect's box.)
		out = dropNested(out)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Box.Min.Y != out[j].Box.Min.Y {
			return out[i].Box.Min.Y < out[j].Box.Min.Y
		}
		return out[i].Box.Min.X < out[j].Box.Min.X
	})
	fr = Frame{Specimens: out, Checkerboards: boards, PixelsPerMM: o.PixelsPerMM, ScaleSource: "config"}
	if len(boards) > 0 && o.ScaleSquareMM > 0 {
		fr.PixelsPerMM, fr.ScaleSource = boards[0].SquarePx/o.ScaleSquareMM, "checkerboard"
		k := o.PixelsPerMM / fr.PixelsPerMM
		for i := range out {
			out[i].AreaMM2 *= k * k
			out[i].LengthMM *= k
			out[i].WidthMM *= k
		}
	}
	return fr, nil
}

// dropCheckerboards removes the components that hold a checkerboard scale
// bar (before splitting: a bar must be seen whole) and returns them.
func dropCheckerboards(img image.Image, comps []component, f int) ([]component, []Checkerboard) {
	b := img.Bounds()
	var boards []Checkerboard
	out := comps[:0]
	for _, c := range comps {
		if max(c.x1-c.x0, c.y1-c.y0)*f >= minBoardPx {
			box := image.Rect(b.Min.X+c.x0*f, b.Min.Y+c.y0*f, b.Min.X+c.x1*f, b.Min.Y+c.y1*f).Intersect(b)
			if cb, ok := findCheckerboard(img, box); ok {
				boards = append(boards, cb)
				continue
			}
		}
		out = append(out, c)
	}
	return out, boards
}

// reduce box-averages img by f and estimates its background (block x
// block working cells) and the background's chromaticity.
func reduce(img image.Image, f, block int) (py, pcb, pcr, bg plane, kb, kr float32, err error) {
	py, pcb, pcr, err = downscaleYCC(img, f)
	if err != nil {
		return py, pcb, pcr, bg, 0, 0, fmt.Errorf("detect: %w", err)
	}
	bg = estimateBackground(py, block)
	kb, kr = chromaticity(py, pcb, pcr, bg)
	return py, pcb, pcr, bg, kb, kr, nil
}

// nestedFraction and nestedRatio: see dropNested.
const (
	nestedFraction = 0.5
	nestedRatio    = 4
)

// dropNested removes specimens whose box lies mostly (nestedFraction of its
// area) inside the box of a specimen nestedRatio times larger.
func dropNested(ss []Specimen) []Specimen {
	area := func(r image.Rectangle) float64 { return float64(r.Dx()) * float64(r.Dy()) }
	out := ss[:0:0]
	for i, s := range ss {
		nested := false
		for j, o := range ss {
			if j != i && area(o.Box) >= nestedRatio*area(s.Box) && area(o.Box.Intersect(s.Box)) >= nestedFraction*area(s.Box) {
				nested = true
				break
			}
		}
		if !nested {
			out = append(out, s)
		}
	}
	return out
}

// measure measures a piece as a specimen in frame b and reports whether it
// passes the size and shape filters and is not a disc (grommet) or a strip
// along the border (a cable, a timestamp).
func (o Options) measure(p *piece, b image.Rectangle) (Specimen, bool) {
	px2mm2 := 1 / (o.PixelsPerMM * o.PixelsPerMM)
	s := p.specimen()
	s.AreaMM2 = s.AreaPx * px2mm2
	s.LengthMM = s.LengthPx / o.PixelsPerMM
	s.WidthMM = s.WidthPx / o.PixelsPerMM
	if !o.accepts(s) {
		return s, false
	}
	if p.own != nil && s.AreaPx < mergeMinFill*float64(s.Box.Dx()*s.Box.Dy()) {
		return s, false // specks gathered by merging, not an insect (undone)
	}
	if max(s.Box.Dx(), s.Box.Dy()) >= 16 && (isFastener(s.Contrast, p.spans, p.full, b, o.PixelsPerMM) || isBorderStrip(s.Box, b, o.PixelsPerMM)) {
		return s, false
	}
	s.TouchesEdge = s.Box.Min.X <= b.Min.X || s.Box.Min.Y <= b.Min.Y || s.Box.Max.X >= b.Max.X || s.Box.Max.Y >= b.Max.Y
	if s.TouchesEdge && s.ThicknessPx < minEdgeThicknessPx {
		return s, false // timestamp text, a fibre along the edge
	}
	return s, true
}

// accepts applies the size and shape filters to a measured specimen.
func (o Options) accepts(s Specimen) bool {
	switch {
	case s.CoverAreaPx/(o.PixelsPerMM*o.PixelsPerMM) < o.MinAreaMM2, o.MaxAreaMM2 > 0 && s.AreaMM2 > o.MaxAreaMM2:
		return false
	case o.MaxAspect > 0 && s.LengthPx > o.MaxAspect*math.Max(s.WidthPx, 1):
		return false // fibre, hair, scratch
	case s.ThicknessPx < max(minThicknessPx, o.MinThicknessMM*o.PixelsPerMM):
		return false // thin everywhere: fibre, hair
	case o.MinSolidity > 0 && s.Solidity < o.MinSolidity:
		return false
	}
	return true
}

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
	card, ckb, ckr := cardMask(py, pcb, pcr)
	if card != nil && f > 1 {
		// Insects on sticky cards are small (whiteflies: 10-20 px): work
		// at twice the resolution, with the same blocks in frame pixels.
		coarse, cw := card, py.w
		f, block = f/2, block*f/(f/2)
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
	if card != nil {
		kb, kr = ckb, ckr // the card's colour, not the frame's (it may not fill it)
	}
	w, h := py.w, py.h
	raw := newPlane(w, h)
	for i, v := range py.v {
		raw.v[i] = deviation(v, pcb.v[i], pcr.v[i], bg.v[i], kb, kr)
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
	for i, v := range smooth.v {
		e := v - level.v[i]
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
	r := refiner{img: img, f: f, labels: labels, w: w, h: h, bg: bg, kb: kb, kr: kr, weak: float32(o.GrowThreshold), claimed: make([]bool, w*h),
		level: level, scale: scale, sigmas: float32(o.NoiseSigmas),
		reach: max(1, int(math.Ceil(o.ReachMM*o.PixelsPerMM/float64(f)))), thin: int32(max(1, math.Round(thinLimbMM*o.PixelsPerMM)))}
	var pieces []*piece
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
		if r.mostlyClaimed(c) {
			continue // a fragment of a specimen already found
		}
		if p, ok := r.refine(c); ok {
			p.group = c.group
			pieces = append(pieces, p)
		}
	}
	if card != nil {
		// Only a coloured card splits one insect into pieces (its yellow
		// bands); on a sheet, nearby pieces are nearby insects.
		pieces = mergePieces(pieces, int(math.Ceil(o.MergeGapMM*o.PixelsPerMM)))
	} else {
		excess := newPlane(w, h)
		for i, v := range smooth.v {
			excess.v[i] = v - level.v[i]
		}
		taken := pieces
		for _, cb := range boards {
			taken = append(taken, &piece{box: cb.Box})
		}
		pieces = absorbFragments(faintPieces(excess, scale, py, bg, f, ks, b, o.PixelsPerMM, taken), pieces)
	}
	var out []Specimen
	for _, p := range pieces {
		s := p.specimen()
		s.AreaMM2 = s.AreaPx * px2mm2
		s.LengthMM = s.LengthPx / o.PixelsPerMM
		s.WidthMM = s.WidthPx / o.PixelsPerMM
		if !o.accepts(s) {
			continue
		}
		if max(s.Box.Dx(), s.Box.Dy()) >= 16 {
			if isDisc(p.spans, p.full, b) || isBorderStrip(s.Box, b, o.PixelsPerMM) {
				continue
			}
		}
		s.TouchesEdge = s.Box.Min.X <= b.Min.X || s.Box.Min.Y <= b.Min.Y || s.Box.Max.X >= b.Max.X || s.Box.Max.Y >= b.Max.Y
		if s.TouchesEdge && s.ThicknessPx < minEdgeThicknessPx {
			continue // timestamp text, a fibre along the edge
		}
		out = append(out, s)
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

// accepts applies the size and shape filters to a measured specimen.
func (o Options) accepts(s Specimen) bool {
	switch {
	case s.AreaMM2 < o.MinAreaMM2, o.MaxAreaMM2 > 0 && s.AreaMM2 > o.MaxAreaMM2:
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

// refiner re-segments working-resolution components at full resolution.
type refiner struct {
	img     image.Image
	f       int // working cell size in frame pixels
	labels  []int32
	w, h    int
	bg      plane
	kb, kr  float32 // background chromaticity
	weak    float32 // a frame pixel is foreground when its deviation exceeds weak (GrowThreshold)
	claimed []bool  // working cells covered by specimens already found
	// level and scale are the bare sheet's local deviation level and
	// sigma (sheetStats); a frame pixel must exceed level by weak and by
	// sigmas*scale.
	level, scale plane
	sigmas       float32
	reach        int   // how far, in cells, the fill may go beyond the component
	thin         int32 // legs and antennae up to 2*thin+1 px thick are left out of boxes
}

// mostlyClaimed reports whether most of c's cells belong to a specimen
// already found.
func (r *refiner) mostlyClaimed(c component) bool {
	n := 0
	for y := c.y0; y < c.y1; y++ {
		for x := c.x0; x < c.x1; x++ {
			if i := y*r.w + x; r.labels[i] == c.label && r.claimed[i] {
				n++
			}
		}
	}
	return 2*n > c.n
}

// refine flood-fills, at full resolution, the 8-connected foreground pixels
// reachable from the frame pixels of component c, within c's box grown by
// 3/4 of its size (legs and antennae that the working image lost). A frame
// pixel is foreground when its deviation from its cell's background
// exceeds GrowThreshold. It returns false when no frame pixel of c is foreground.
func (r *refiner) refine(c component) (*piece, bool) {
	b, f := r.img.Bounds(), r.f
	grow := r.reach
	reg := image.Rect(b.Min.X+(c.x0-grow)*f, b.Min.Y+(c.y0-grow)*f, b.Min.X+(c.x1+grow)*f, b.Min.Y+(c.y1+grow)*f).Intersect(b)
	near := r.near(c, grow)
	nw := c.x1 - c.x0 + 2*grow
	rw, rh := reg.Dx(), reg.Dy()
	// state: 0 background, 1 foreground, 2 reached.
	state := make([]uint8, rw*rh)
	px := newYCC(rw * rh)
	var stack []int32
	for y := reg.Min.Y; y < reg.Max.Y; y++ {
		cy := (y - b.Min.Y) / f
		bgRow := r.bg.v[cy*r.w : cy*r.w+r.w]
		lvRow := r.level.v[cy*r.w : cy*r.w+r.w]
		scRow := r.scale.v[cy*r.w : cy*r.w+r.w]
		lab := r.labels[cy*r.w : cy*r.w+r.w]
		nearRow := near[(cy-c.y0+grow)*nw : (cy-c.y0+grow+1)*nw]
		row := px.slice((y-reg.Min.Y)*rw, (y-reg.Min.Y+1)*rw)
		rowYCC(r.img, y, reg.Min.X, reg.Max.X, row)
		st := state[(y-reg.Min.Y)*rw : (y-reg.Min.Y+1)*rw]
		for i, v := range row.y {
			cx := (reg.Min.X + i - b.Min.X) / f
			if !nearRow[cx-c.x0+grow] || (lab[cx] != 0 && lab[cx] != c.label) {
				continue
			}
			e := deviation(float32(v), float32(row.cb[i]), float32(row.cr[i]), bgRow[cx], r.kb, r.kr) - lvRow[cx]
			if e > max(r.weak, r.sigmas*scRow[cx]) {
				st[i] = 1
				if lab[cx] == c.label {
					st[i] = 2
					stack = append(stack, int32((y-reg.Min.Y)*rw+i))
				}
			}
		}
	}
	if len(stack) == 0 {
		return nil, false
	}
	var m moments
	var sumRatio float64
	var devs []float32
	var at []int32
	spans := make([]span, rh)
	for i := range spans {
		spans[i] = span{y: i, lo: math.MaxInt, hi: -1}
	}
	for len(stack) > 0 {
		p := int(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
		x, y := p%rw, p/rw
		fx, fy := reg.Min.X+x, reg.Min.Y+y
		m.add(float64(fx), float64(fy))
		cx, cy := (fx-b.Min.X)/f, (fy-b.Min.Y)/f
		r.claimed[cy*r.w+cx] = true
		at = append(at, int32(p))
		devs = append(devs, deviation(float32(px.y[p]), float32(px.cb[p]), float32(px.cr[p]), r.bg.v[cy*r.w+cx], r.kb, r.kr))
		sumRatio += float64(px.y[p]) / float64(r.bg.v[cy*r.w+cx])
		sp := &spans[y]
		sp.lo, sp.hi = min(sp.lo, x), max(sp.hi, x)
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				nx, ny := x+dx, y+dy
				if nx < 0 || ny < 0 || nx >= rw || ny >= rh {
					continue
				}
				if q := ny*rw + nx; state[q] == 1 {
					state[q] = 2
					stack = append(stack, int32(q))
				}
			}
		}
	}
	p := &piece{m: m, sumRatio: sumRatio, cover: coverArea(devs, interiorDevs(state, rw, rh, at, devs))}
	box := image.Rectangle{Min: image.Pt(math.MaxInt, math.MaxInt), Max: image.Pt(math.MinInt, math.MinInt)}
	for _, sp := range spans {
		if sp.hi >= 0 {
			box.Min.X, box.Max.X = min(box.Min.X, sp.lo), max(box.Max.X, sp.hi+1)
			box.Min.Y, box.Max.Y = min(box.Min.Y, sp.y), max(box.Max.Y, sp.y+1)
			p.spans = append(p.spans, span{y: sp.y + reg.Min.Y, lo: sp.lo + reg.Min.X, hi: sp.hi + reg.Min.X})
		}
	}
	depth := chessDepth(state, rw, box)
	p.thick = depthThickness(depth)
	p.full = box.Add(reg.Min)
	// Trim limbs only off specimens thick enough for a limb to be told
	// from the body (a 3 mm fly at 5 px/mm is a few pixels across).
	thin := min(r.thin, int32(p.thick-1)/4)
	p.box = box.Add(reg.Min)
	if thin >= 1 {
		p.box = bodyBox(depth, box, thin).Add(reg.Min)
	}
	return p, true
}

// near returns, for the working cells of c's box grown by grow on every
// side (row-major, (x1-x0+2*grow) wide), whether the cell is within grow
// cells (chessboard distance) of one of c's cells.
func (r *refiner) near(c component, grow int) []bool {
	nw, nh := c.x1-c.x0+2*grow, c.y1-c.y0+2*grow
	in := make([]bool, nw*nh)
	for y := c.y0; y < c.y1; y++ {
		for x := c.x0; x < c.x1; x++ {
			if r.labels[y*r.w+x] == c.label {
				in[(y-c.y0+grow)*nw+x-c.x0+grow] = true
			}
		}
	}
	return dilate(in, nw, nh, grow)
}

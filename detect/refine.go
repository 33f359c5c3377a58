package detect

import (
	"image"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// refiner re-segments working-resolution components at full resolution.
type refiner struct {
	img    image.Image
	f      int // working cell size in frame pixels
	labels []int32
	w, h   int
	bg     plane
	tint   tint // background colour
	// plain is tint unweighted (gb = gr = 1): coverArea's measure. The
	// weights help find a pale insect on a card but would count the
	// colour JPEG smears around a dark one as part of its area.
	plain   tint
	weak    float32 // a frame pixel is foreground when its deviation exceeds weak (GrowThreshold)
	claimed []bool  // working cells covered by specimens already found
	// level and scale are the bare sheet's local deviation level and
	// sigma (sheetStats); a frame pixel must exceed level by weak and by
	// sigmas*scale.
	level, scale plane
	sigmas       float32
	reach        int   // how far, in cells, the fill may go beyond the component
	thin         int32 // legs and antennae up to 2*thin+1 px thick are left out of boxes
	bridge       int32 // on a card: gaps up to 2*bridge px in a piece are closed before trimming limbs
	paleMax      int   // on a card: the longest side, in frame pixels, of a piece filled with its pale pixels (0 on a sheet: none)
}

// mostlyReached reports whether most of cells (a fill's, one entry per
// frame pixel) belong to a specimen already found: a pale fill reaches
// round the components beside it, so two parts of one whitefly (its spot
// and a wing) would each be filled as the whole whitefly.
func (r *refiner) mostlyReached(cells []int32) bool {
	n := 0
	for _, k := range cells {
		if r.claimed[k] {
			n++
		}
	}
	return 2*n > len(cells)
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
// exceeds GrowThreshold. It returns the piece and the working cells it
// reached, and false when no frame pixel of c is foreground. It changes
// nothing shared (refineAll runs it on all cores).
//
// On a card a small component is first filled with its pale pixels too
// (fill's pale mode): the result is kept when, like a whitefly, it is
// whitish on the whole (paleMeanBlue) and no longer than paleMaxMM (see
// paleLevel); else the plain fill is.
func (r *refiner) refine(c component) (*piece, []int32, bool) {
	if r.paleMax > 0 && c.n <= cardSmallCells {
		p, cells, ok, paled := r.fill(c, true)
		if ok && max(p.full.Dx(), p.full.Dy()) <= r.paleMax && p.sumDB >= paleMeanBlue*p.m.n {
			p.pale = true
			return p, cells, true
		}
		if !paled {
			return p, cells, ok // no pixel was pale only: the plain fill's result
		}
	}
	p, cells, ok, _ := r.fill(c, false)
	return p, cells, ok
}

// fill is refine's flood fill; with pale, a pixel whose deviation exceeds
// only paleLevel of the threshold is foreground too when it is bluer than
// the card by paleBlue of the card's luma (a whitefly's wing), and paled
// reports whether any pixel was foreground by that test alone.
func (r *refiner) fill(c component, pale bool) (p *piece, cells []int32, ok, paled bool) {
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
			k := cy*r.w + cx
			e, thr := r.excess(k, float32(v), float32(row.cb[i]), float32(row.cr[i]))
			on := e > thr
			if !on && pale && e > paleLevel*thr {
				db, _ := r.tint.offsets(k, float32(v), float32(row.cb[i]), float32(row.cr[i]))
				on = db > paleBlue*bgRow[cx]
				paled = paled || on
			}
			if on {
				st[i] = 1
				if lab[cx] == c.label {
					st[i] = 2
					stack = append(stack, int32((y-reg.Min.Y)*rw+i))
				}
			}
		}
	}
	if len(stack) == 0 {
		return nil, nil, false, paled
	}
	var m moments
	var sumRatio, sumDB, sumDR float64
	var devs []float32
	// cells: the working cells reached (claimed once the piece is kept)
	var at []int32
	spans, cols := make([]span, rh), make([]span, rw)
	for i := range spans {
		spans[i] = span{y: i, lo: math.MaxInt, hi: -1}
	}
	for i := range cols {
		cols[i] = span{y: i, lo: math.MaxInt, hi: -1}
	}
	for len(stack) > 0 {
		p := int(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
		x, y := p%rw, p/rw
		fx, fy := reg.Min.X+x, reg.Min.Y+y
		m.add(float64(fx), float64(fy))
		k := (fy-b.Min.Y)/f*r.w + (fx-b.Min.X)/f // its working cell
		cells = append(cells, int32(k))
		at = append(at, int32(p))
		devs = append(devs, r.plain.deviation(k, float32(px.y[p]), float32(px.cb[p]), float32(px.cr[p]), r.bg.v[k]))
		sumRatio += float64(px.y[p]) / float64(r.bg.v[k])
		db, dr := r.tint.offsets(k, float32(px.y[p]), float32(px.cb[p]), float32(px.cr[p]))
		sumDB += float64(db / r.bg.v[k])
		sumDR += float64(dr / r.bg.v[k])
		sp := &spans[y]
		sp.lo, sp.hi = min(sp.lo, x), max(sp.hi, x)
		cs := &cols[x]
		cs.lo, cs.hi = min(cs.lo, y), max(cs.hi, y)
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
	p = &piece{m: m, sumRatio: sumRatio, sumDB: sumDB, sumDR: sumDR, cover: coverArea(devs, interiorDevs(state, rw, rh, at, devs))}
	box := image.Rectangle{Min: image.Pt(math.MaxInt, math.MaxInt), Max: image.Pt(math.MinInt, math.MinInt)}
	for _, sp := range spans {
		if sp.hi >= 0 {
			box.Min.X, box.Max.X = min(box.Min.X, sp.lo), max(box.Max.X, sp.hi+1)
			box.Min.Y, box.Max.Y = min(box.Min.Y, sp.y), max(box.Max.Y, sp.y+1)
			p.spans = append(p.spans, span{y: sp.y + reg.Min.Y, lo: sp.lo + reg.Min.X, hi: sp.hi + reg.Min.X})
		}
	}
	for _, cs := range cols {
		if cs.hi >= 0 {
			p.cols = append(p.cols, span{y: cs.y + reg.Min.X, lo: cs.lo + reg.Min.Y, hi: cs.hi + reg.Min.Y})
		}
	}
	depth := chessDepth(state, rw, box)
	p.thick = depthThickness(depth)
	p.full = box.Add(reg.Min)
	// Trim limbs only off specimens thick enough for a limb to be told
	// from the body (a 3 mm fly at 5 px/mm is a few pixels across).
	thin := min(r.thin, int32(p.thick-1)/4)
	if r.bridge > 0 && thin < 2 {
		// On a card, a specimen this small (a whitefly, 5-7 px thick)
		// has no limb the fill resolves: trimming 1 px only shaved its
		// wing tips off the box. On a sheet it still cuts off the
		// seams and fibres the fill ran along.
		thin = 0
	}
	p.box = box.Add(reg.Min)
	if thin >= 1 {
		if r.bridge > 0 {
			// On a card, bands of an insect that are the card's colour
			// (a wasp's yellow stripes) leave the dark bands between
			// them thin enough to pass for legs: the body is measured
			// with such gaps closed.
			depth = chessDepth(closeReached(state, rw, rh, int(r.bridge)), rw, box)
		}
		p.box = bodyBox(depth, box, thin).Add(reg.Min)
	}
	if r.bridge == 0 && thin <= 1 {
		// On a sheet a small insect (8 px thick or less) is reported
		// without its limbs up to a third of its thickness as well
		// (limbBox): on ../shared/realframes two flies of 26 x 34 px,
		// 7 px thick, kept their 4 px legs and reached 41 and 46 px,
		// past the annotations' 40 px floor. The rules still judge p.box,
		// as they were measured (with this box as p.box, a vignetted
		// timestamp's grew past 40 px and a blurred stain passed as an
		// outlined moth), and the box reported is never larger than it;
		// trimmed at a third, thicker insects lost patterned wing tips
		// (bench/REPORT.md, thirty-fourth session). The bound is 1 px at
		// least: at 5 px/mm (a 2K camera, or a 4K one from farther) a
		// small fly's body is 3 px thick and its legs 1-2 px, and a third
		// of 3 px rounded down trimmed nothing (the real sheets at half
		// the resolution: four flies reported at 40-56 px with their
		// legs, thirty-fifth session). A body 3 px thick keeps its core.
		if firm := min(r.thin, max(1, int32(p.thick-1)/3)); firm > thin {
			p.trimmed = limbBox(state, rw, box, firm).Add(reg.Min).Intersect(p.box)
		}
	}
	return p, cells, true, paled
}

// excess returns a frame pixel's deviation (y, cb, cr) from the
// background of its working cell k above the bare sheet's local level,
// and the threshold it must exceed to be foreground (GrowThreshold, and
// NoiseSigmas local sigmas).
func (r *refiner) excess(k int, y, cb, cr float32) (e, thr float32) {
	return r.tint.deviation(k, y, cb, cr, r.bg.v[k]) - r.level.v[k], max(r.weak, r.sigmas*r.scale.v[k])
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

// refined is one component's refine result.
type refined struct {
	p     *piece
	cells []int32
	ok    bool
}

// refineAll refines cs on all cores and returns the results in cs's
// order. refine reads the refiner's shared state and writes none of it
// (the caller marks the cells claimed, in order, so the outcome is the
// sequential one). A panic in a worker (an image whose pixels cannot be
// read) is raised again on the caller's goroutine, where Analyze turns
// it into an error.
func (r *refiner) refineAll(cs []component) []refined {
	out := make([]refined, len(cs))
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var failure any
	for range min(runtime.GOMAXPROCS(0), len(cs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if e := recover(); e != nil {
					once.Do(func() { failure = e })
				}
			}()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(cs) {
					return
				}
				out[i].p, out[i].cells, out[i].ok = r.refine(cs[i])
			}
		}()
	}
	wg.Wait()
	if failure != nil {
		panic(failure)
	}
	return out
}

package detect

import (
	"image"
	"math"
)

// Pale moths. Large geometrids on a white sheet (pale green, white,
// translucent) deviate from the sheet by 0.05-0.15 over most of their
// wings: below WeakThreshold, and the cells that pass are scattered, so the
// main pass finds nothing or a fragment (on ../shared/realframes 5 of the 11
// insects missed were such moths, 200-500 px across). Averaged over blocks
// of faintBlock x faintBlock working cells the sheet's noise drops several
// times while a large moth keeps its deviation, so a second, coarse pass
// looks for large faint objects the main pass did not find.

const (
	// faintBlock is the coarse cell, in working cells.
	faintBlock = 4
	// faintWeak and faintSeed are the coarse thresholds on the deviation
	// above the sheet's level (and above NoiseSigmas times the local
	// sigma, which averaging divides by about faintNoiseDrop).
	faintWeak, faintSeed = 0.05, 0.08
	faintNoiseDrop       = 2.5
	// faintMinAreaMM2 is the least area of a faint object: only large
	// moths are looked for this way.
	faintMinAreaMM2 = 100
	// faintOverlap: a faint object whose box is covered this much by the
	// boxes of specimens already found is one of them.
	faintOverlap = 0.25
	// faintMaxAspect: a faint object longer than this many times its width
	// is not a moth (the pale moths of ../shared/realframes measure 1.9-3.3
	// by their moments; a 150 x 20 mm ruler pasted onto the sheets 11).
	faintMaxAspect = 4
)

// faintPieces returns pieces for large faint objects: coarse components
// of excess (the working cells' deviation above the sheet's level), not
// touching the frame's border, of at least faintMinAreaMM2, that the
// pieces found so far do not already cover.
func faintPieces(excess, scale, py, bg plane, f int, sigmas float32, frame image.Rectangle, ppm float64, found []*piece) []*piece {
	cw, ch := excess.w/faintBlock, excess.h/faintBlock
	if cw < 3 || ch < 3 {
		return nil
	}
	ce := make([]float32, cw*ch)
	fg := make([]uint8, cw*ch)
	side := f * faintBlock
	for cy := range ch {
		for cx := range cw {
			// Cells on a specimen already found are not looked at again
			// (else a pale moth and a dark one beside it make one object).
			mid := image.Pt(frame.Min.X+cx*side+side/2, frame.Min.Y+cy*side+side/2)
			if onPiece(mid, found) {
				continue
			}
			var se, ss float32
			for y := cy * faintBlock; y < (cy+1)*faintBlock; y++ {
				for x := cx * faintBlock; x < (cx+1)*faintBlock; x++ {
					se += excess.v[y*excess.w+x]
					ss += scale.v[y*excess.w+x]
				}
			}
			n := float32(faintBlock * faintBlock)
			e, noise := se/n, sigmas*ss/n/faintNoiseDrop
			ce[cy*cw+cx] = e / max(faintSeed, 2*noise) * faintSeed
			if e > max(faintWeak, noise) {
				fg[cy*cw+cx] = 1
			}
		}
	}
	labels, comps := labelComponents(fg, ce, cw, ch)
	cell := float64(f * faintBlock)
	minCells := faintMinAreaMM2 * ppm * ppm / (cell * cell)
	var out []*piece
	for _, c := range comps {
		if float64(c.n) < minCells || c.maxDark < faintSeed || !c.inside(cw, ch) {
			continue
		}
		box := image.Rect(frame.Min.X+c.x0*f*faintBlock, frame.Min.Y+c.y0*f*faintBlock, frame.Min.X+c.x1*f*faintBlock, frame.Min.Y+c.y1*f*faintBlock)
		if covered(box, found) >= faintOverlap {
			continue
		}
		p := faintPiece(labels, c, cw, py, bg, f, frame)
		if _, _, major, minor, _ := p.m.axes(); major > faintMaxAspect*minor {
			continue // a ruler, a strip of paper, a fold: no moth is that narrow
		}
		out = append(out, p)
	}
	return out
}

// onPiece reports whether pt is inside the box of one of pieces.
func onPiece(pt image.Point, pieces []*piece) bool {
	for _, p := range pieces {
		if pt.In(p.box) {
			return true
		}
	}
	return false
}

// covered returns the fraction of box's area inside the boxes of pieces
// (overlaps counted once per piece: an upper bound).
func covered(box image.Rectangle, pieces []*piece) float64 {
	a := 0
	for _, p := range pieces {
		in := box.Intersect(p.box)
		a += in.Dx() * in.Dy()
	}
	return float64(a) / float64(box.Dx()*box.Dy())
}

// faintPiece measures a coarse component as a piece, each coarse cell
// standing for its f*faintBlock square of frame pixels.
func faintPiece(labels []int32, c component, cw int, py, bg plane, f int, frame image.Rectangle) *piece {
	side := f * faintBlock
	p := &piece{group: -1}
	rows := map[int][2]int{}
	state := make([]uint8, (c.x1-c.x0)*(c.y1-c.y0))
	for cy := c.y0; cy < c.y1; cy++ {
		for cx := c.x0; cx < c.x1; cx++ {
			if labels[cy*cw+cx] != c.label {
				continue
			}
			state[(cy-c.y0)*(c.x1-c.x0)+cx-c.x0] = 2
			x0, y0 := frame.Min.X+cx*side, frame.Min.Y+cy*side
			for y := y0; y < y0+side; y++ {
				for x := x0; x < x0+side; x++ {
					p.m.add(float64(x), float64(y))
				}
			}
			// Luma over background, from the working cells under it.
			for y := cy * faintBlock; y < (cy+1)*faintBlock; y++ {
				for x := cx * faintBlock; x < (cx+1)*faintBlock; x++ {
					i := y*py.w + x
					if bg.v[i] > 1 {
						p.sumRatio += float64(py.v[i]/bg.v[i]) * float64(f*f)
					}
				}
			}
			r, ok := rows[cy]
			if !ok {
				r = [2]int{cx, cx}
			}
			rows[cy] = [2]int{min(r[0], cx), max(r[1], cx)}
		}
	}
	for cy, r := range rows {
		for y := frame.Min.Y + cy*side; y < frame.Min.Y+(cy+1)*side; y++ {
			p.spans = append(p.spans, span{y: y, lo: frame.Min.X + r[0]*side, hi: frame.Min.X + (r[1]+1)*side - 1})
		}
	}
	p.box = image.Rect(frame.Min.X+c.x0*side, frame.Min.Y+c.y0*side, frame.Min.X+c.x1*side, frame.Min.Y+c.y1*side)
	p.full = p.box
	p.cover = p.m.n
	p.thick = depthThickness(chessDepth(state, c.x1-c.x0, image.Rect(0, 0, c.x1-c.x0, c.y1-c.y0))) * float64(side)
	p.thick = math.Max(p.thick, float64(side))
	return p
}

// absorbFragments joins to each faint piece the pieces of found whose box
// centre lies in its box and that are less than a third of its area: the
// darker parts of a pale moth that the main pass found alone (its body, a
// wing's edge). It returns found without them, then the faint pieces.
func absorbFragments(faint, found []*piece) []*piece {
	out := found[:0]
	for _, p := range found {
		c := p.box.Min.Add(p.box.Max).Div(2)
		host := -1
		for i, q := range faint {
			if c.In(q.box) && 3*p.m.n < q.m.n {
				host = i
				break
			}
		}
		if host < 0 {
			out = append(out, p)
			continue
		}
		q := faint[host]
		q.box, q.full = q.box.Union(p.box), q.full.Union(p.full)
	}
	return append(out, faint...)
}

package detect

import "image"

// Insects joined by a leg. Two insects resting a leg's length apart, or
// touching at a wing tip, are one working-resolution component: a leg or
// an antenna reaching from one to the other, or the few pixels where they
// touch, joins their cells. Neither has a core of its own (split.go) when
// both are evenly dark, and their joint outline has no bays deep enough
// for a cut (notch.go). At full resolution the legs are a few pixels
// thick. So a light sheet's component is read again at full resolution
// with the refill's own pixel test (refiner.excess), its silhouette's
// holes filled (a moth's white bands are enclosed by its outline), and
// eroded by thinLimbMM (legs and antennae, as the refill leaves them out
// of boxes). When that leaves two or more bodies of notchMinMM2 or more,
// each filling limbBodyFill of its convex hull and none under
// limbBodyShare of the largest, every cell of the component goes to the
// body with most of its pixels (the rest to the nearest body), and each
// part is tried again.
//
// The bounds were set on ../shared/realframes' 13 light sheets and on
// bench/touching's pairs (a neighbour pasted against each insect). Every
// box on the sheets and cards as taken is the same (the DSLR photos'
// grass, searched as a sheet, parts in more pieces). At a gap of 0 px,
// both of a pair are found 117 times of 159 with another insect of the
// frame (110 before) and 124 with a copy (118); at 5 px, 136 and 144 (133
// and 143). It costs about 7 % of detection's CPU time on the sheets.
// What each bound keeps whole (bench/REPORT.md has the figures):
//   - without the holes filled, panama's striped moth falls into its wings
//     and body along its white bands (17-36 boxes change as taken);
//   - without the fill bound, moths whose pale parts fall under the
//     threshold come apart under realeval's warm cast, noise and
//     vignetting;
//   - without the share bound, a luna moth's feathery antennae are parted
//     from its body under the bright change;
//   - eroded by a fixed 2 px instead of thinLimbMM, the crane fly's long
//     wings and the striped moth come apart at half size.
//
// Left: in grey levels only (realeval's gray) panama's striped moth is
// cut in its two halves (precision 0.949 -> 0.944); in colour its orange
// body holds them together.
const (
	// limbBodyFill is the least share of its convex hull a body fills.
	limbBodyFill = 0.5
	// limbBodyShare is the least size of a body against the largest.
	limbBodyShare = 0.2
)

// splitAtLimbs returns c split into the bodies its legs join (see above;
// labels relabelled in place), or nil. Components under twice
// size.min cells or over size.max are left whole.
func (r *refiner) splitAtLimbs(labels []int32, c component, dark []float32, size notchSize, next *int32) []component {
	f := r.f
	if c.n < 2*size.min || c.n > size.max {
		return nil
	}
	minPx := size.min * f * f
	b := r.img.Bounds()
	reg := image.Rect(b.Min.X+c.x0*f, b.Min.Y+c.y0*f, b.Min.X+c.x1*f, b.Min.Y+c.y1*f).Intersect(b)
	rw, rh := reg.Dx(), reg.Dy()
	on := make([]bool, rw*rh)
	row := newYCC(rw)
	for y := reg.Min.Y; y < reg.Max.Y; y++ {
		cy := (y - b.Min.Y) / f
		rowYCC(r.img, y, reg.Min.X, reg.Max.X, row)
		for i, v := range row.y {
			k := cy*r.w + (reg.Min.X+i-b.Min.X)/f
			if labels[k] == c.label {
				e, thr := r.excess(k, float32(v), float32(row.cb[i]), float32(row.cr[i]))
				on[(y-reg.Min.Y)*rw+i] = e > thr
			}
		}
	}
	fillHoles(on, rw, rh)
	ids, sizes := label8(erode(on, rw, rh, int(r.thin)), rw, rh)
	if !separateBodies(ids, sizes, rw, minPx) {
		return nil
	}
	// Each cell goes to the body with most of its pixels.
	bw, bh := c.x1-c.x0, c.y1-c.y0
	count := map[[2]int32]int{} // (cell, body) -> pixels
	for p, id := range ids {
		if id != 0 && sizes[id] >= minPx {
			x, y := reg.Min.X-b.Min.X+p%rw, reg.Min.Y-b.Min.Y+p/rw
			count[[2]int32{int32((y/f-c.y0)*bw + x/f - c.x0), id}]++
		}
	}
	owner, most := make([]int32, bw*bh), make([]int, bw*bh)
	for k, n := range count {
		if j := k[0]; n > most[j] || (n == most[j] && k[1] < owner[j]) {
			most[j], owner[j] = n, k[1]
		}
	}
	growParts(owner, bw, bh, func(j int) bool { return labels[(c.y0+j/bw)*r.w+c.x0+j%bw] == c.label })
	if parts := relabel(labels, c, owner, dark, r.w, next); len(parts) >= 2 {
		return parts
	}
	return nil
}

// separateBodies reports whether the groups of ids (rw wide, sizes by
// label) hold two or more bodies of minPx pixels or more, each filling
// limbBodyFill of its convex hull and none under limbBodyShare of the
// largest.
func separateBodies(ids []int32, sizes []int, rw, minPx int) bool {
	largest, bodies := 0, 0
	for _, s := range sizes[1:] {
		if s >= minPx {
			largest = max(largest, s)
			bodies++
		}
	}
	if bodies < 2 {
		return false
	}
	rows := map[int32][]span{} // each body's rows, first to last pixel
	for p, id := range ids {
		if id == 0 || sizes[id] < minPx {
			continue
		}
		if float64(sizes[id]) < limbBodyShare*float64(largest) {
			return false
		}
		x, y := p%rw, p/rw
		sp := rows[id]
		if n := len(sp); n > 0 && sp[n-1].y == y {
			sp[n-1].hi = x
		} else {
			sp = append(sp, span{y: y, lo: x, hi: x})
		}
		rows[id] = sp
	}
	for id, sp := range rows {
		if float64(sizes[id]) < limbBodyFill*hullArea(sp) {
			return false
		}
	}
	return true
}

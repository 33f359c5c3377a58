package detect

import (
	"image"
	"math"
	"sort"
)

// Finding a ruler's ticks (see Ruler): thin dark blobs at full
// resolution, then the grid they stand on.

// boxLuma returns the luma of img inside box, row by row, and its
// histogram.
func boxLuma(img image.Image, box image.Rectangle) ([]uint8, [256]int) {
	w, h := box.Dx(), box.Dy()
	lum := make([]uint8, w*h)
	row := newYCC(w)
	var hist [256]int
	for y := range h {
		rowYCC(img, box.Min.Y+y, box.Min.X, box.Max.X, row)
		copy(lum[y*w:], row.y)
		for _, v := range row.y {
			hist[v]++
		}
	}
	return lum, hist
}

// percentile returns the luma below which a fraction q of hist's pixels
// lie.
func percentile(hist [256]int, q float64) int {
	total := 0
	for _, n := range hist {
		total += n
	}
	c, want := 0, int(q*float64(total))
	for i, n := range hist {
		if c += n; c > want {
			return i
		}
	}
	return 255
}

// tick is one thin dark blob: its centre, direction and extent.
type tick struct {
	cx, cy, angle, length float64
}

// findRuler looks for a millimetre ruler's ticks inside box (see Ruler).
func findRuler(img image.Image, box image.Rectangle) (Ruler, bool) {
	return rulerOf(rulerTicks(img, box))
}

// rulerTicks returns the tick candidates (thin dark blobs) inside box
// widened by 4 px, and that box; none when it is shorter than
// minRulerPiecePx or too large to read.
func rulerTicks(img image.Image, box image.Rectangle) ([]tick, image.Rectangle) {
	box = box.Inset(-4).Intersect(img.Bounds())
	w, h := box.Dx(), box.Dy()
	if max(w, h) < minRulerPiecePx || w*h > 4<<20 {
		return nil, box
	}
	lum, hist := boxLuma(img, box)
	return thinBlobs(lum, w, h, uint8(rulerInk*float64(percentile(hist, 0.9)))), box
}

// rulerOf finds a ruler among the ticks read from box (rulerTicks).
func rulerOf(ticks []tick, box image.Rectangle) (Ruler, bool) {
	if max(box.Dx(), box.Dy()) < minRulerPx || len(ticks) < rulerMinTicks {
		return Ruler{}, false
	}
	r, ok := tickGrid(ticks)
	if !ok {
		return Ruler{}, false
	}
	r.Box = box
	r.ox += float64(box.Min.X)
	r.oy += float64(box.Min.Y)
	return r, true
}

// thinBlobs returns the 8-connected blobs of lum <= thr that are thin
// lines (see Ruler), with their second-moment axes.
func thinBlobs(lum []uint8, w, h int, thr uint8) []tick {
	seen := make([]bool, w*h)
	var out []tick
	var stack []int
	for i, v := range lum {
		if seen[i] || v > thr {
			continue
		}
		var n, sx, sy, sxx, syy, sxy float64
		seen[i] = true
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			k := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := float64(k%w), float64(k/w)
			n, sx, sy, sxx, syy, sxy = n+1, sx+x, sy+y, sxx+x*x, syy+y*y, sxy+x*y
			for _, q := range neighbours8(k, w, h) {
				if q >= 0 && !seen[q] && lum[q] <= thr {
					seen[q] = true
					stack = append(stack, q)
				}
			}
		}
		if n < 3 || n > 4000 {
			continue
		}
		mx, my := sx/n, sy/n
		vxx, vyy, vxy := sxx/n-mx*mx+1.0/12, syy/n-my*my+1.0/12, sxy/n-mx*my
		tr, det := vxx+vyy, vxx*vyy-vxy*vxy
		d := math.Sqrt(max(0, tr*tr/4-det))
		l1, l2 := tr/2+d, max(tr/2-d, 1e-9)
		if math.Sqrt(l1/l2) < rulerAspect {
			continue
		}
		a := 0.5 * math.Atan2(2*vxy, vxx-vyy)
		if a < 0 {
			a += math.Pi
		}
		out = append(out, tick{cx: mx, cy: my, angle: a, length: math.Sqrt(12 * l1)})
	}
	return out
}

// tickGrid finds the ruler among ticks: the commonest direction, one
// base line, one grid (see Ruler). Positions are relative to the blobs'
// coordinates.
func tickGrid(ticks []tick) (Ruler, bool) {
	// The commonest direction: the tick with most others within tolerance.
	best, bestN := 0, 0
	for i, a := range ticks {
		n := 0
		for _, b := range ticks {
			if angleDiff(a.angle, b.angle) <= rulerAngleTol {
				n++
			}
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	if bestN < rulerMinTicks {
		return Ruler{}, false
	}
	ang := ticks[best].angle
	ux, uy := math.Cos(ang), math.Sin(ang)
	type pos struct{ s, lo, hi, length float64 }
	var ps []pos
	for _, t := range ticks {
		if angleDiff(ang, t.angle) > rulerAngleTol {
			continue
		}
		along := t.cx*ux + t.cy*uy
		ps = append(ps, pos{s: t.cx*-uy + t.cy*ux, lo: along - t.length/2, hi: along + t.length/2, length: t.length})
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].s < ps[j].s })
	// The period: the median gap between neighbours along the ruler.
	gaps := make([]float64, 0, len(ps))
	for i := 1; i < len(ps); i++ {
		if g := ps[i].s - ps[i-1].s; g > 1 {
			gaps = append(gaps, g)
		}
	}
	if len(gaps) < rulerMinTicks-1 {
		return Ruler{}, false
	}
	sort.Float64s(gaps)
	period := gaps[len(gaps)/2]
	if period < 3 {
		return Ruler{}, false // ticks closer than 3 px are not resolved
	}
	median := func(v []float64) float64 {
		s := append([]float64(nil), v...)
		sort.Float64s(s)
		return s[len(s)/2]
	}
	los, his := make([]float64, len(ps)), make([]float64, len(ps))
	for i, p := range ps {
		los[i], his[i] = p.lo, p.hi
	}
	// The base line: the end the most ticks share (the other end varies
	// with the ticks' lengths).
	near := func(v []float64, m float64) int {
		n := 0
		for _, x := range v {
			if math.Abs(x-m) <= rulerBaseTol*period {
				n++
			}
		}
		return n
	}
	mlo, mhi := median(los), median(his)
	base, dir, ends := mlo, 1.0, los
	if near(his, mhi) > near(los, mlo) {
		base, dir, ends = mhi, -1.0, his
	}
	// On the grid: each tick's index from the first on the base line,
	// counted gap by gap (a period a little off must not drift the far
	// ticks off the grid; a gap of up to 5 mm may miss ticks). The
	// longest such chain from any start (a stray blob on the base line
	// must not set the grid).
	var on []pos
	for i, p := range ps {
		if math.Abs(ends[i]-base) <= rulerBaseTol*period {
			on = append(on, p)
		}
	}
	var ks, ss, ls []float64
	for start := range on {
		if len(on)-start <= len(ks) {
			break
		}
		cks, css, cls := []float64{0}, []float64{on[start].s}, []float64{on[start].length}
		prev, k := on[start].s, 0
		for _, p := range on[start+1:] {
			d := (p.s - prev) / period
			m := math.Round(d)
			if m < 1 || m > 5 || math.Abs(d-m) > 0.25 {
				continue
			}
			k += int(m)
			prev = p.s
			cks, css, cls = append(cks, float64(k)), append(css, p.s), append(cls, p.length)
		}
		if len(cks) > len(ks) {
			ks, ss, ls = cks, css, cls
		}
	}
	idx := map[int]float64{}
	for i, k := range ks {
		idx[int(k)] = ls[i]
	}
	if len(ks) < rulerMinTicks {
		return Ruler{}, false
	}
	first, last := int(ks[0]), int(ks[len(ks)-1])
	if float64(len(ks)) < rulerFill*float64(last-first+1) {
		return Ruler{}, false
	}
	// One tick in five is longer (the half-centimetre and centimetre marks).
	var sum, cnt [5]float64
	for k, l := range idx {
		r := ((k % 5) + 5) % 5
		sum[r], cnt[r] = sum[r]+l, cnt[r]+1
	}
	long := false
	for r := range 5 {
		var os, on float64
		for q := range 5 {
			if q != r {
				os, on = os+sum[q], on+cnt[q]
			}
		}
		if cnt[r] >= 2 && on > 0 && sum[r]/cnt[r] >= rulerLongTick*os/on {
			long = true
		}
	}
	if !long {
		return Ruler{}, false
	}
	// The scale: least squares of position on index.
	var mk, ms float64
	for i := range ks {
		mk, ms = mk+ks[i], ms+ss[i]
	}
	mk, ms = mk/float64(len(ks)), ms/float64(len(ks))
	var skk, sks float64
	for i := range ks {
		skk += (ks[i] - mk) * (ks[i] - mk)
		sks += (ks[i] - mk) * (ss[i] - ms)
	}
	ppm := sks / skk
	longest := 0.0
	for _, l := range idx {
		longest = max(longest, l)
	}
	// (ox, oy) is the point of the base line at the first tick.
	sFirst := ms + (float64(first)-mk)*ppm
	return Ruler{PixelsPerMM: ppm, Ticks: len(ks), Angle: ang,
		ox: -uy*sFirst + ux*base, oy: ux*sFirst + uy*base, dir: dir, first: 0, last: last - first,
		markMM: max(rulerMarkMM, 2*longest/ppm)}, true
}

// angleDiff is the difference of two directions in [0, pi), modulo pi.
func angleDiff(a, b float64) float64 {
	d := math.Mod(math.Abs(a-b), math.Pi)
	return min(d, math.Pi-d)
}

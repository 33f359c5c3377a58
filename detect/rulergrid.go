package detect

import (
	"math"
	"sort"
)

// A ruler's grid: among the tick candidates of a box, the ruler's
// direction, base line, millimetres and scale (see Ruler).

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
	// The direction: the mean of the ticks within tolerance of the
	// commonest one, then the perpendicular of the line through the grid's
	// ticks' ends on the base line. A thin blob's axis is off by a degree
	// or two, and the same way for every tick (the pixel grid biases it),
	// which tilts the base line off the far ticks' ends by a millimetre or
	// more over 100 mm.
	var off float64
	for _, t := range ticks {
		d := t.angle - ticks[best].angle
		d -= math.Pi * math.Round(d/math.Pi) // modulo pi, into [-pi/2, pi/2]
		if math.Abs(d) <= rulerAngleTol {
			off += d
		}
	}
	r, base, ok := gridAt(ticks, math.Mod(ticks[best].angle+off/float64(bestN)+math.Pi, math.Pi))
	if !ok {
		return Ruler{}, false
	}
	if along, ok := lineAngle(base); ok {
		ang := math.Mod(along+math.Pi/2, math.Pi)
		if r2, _, ok := gridAt(ticks, ang); ok && angleDiff(ang, r.Angle) <= rulerAngleTol && r2.Ticks >= r.Ticks {
			r = r2
		}
	}
	return r, true
}

// lineAngle returns the direction, in [0, pi), of the line fitted to pts
// (their principal axis, moments.axes); false for fewer than two points.
func lineAngle(pts [][2]float64) (float64, bool) {
	if len(pts) < 2 {
		return 0, false
	}
	var m moments
	for _, p := range pts {
		m.add(p[0], p[1])
	}
	_, _, _, _, a := m.axes()
	if a < 0 {
		a += math.Pi
	}
	return a, true
}

// gridAt finds the ruler among the ticks within rulerAngleTol of ang,
// taken as the ticks' direction: one base line, one grid. It also
// returns the points where the grid's ticks meet the base line.
func gridAt(ticks []tick, ang float64) (Ruler, [][2]float64, bool) {
	ux, uy := math.Cos(ang), math.Sin(ang)
	type pos struct{ s, lo, hi, length, cx, cy float64 }
	var ps []pos
	for _, t := range ticks {
		if angleDiff(ang, t.angle) > rulerAngleTol {
			continue
		}
		along := t.cx*ux + t.cy*uy
		ps = append(ps, pos{s: t.cx*-uy + t.cy*ux, lo: along - t.length/2, hi: along + t.length/2, length: t.length, cx: t.cx, cy: t.cy})
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
		return Ruler{}, nil, false
	}
	sort.Float64s(gaps)
	period := gaps[len(gaps)/2]
	if period < 3 {
		return Ruler{}, nil, false // ticks closer than 3 px are not resolved
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
	basePt := func(p pos) [2]float64 {
		return [2]float64{p.cx - dir*ux*p.length/2, p.cy - dir*uy*p.length/2}
	}
	var ks, ss, ls []float64
	var bs [][2]float64
	for start := range on {
		if len(on)-start <= len(ks) {
			break
		}
		cks, css, cls, cbs := []float64{0}, []float64{on[start].s}, []float64{on[start].length}, [][2]float64{basePt(on[start])}
		prev, k := on[start].s, 0
		for _, p := range on[start+1:] {
			d := (p.s - prev) / period
			m := math.Round(d)
			if m < 1 || m > 5 || math.Abs(d-m) > 0.25 {
				continue
			}
			k += int(m)
			prev = p.s
			cks, css, cls, cbs = append(cks, float64(k)), append(css, p.s), append(cls, p.length), append(cbs, basePt(p))
		}
		if len(cks) > len(ks) {
			ks, ss, ls, bs = cks, css, cls, cbs
		}
	}
	idx := map[int]float64{}
	for i, k := range ks {
		idx[int(k)] = ls[i]
	}
	if len(ks) < rulerMinTicks {
		return Ruler{}, nil, false
	}
	first, last := int(ks[0]), int(ks[len(ks)-1])
	if float64(len(ks)) < rulerFill*float64(last-first+1) {
		return Ruler{}, nil, false
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
		return Ruler{}, nil, false
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
		markMM: max(rulerMarkMM, 2*longest/ppm)}, bs, true
}

// angleDiff is the difference of two directions in [0, pi), modulo pi.
func angleDiff(a, b float64) float64 {
	d := math.Mod(math.Abs(a-b), math.Pi)
	return min(d, math.Pi-d)
}

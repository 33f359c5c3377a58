package detect

import (
	"image"
	"math"
	"sort"
)

// Scale bars. A solid dark bar of a stated length in view
// (Options.SolidBarMM: a printed "10 mm" bar on a label, a strip of black
// tape cut to length) gives the frame's scale and is no specimen. A bar
// carries nothing that says how long it is, so it is sought only when its
// length is configured.
//
// A component (before splitting, as checkerboards and rulers) is looked
// at when its major axis, at the configured scale, lies within a factor
// solidBarRange of the stated length. At full resolution, in its box
// widened for the surround, the pixels darker than half the bar's depth
// below the surround (the box's 90th luma percentile) form 4-connected
// blobs; the largest is a bar when it is a dark, even rectangle standing
// free: solidBarAspect times as long as wide or more and at least
// minBarWidthPx wide, filling solidBarFill of the rectangle its moments
// give and reaching no further (a round-ended body does), with square
// ends (near each end it spans solidBarEnds of its width), its luma at
// most solidBarDark of the surround's, its inner pixels' luma within
// solidBarEven of the box's range (10th to 90th percentile), light on all
// four sides and clear of the box's edges (on ../shared/realframes the
// cards' straight edges against dark cloth passed every other test). Of
// the bars found, the one whose fill is nearest 1 is taken; the others
// stay components, so an insect shaped like a bar is not lost with it.
const (
	solidBarRange  = 2.5
	solidBarAspect = 3.0
	minBarWidthPx  = 3
	solidBarFill   = 0.9
	solidBarEnds   = 0.85
	solidBarDark   = 0.5
	solidBarEven   = 0.25
)

// SolidBar is a solid scale bar of the configured length seen on the frame.
type SolidBar struct {
	// Box is where it is (frame coordinates).
	Box image.Rectangle
	// LengthPx and WidthPx are its sides in frame pixels (from the second
	// moments of its pixels, which a blurred edge does not shift);
	// Angle is its long side's direction (radians, from the x axis).
	LengthPx, WidthPx, Angle float64
	// Fill is its dark pixels' count over its rectangle's area (about 1;
	// a little more where blur widens it past its moments).
	Fill float64
}

// mayBeSolidBar reports whether component c (working cells of f frame pixels)
// is about as long as a bar of barMM at pxPerMM: the cheap test before
// the full-resolution one.
func mayBeSolidBar(c component, f int, barMM, pxPerMM float64) bool {
	_, _, major, minor, _ := c.m.axes()
	l := major * float64(f) / pxPerMM
	// Working cells round a thin bar's width up: allow another half.
	return l >= barMM/(1.5*solidBarRange) && l <= 1.5*solidBarRange*barMM && major >= solidBarAspect*minor/1.5
}

// findSolidBar looks for a solid bar of barMM (at about pxPerMM) inside
// box (see SolidBar).
func findSolidBar(img image.Image, box image.Rectangle, barMM, pxPerMM float64) (SolidBar, bool) {
	// Room for the surround on every side: half the box's shorter side
	// (a level bar's width) and 4 px.
	box = box.Inset(-4 - min(box.Dx(), box.Dy())/2).Intersect(img.Bounds())
	w, h := box.Dx(), box.Dy()
	if w < 8 || h < 8 || w*h > 4<<20 {
		return SolidBar{}, false
	}
	lum, hist := boxLuma(img, box)
	// The bar may be a small part of its box (a thin bar, turned): its
	// darkest pixels against the box's light part.
	lo, hi := percentile(hist, 0.005), percentile(hist, 0.9)
	if hi-lo < 40 {
		return SolidBar{}, false
	}
	// Its edges at half its depth below the surround (the half-maximum
	// edge a blur does not shift): first halfway from the darkest pixels,
	// then from the blob's median.
	thr := uint8((lo + hi) / 2)
	px := largestBlob(lum, w, h, thr)
	if len(px) > 0 {
		v := make([]int, len(px))
		for i, k := range px {
			v[i] = int(lum[k])
		}
		sort.Ints(v)
		thr = uint8((v[len(v)/2] + hi) / 2)
		px = largestBlob(lum, w, h, thr)
	}
	if len(px) < 4*minBarWidthPx*minBarWidthPx {
		return SolidBar{}, false
	}
	var m moments
	x0, y0, x1, y1 := w, h, 0, 0
	for _, k := range px {
		x, y := k%w, k/w
		m.add(float64(x), float64(y))
		x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x+1), max(y1, y+1)
	}
	if x0 == 0 || y0 == 0 || x1 == w || y1 == h {
		return SolidBar{}, false // it runs on: the card's edge, a cable, the frame's border
	}
	cx, cy, major, minor, angle := m.axes()
	// For a filled rectangle major = 2 L / sqrt(3): axes() returns 4 sigma.
	l, wd := major*math.Sqrt(3)/2, minor*math.Sqrt(3)/2
	if wd < minBarWidthPx || l < solidBarAspect*wd {
		return SolidBar{}, false
	}
	if lmm := l / pxPerMM; lmm < barMM/solidBarRange || lmm > solidBarRange*barMM {
		return SolidBar{}, false
	}
	fill := m.n / (l * wd)
	if fill < solidBarFill || fill > 1/solidBarFill {
		return SolidBar{}, false
	}
	// Square ends: the pixels from 0.1 to 0.4 widths inside each end (the
	// blob's extreme pixels along its axis) fill that stretch of the
	// rectangle, and the blob's extent is the length its moments give (a
	// round-ended body reaches further than its moments say).
	c, s := math.Cos(angle), math.Sin(angle)
	us := make([]float64, len(px))
	uMin, uMax := math.Inf(1), math.Inf(-1)
	for i, k := range px {
		u := c*(float64(k%w)-cx) + s*(float64(k/w)-cy)
		us[i], uMin, uMax = u, min(uMin, u), max(uMax, u)
	}
	if ext := uMax - uMin + 1; math.Abs(ext-l) > max(2, 0.03*l) {
		return SolidBar{}, false
	}
	var near [2]int
	inner := make([]int, 0, len(px))
	for i, k := range px {
		u, v := us[i], -s*(float64(k%w)-cx)+c*(float64(k/w)-cy)
		d0, d1 := u-uMin, uMax-u
		switch {
		case d0 >= 0.1*wd && d0 < 0.4*wd:
			near[0]++
		case d1 >= 0.1*wd && d1 < 0.4*wd:
			near[1]++
		case min(d0, d1) >= 0.5*wd && math.Abs(v) <= wd/4:
			inner = append(inner, int(lum[k]))
		}
	}
	want := 0.3 * wd * wd
	if float64(min(near[0], near[1])) < solidBarEnds*want || len(inner) < 8 {
		return SolidBar{}, false
	}
	if !lightAround(lum, w, h, cx, cy, angle, l, wd, uint8(thr)+(uint8(hi)-thr)/2) {
		return SolidBar{}, false
	}
	sort.Ints(inner)
	p10, p90 := inner[len(inner)/10], inner[len(inner)*9/10]
	var sum float64
	for _, k := range px {
		sum += float64(lum[k])
	}
	if sum/m.n > solidBarDark*float64(hi) || float64(p90-p10) > solidBarEven*float64(hi-lo) {
		return SolidBar{}, false
	}
	return SolidBar{Box: image.Rect(x0, y0, x1, y1).Add(box.Min), LengthPx: l, WidthPx: wd, Angle: angle, Fill: fill}, true
}

// largestBlob returns the pixel indices of the largest 4-connected blob of
// lum's pixels at or below thr (w x h).
func largestBlob(lum []uint8, w, h int, thr uint8) []int {
	seen := make([]bool, w*h)
	var best, cur []int
	for i, v := range lum {
		if seen[i] || v > thr {
			continue
		}
		seen[i] = true
		cur = append(cur[:0], i)
		for j := 0; j < len(cur); j++ {
			k := cur[j]
			x := k % w
			for _, q := range [4]int{k - 1, k + 1, k - w, k + w} {
				if q < 0 || q >= w*h || (q == k-1 && x == 0) || (q == k+1 && x == w-1) {
					continue
				}
				if !seen[q] && lum[q] <= thr {
					seen[q] = true
					cur = append(cur, q)
				}
			}
		}
		if len(cur) > len(best) {
			best = append(best[:0], cur...)
		}
	}
	return best
}

// A bar's caption ("10 mm") is printed ink beside it: pieces thin and
// dark as printed text is (dropTextLines: at most textThin of their box's
// longer side thick, at least textDark in contrast), centred within
// captionAlongMM of the bar's ends along it and captionAcrossMM of its
// sides across it. Unlike a line of text, a caption may be two or three
// pieces ("10", "mm"), so it is told by where it lies.
const (
	captionAlongMM  = 15
	captionAcrossMM = 8
)

// dropCaptions removes the specimens that are the captions of bars (bars
// of barMM each).
func dropCaptions(ss []Specimen, bars []SolidBar, barMM float64) []Specimen {
	if len(bars) == 0 {
		return ss
	}
	kept := ss[:0]
	for _, sp := range ss {
		caption := false
		for _, b := range bars {
			ppm := b.LengthPx / barMM
			bx, by := float64(b.Box.Min.X+b.Box.Max.X)/2, float64(b.Box.Min.Y+b.Box.Max.Y)/2
			c, s := math.Cos(b.Angle), math.Sin(b.Angle)
			dx, dy := sp.CenterX-bx, sp.CenterY-by
			u, v := math.Abs(c*dx+s*dy), math.Abs(-s*dx+c*dy)
			near := u <= b.LengthPx/2+captionAlongMM*ppm && v <= b.WidthPx/2+captionAcrossMM*ppm
			thin := sp.ThicknessPx <= textThin*float64(max(sp.Box.Dx(), sp.Box.Dy()))
			if near && thin && sp.Contrast >= textDark {
				caption = true
			}
		}
		if !caption {
			kept = append(kept, sp)
		}
	}
	return kept
}

// lightAround reports whether the surround of the bar (centre cx, cy,
// direction angle, sides l x wd, in lum's w x h pixels) is light: beyond
// each of its four sides, a band 1 px off it and max(2, wd/2) px deep
// averages light or more. A card's edge against dark cloth, or a shadow's
// edge, is dark on one side.
func lightAround(lum []uint8, w, h int, cx, cy, angle, l, wd float64, light uint8) bool {
	c, s := math.Cos(angle), math.Sin(angle)
	depth := max(2, wd/2)
	var sum, n [4]float64
	for y := range h {
		for x := range w {
			dx, dy := float64(x)-cx, float64(y)-cy
			u, v := c*dx+s*dy, -s*dx+c*dy
			au, av := math.Abs(u), math.Abs(v)
			side := -1
			switch {
			case au <= l/2-wd/2 && av >= wd/2+1 && av < wd/2+1+depth:
				side = 0
				if v > 0 {
					side = 1
				}
			case av <= wd/2 && au >= l/2+1 && au < l/2+1+depth:
				side = 2
				if u > 0 {
					side = 3
				}
			}
			if side >= 0 {
				sum[side] += float64(lum[y*w+x])
				n[side]++
			}
		}
	}
	for k := range sum {
		want := depth * (l - wd) // a long side's band
		if k >= 2 {
			want = depth * wd
		}
		if n[k] < want/2 || sum[k]/n[k] < float64(light) {
			return false
		}
	}
	return true
}

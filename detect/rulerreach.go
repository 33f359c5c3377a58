package detect

import (
	"image"
	"math"
	"sort"
)

// How far a ruler reaches. The component a ruler is found in may hold
// only part of it: the rest lies in other components (a clear ruler on a
// card, seen in pieces), or its ticks merge with a dark surface or glare
// beside its edge. Its numbers beyond the ticks found were then reported
// as specimens.

// extend looks in box (a component lying across the ruler, beyond its
// ends) for ticks of the ruler's grid (gridTicks). With rulerMoreTicks or
// more the ruler reaches over them (a clear ruler on a card is seen in
// pieces: its ticks against the card, one component per stretch).
func (r *Ruler) extend(img image.Image, box image.Rectangle) bool {
	at := r.gridTicks(readTicks(img, box, 2), rulerInk)
	if len(at) < rulerMoreTicks {
		return false
	}
	r.first, r.last = min(r.first, at[0]), max(r.last, at[len(at)-1])
	return true
}

// grow reaches each of the ruler's ends over the ticks of its grid
// (gridTicks, read at rulerInk and at rulerInkDeep) in its strip beyond
// that end, rulerGrowMM at a time, that continue its run of ticks with
// gaps of at most rulerGapMM. Where the surface beside the ruler is about
// as dark as rulerInk reads, or glare lies along it, the ticks standing on
// its edge merge with it: the ruler's component then holds only part of
// its ticks, and its numbers beyond them were reported as specimens (2 of
// 6 real cards with a white ruler drawn on them).
func (r *Ruler) grow(img image.Image) {
	r.first, r.last = r.reach(img, r.first, -1), r.reach(img, r.last, 1)
}

// reach returns how far the ruler's run of ticks goes on from its end
// (first or last) in direction step (-1 or 1).
func (r *Ruler) reach(img image.Image, end, step int) int {
	for {
		rd, on := readTicks(img, r.strip(float64(end), float64(end+step*rulerGrowMM)), 2), map[int]bool{}
		for _, ink := range []float64{rulerInk, rulerInkDeep} {
			for _, s := range r.gridTicks(rd, ink) {
				on[s] = true
			}
		}
		next := end
		for s, gap := end+step, 0; gap < rulerGapMM; s += step {
			if gap++; on[s] {
				next, gap = s, 0
			}
		}
		if next == end {
			return end
		}
		end = next
	}
}

// strip returns the frame box holding the ruler's markings (3 mm outside
// its base line to markMM inside) between s0 and s1 mm along it.
func (r Ruler) strip(s0, s1 float64) image.Rectangle {
	ux, uy := math.Cos(r.Angle), math.Sin(r.Angle)
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, s := range [2]float64{s0, s1} {
		for _, t := range [2]float64{-3, r.markMM} {
			// the inverse of coords
			x := r.ox + r.PixelsPerMM*(-uy*s+r.dir*ux*t)
			y := r.oy + r.PixelsPerMM*(ux*s+r.dir*uy*t)
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
		}
	}
	return image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1)), int(math.Ceil(y1)))
}

// rulerInkDeep is grow's second ink level (of the box's 90th percentile),
// under a dark surface beside the ruler; rulerGapMM the most a run of
// ticks may miss (as tickGrid allows); rulerGrowMM how far beyond an
// end reach reads at a time.
const (
	rulerInkDeep = 0.3
	rulerGapMM   = 5
	rulerGrowMM  = 30
)

// gridTicks returns the positions (mm from the first tick, ascending)
// of the ruler's grid that hold a tick in rd: a thin blob darker than ink
// times the box's 90th percentile, parallel to the ruler's ticks,
// standing on its base line, on its millimetres.
func (r *Ruler) gridTicks(rd tickReading, ink float64) []int {
	var at []int
	for _, tk := range rd.at(ink) {
		if angleDiff(tk.angle, r.Angle) > rulerAngleTol {
			continue
		}
		s, t := r.coords(tk.cx+float64(rd.box.Min.X), tk.cy+float64(rd.box.Min.Y))
		if math.Abs(t-tk.length/2/r.PixelsPerMM) > rulerBaseTol || math.Abs(s-math.Round(s)) > 0.25 {
			continue
		}
		at = append(at, int(math.Round(s)))
	}
	sort.Ints(at)
	return at
}

// rulerMoreTicks: see Ruler.extend.
const rulerMoreTicks = 3

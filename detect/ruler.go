package detect

import (
	"image"
	"math"
)

// Rulers. A millimetre ruler lying in view (a common scale reference in
// photos of sheets and cards) is no specimen, and its ticks give the
// frame's scale with nothing to configure: they stand 1 mm apart, with a
// longer one every 5 mm. Drawn on ../shared/realframes' frames (none has
// one), a white ruler on a yellow card came out as two specimens of
// 500-650 px and a wooden one on a light sheet as one of 1 568 px
// (TestRealFramesWithRuler in detect/realeval).
//
// The ticks are sought in every component at least minRulerPx long,
// before components are split (as checkerboards): at full resolution, the
// dark blobs inside its box (luma under rulerInk of the box's 90th
// percentile, or rulerInkDeep when that finds no ruler) that are thin
// lines (major axis rulerAspect times the minor or more), parallel (within
// rulerAngleTol of their commonest direction, which is then taken from
// the line through their ends: rulergrid.go), standing on one base line
// (their near ends within rulerBaseTol of the period of it) and on a grid
// along it: rulerMinTicks or more ticks each
// a whole number of periods (1-5) after the last, within a quarter
// period, making at least rulerFill of the positions between the first
// and last, and one tick in five (one residue of the position mod 5)
// longer than the rest by rulerLongTick on average. Text, a moth's
// veins, a sheet's weave or a glue streak line up this way only by
// accident. The ruler then reaches over the rest of its ticks, in other
// components or merged with shade beside it (rulerreach.go).
const (
	minRulerPx    = 100
	rulerInk      = 0.55
	rulerAspect   = 4.0
	rulerAngleTol = 8 * math.Pi / 180
	rulerBaseTol  = 0.6
	rulerMinTicks = 15
	rulerFill     = 0.8
	rulerLongTick = 1.25
	// rulerBodyMM is how far the ruler's body is taken to reach from the
	// ticks' base line, towards the ticks (a ruler 20-30 mm wide): the
	// components across it holding more of its ticks extend it.
	rulerBodyMM = 30
	// rulerMarkMM is the least depth of its markings (ticks and numbers)
	// from the base line; twice its longest tick when that is more.
	// Components lying within them go with the ruler; an insect seen
	// through a clear ruler beyond them is kept.
	rulerMarkMM = 12
	// rulerStripMM: a piece across the ruler this long along it or more is
	// a strip of its body (its edge, a band of shade), not an insect.
	rulerStripMM = 20
)

// Ruler is a millimetre ruler seen on the frame.
type Ruler struct {
	// Box is the box of the component its ticks were found in (frame
	// coordinates).
	Box image.Rectangle
	// PixelsPerMM is the ticks' spacing (a least-squares fit of their
	// positions on the grid).
	PixelsPerMM float64
	// Ticks is how many grid positions hold a tick; Angle is the ticks'
	// direction in radians from +x (y down), in [0, pi).
	Ticks int
	Angle float64
	// (ox, oy) is the base line's point at the first tick found and dir
	// the sign that turns the ticks' direction towards the ticks (see
	// coords); first and last are the outer ticks' positions in mm from
	// that tick.
	ox, oy, dir float64
	first, last int
	// markMM is the depth of its markings (see rulerMarkMM).
	markMM float64
}

// coords returns the frame point (x, y) in ruler coordinates: s along
// it in mm from its first tick, t across it in mm from the base line
// towards the ticks.
func (r Ruler) coords(x, y float64) (s, t float64) {
	ux, uy := math.Cos(r.Angle), math.Sin(r.Angle)
	s = ((x-r.ox)*-uy + (y-r.oy)*ux) / r.PixelsPerMM
	t = r.dir * ((x-r.ox)*ux + (y-r.oy)*uy) / r.PixelsPerMM
	return s, t
}

// rulerEndMM: a ruler's end reaches this far (mm) beyond its outer ticks.
const rulerEndMM = 12

// inBand reports whether t (ruler coordinates) lies across the ruler:
// between 3 mm outside its base line and rulerBodyMM inside it.
func inBand(t float64) bool { return t >= -3 && t <= rulerBodyMM }

// holds reports whether the frame point (x, y) lies on the ruler's
// markings: between 1 mm outside its base line and markMM inside it, and
// within rulerEndMM beyond its first and last ticks. (The ticks start at
// the edge: at 3 mm, a whitefly beside the edge went with the ruler.)
func (r Ruler) holds(x, y float64) bool {
	s, t := r.coords(x, y)
	return s >= float64(r.first)-rulerEndMM && s <= float64(r.last)+rulerEndMM && t >= -1 && t <= r.markMM
}

// onRuler reports whether box lies on one of the rulers: its centre and
// at least three of its corners on the ruler's markings (Ruler.holds), or
// its centre across the ruler and either beyond its outer ticks (an end
// of its body) or its box rulerStripMM or more long along it (a strip of
// its body or edge).
func onRuler(box image.Rectangle, rulers []Ruler) bool {
	x0, y0, x1, y1 := float64(box.Min.X), float64(box.Min.Y), float64(box.Max.X), float64(box.Max.Y)
	corners := [4][2]float64{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}}
	for _, r := range rulers {
		s, t := r.coords((x0+x1)/2, (y0+y1)/2)
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range corners {
			cs, _ := r.coords(p[0], p[1])
			lo, hi = min(lo, cs), max(hi, cs)
		}
		if inBand(t) && s >= float64(r.first)-rulerEndMM && s <= float64(r.last)+rulerEndMM &&
			(s < float64(r.first) || s > float64(r.last) || hi-lo >= rulerStripMM) {
			return true
		}
		if !r.holds((x0+x1)/2, (y0+y1)/2) {
			continue
		}
		n := 0
		for _, p := range corners {
			if r.holds(p[0], p[1]) {
				n++
			}
		}
		if n >= 3 {
			return true
		}
	}
	return false
}

// extendRulers extends each ruler over the boxes (components not yet
// taken) lying across it beyond its ends that hold more of its ticks (see
// Ruler.extend), again until none does, and reports which boxes did: they
// are pieces of the ruler.
func extendRulers(img image.Image, rulers []Ruler, boxes []image.Rectangle) []bool {
	ticked := make([]bool, len(boxes))
	for i := range rulers {
		r := &rulers[i]
		for grown := true; grown; {
			grown = false
			for k, box := range boxes {
				s, t := r.coords(float64(box.Min.X+box.Max.X)/2, float64(box.Min.Y+box.Max.Y)/2)
				if !ticked[k] && inBand(t) && (s < float64(r.first)-rulerEndMM || s > float64(r.last)+rulerEndMM) &&
					s > float64(r.first)-3*rulerEndMM && s < float64(r.last)+3*rulerEndMM && r.extend(img, box) {
					ticked[k], grown = true, true
				}
			}
		}
	}
	return ticked
}

// A ruler cut into pieces. On a glossy card a white ruler's body is cut
// by glare and shade into components of fewer than rulerMinTicks ticks
// each, and none is a ruler alone (2 of 6 real cards with a ruler drawn on
// them). Components at least minRulerPiecePx long holding
// rulerPieceTicks thin blobs or more are gathered when their boxes come
// within half the smaller one's shorter side (and 8 px) of each other;
// each gathering of two or more is searched whole.
const (
	minRulerPiecePx = 32
	rulerPieceTicks = 5
)

// rulersInPieces searches the gatherings of pieces (boxes of components
// holding rulerPieceTicks tick candidates or more) for rulers.
func rulersInPieces(img image.Image, pieces []image.Rectangle) []Ruler {
	parent := make([]int, len(pieces))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	for i, a := range pieces {
		for j := i + 1; j < len(pieces); j++ {
			b := pieces[j]
			g := 8 + min(a.Dx(), a.Dy(), b.Dx(), b.Dy())/2
			if a.Inset(-g).Overlaps(b) {
				parent[find(i)] = find(j)
			}
		}
	}
	groups := map[int][]image.Rectangle{}
	for i, p := range pieces {
		groups[find(i)] = append(groups[find(i)], p)
	}
	var out []Ruler
	for i := range pieces {
		g := groups[i]
		if len(g) < 2 {
			continue
		}
		box := g[0]
		for _, p := range g[1:] {
			box = box.Union(p)
		}
		if r, ok := findRuler(img, box); ok {
			out = append(out, r)
		}
	}
	return out
}

package detect

import (
	"image"
	"math"
)

// A card that moved. A sticky card swinging on its hanger, or a camera
// knocked, moves every speck alike: shifted, and turned a little about
// some point. The new-surface rule (tracksurface.go) looks for that
// motion before it takes a frame for another card, and a frame taken for
// the same card moved carries the tracks with it.

// motion maps a frame's boxes onto the reference's: each box's centre
// turned by theta (radians) about c, then shifted by d. Boxes keep their
// size (a card turns by a few degrees at most).
type motion struct {
	theta float64
	c, d  image.Point
}

// still reports whether m moves nothing.
func (m motion) still() bool { return m.theta == 0 && m.d == (image.Point{}) }

// apply moves r by m.
func (m motion) apply(r image.Rectangle) image.Rectangle {
	return r.Add(m.turn(centre(r), m.theta).Add(m.d).Sub(centre(r)))
}

// undo moves r by the inverse of m.
func (m motion) undo(r image.Rectangle) image.Rectangle {
	return r.Add(m.turn(centre(r).Sub(m.d), -m.theta).Sub(centre(r)))
}

// turn turns p by theta about m.c.
func (m motion) turn(p image.Point, theta float64) image.Point {
	if theta == 0 {
		return p
	}
	x, y := float64(p.X-m.c.X), float64(p.Y-m.c.Y)
	sin, cos := math.Sincos(theta)
	return image.Pt(m.c.X+int(math.Round(x*cos-y*sin)), m.c.Y+int(math.Round(x*sin+y*cos)))
}

func centre(r image.Rectangle) image.Point { return r.Min.Add(r.Max).Div(2) }

// surfaceReach is how far, in walks (Tracker.MaxMove), the rule looks for
// a shift of the whole surface: 6 mm on a card.
const surfaceReach = 3

// surfaceTurns are the turns (degrees) the rule tries, none first; 0.5
// degree apart, a card 150 mm long is at most 0.3 mm off at its ends.
var surfaceTurns = []float64{0, -0.5, 0.5, -1, 1, -1.5, 1.5, -2, 2, -2.5, 2.5, -3, 3}

// moveAll returns boxes moved by m.
func moveAll(boxes []image.Rectangle, m motion) []image.Rectangle {
	out := make([]image.Rectangle, len(boxes))
	for i, b := range boxes {
		out[i] = m.apply(b)
	}
	return out
}

// commonShift returns the shift d (within reach px in x and y) that moves
// the most box centres onto a centre of ref, and how many pairs voted for
// it: each pair within reach votes for its difference in 2 px bins,
// summed over 3 x 3 bins. It reports 0 votes when reach < 2 or there is
// no pair.
func commonShift(boxes, ref []image.Rectangle, g *boxGrid, reach int) (image.Point, int) {
	const bin = 2
	if reach < bin {
		return image.Point{}, 0
	}
	n := 2*reach/bin + 1
	votes := make([]int, n*n)
	for _, b := range boxes {
		c := centre(b)
		g.each(b.Inset(-reach), func(i int) {
			d := centre(ref[i]).Sub(c)
			if d.X >= -reach && d.X <= reach && d.Y >= -reach && d.Y <= reach {
				votes[(d.Y+reach)/bin*n+(d.X+reach)/bin]++
			}
		})
	}
	best, bi := 0, -1
	for y := 1; y < n-1; y++ {
		for x := 1; x < n-1; x++ {
			v := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					v += votes[(y+dy)*n+x+dx]
				}
			}
			if v > best {
				best, bi = v, y*n+x
			}
		}
	}
	if bi < 0 {
		return image.Point{}, 0
	}
	return image.Pt(bi%n*bin-reach, bi/n*bin-reach), best
}

// sameSurface reports whether NewSurfaceShare or more of boxes overlap a
// box of ref by MinIoU, as they are or moved; failing that, whether
// surfaceWalkShare of them lie within a walk of a ref box of about their
// size (on surfaceSearchMin boxes or more). When fewer than surfaceSearch
// overlap as they are, it looks for
// the motion that lays the most on ref: the shift (of at most
// surfaceReach walks) that most boxes agree on, after each of
// surfaceTurns about the reference's middle or none, and takes it when it
// lays 0.05 more of them on ref (and surfaceFewShare of fewer than
// surfaceSearchMin). It returns the motion taken (still for none).
func (t *Tracker) sameSurface(boxes, ref []image.Rectangle) (bool, motion) {
	var ext image.Rectangle
	for _, r := range ref {
		ext = ext.Union(r)
	}
	g := newRectGrid(ref, 64)
	none := motion{c: centre(ext)}
	still := overlapShare(boxes, ref, g, t.MinIoU)
	need := t.NewSurfaceShare // of boxes laid on ref by a motion
	if len(boxes) < surfaceSearchMin {
		need = max(need, surfaceFewShare)
	}
	if still < surfaceSearch {
		best, bestShare := none, still
		for _, deg := range surfaceTurns {
			m := motion{theta: deg * math.Pi / 180, c: none.c}
			turned := moveAll(boxes, m)
			d, votes := commonShift(turned, ref, g, int(surfaceReach*t.MaxMove))
			if m.d = d; votes == 0 || m.still() {
				continue
			}
			for i := range turned {
				turned[i] = turned[i].Add(d) // moved by m
			}
			if s := overlapShare(turned, ref, g, t.MinIoU); s > bestShare {
				best, bestShare = m, s
			}
		}
		if bestShare >= need && bestShare > still+0.05 {
			return true, best
		}
	}
	if still >= t.NewSurfaceShare {
		return true, none
	}
	return len(boxes) >= surfaceSearchMin && walkShare(boxes, ref, g, t.MaxMove) >= surfaceWalkShare, none
}

// surfaceSearch is the share of a frame's boxes overlapping the
// reference's under which the rule looks for a motion of the card: a card
// taken again overlaps 0.83-0.98 of them (tracksurface.go).
// On fewer than surfaceSearchMin boxes a motion must lay surfaceFewShare
// of them on the reference's, and the walk is not read: the best of 13
// turns and every shift lays a fifth of a few dozen boxes of a fresh card
// on an old card's by chance (a real card followed by another filling up
// 5 specks a frame was not told within 50 specks), while a card that
// moved lays most of its own (0.83-0.98 taken again).
const (
	surfaceSearch    = 0.8
	surfaceSearchMin = 50
	surfaceFewShare  = 0.5
)

// surfaceWalkShare is the share of a frame's boxes lying within a walk of
// the reference's that makes it the same surface whatever their overlap.
// On a card followed by another card, through the tracker's walk and part
// matches, 0.25 at the most (tracksurface.go).
const surfaceWalkShare = 0.5

// walkShare is the share of boxes whose centre lies within walk px of the
// centre of a box of ref (bucketed in g) of about their size: the
// tracker's walk match (walkDistance).
func walkShare(boxes, ref []image.Rectangle, g *boxGrid, walk float64) float64 {
	if len(boxes) == 0 || walk <= 0 {
		return 0
	}
	n := 0
	for _, b := range boxes {
		hit := false
		g.each(b.Inset(-int(math.Ceil(walk))), func(i int) {
			if d, ok := walkDistance(b, ref[i]); ok && d <= walk {
				hit = true
			}
		})
		if hit {
			n++
		}
	}
	return float64(n) / float64(len(boxes))
}

// moveTracks moves every remembered box by the inverse of m, where this
// frame's specimens are now: a card that moved carries its catches.
func (t *Tracker) moveTracks(m motion) {
	if m.still() {
		return
	}
	for i := range t.tracks {
		t.tracks[i].Box = m.undo(t.tracks[i].Box)
	}
	for i := range t.forgotten {
		t.forgotten[i] = m.undo(t.forgotten[i])
	}
}

package realeval

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"

	"github.com/trapnet/trapnet/detect"
)

// Whiteflies arriving on a card. A trap camera over a sticky card takes it
// again and again while catches arrive and stay; the agent should count
// each arrival once, on the take it first shows, and nothing else.
// CardArrivals makes such a series from one real card: every take is the
// card as it then is, with fresh sensor noise and JPEG at quality 90 (as
// the retake perturbation), and from the second take on perTake of the
// card's own whiteflies (its detections centred in an annotated whitefly,
// ArrivalMaxMM at most, with a margin feathered in; paste, as they are)
// are pasted on bare card and stay. The boxes of every take are kept, so that trackers can be
// compared on the same detections (ArrivalSeries.Count).

// ArrivalMaxMM is the longest side of a detection copied as an arriving
// whitefly (Bemisia and Trialeurodes adults are 1-1.5 mm; a box holds
// some margin).
const ArrivalMaxMM = 2.5

// arrivalClearMM is how far an arrival lands from every detection of the
// card as taken and every earlier arrival: on bare card.
const arrivalClearMM = 3

// ArrivalSeries is one card taken again and again while whiteflies arrive.
type ArrivalSeries struct {
	Frame Frame
	// Takes holds the detections of each take, Arrivals the boxes of the
	// whiteflies pasted on each (none on the first).
	Takes, Arrivals [][]image.Rectangle
}

// ArrivalCount is how a tracker counted an ArrivalSeries.
type ArrivalCount struct {
	// Arrivals is how many whiteflies arrived, Detected how many of them
	// a detection matched on the take they arrived on, Counted how many a
	// detection the tracker called new matched on that take or a later one.
	Arrivals, Detected, Counted int
	// OtherNew counts the other detections called new after the first
	// take: specks first crossing the detection floor, or counted again.
	OtherNew int
}

// CardArrivals takes the sticky card f (img as taken) takes times, with
// perTake whiteflies arriving on each take from the second; the same seed
// gives the same series. It returns an error when detection fails or the
// card has no whitefly to copy.
func CardArrivals(f Frame, img image.Image, takes, perTake int, seed uint64) (ArrivalSeries, error) {
	s := ArrivalSeries{Frame: f}
	first, err := DetectBoxes(f, img)
	if err != nil {
		return s, err
	}
	ppm := f.Scale()
	var srcs []image.Rectangle
	for _, d := range first {
		if float64(LongestSide(d)) > ArrivalMaxMM*ppm {
			continue
		}
		c := image.Pt((d.Min.X+d.Max.X)/2, (d.Min.Y+d.Max.Y)/2)
		for _, a := range f.Ann.Insects() {
			if c.In(a) {
				srcs = append(srcs, d)
				break
			}
		}
	}
	if len(srcs) == 0 {
		return s, fmt.Errorf("realeval: %s: no detection centred in an annotated whitefly to copy", f.Path)
	}
	base := toRGBA(img)
	// The card's colour round the whiteflies: arrivals land where the
	// card looks the same (not on the cloth, a shadow or glare).
	var card [3]float64
	for _, r := range srcs {
		m := meanRGB(base, r.Inset(-8))
		for k := range card {
			card[k] += m[k] / float64(len(srcs))
		}
	}
	scene := image.NewRGBA(base.Rect)
	copy(scene.Pix, base.Pix)
	taken := append([]image.Rectangle(nil), first...)
	clear := int(math.Ceil(arrivalClearMM * ppm))
	margin := max(2, int(math.Round(0.5*ppm)))
	rng := rand.New(rand.NewPCG(seed, 3))
	b := base.Rect
	for t := range takes {
		var arr []image.Rectangle
		for range perTake {
			if t == 0 {
				break
			}
			for range 500 {
				src := srcs[rng.IntN(len(srcs))]
				lo := clear + margin
				if b.Dx() <= 2*lo+src.Dx() || b.Dy() <= 2*lo+src.Dy() {
					break
				}
				at := b.Min.Add(image.Pt(lo+rng.IntN(b.Dx()-2*lo-src.Dx()), lo+rng.IntN(b.Dy()-2*lo-src.Dy())))
				dst := image.Rectangle{Min: at, Max: at.Add(src.Size())}
				if overlapsAny(dst.Inset(-clear), taken, image.Rectangle{}) {
					continue
				}
				if m := meanRGB(base, dst.Inset(-8)); math.Abs(m[0]-card[0])+math.Abs(m[1]-card[1])+math.Abs(m[2]-card[2]) > 30 {
					continue
				}
				paste(scene, base, src, margin, at, 0, false)
				taken = append(taken, dst)
				arr = append(arr, dst)
				break
			}
		}
		boxes, err := DetectBoxes(f, reencode(sensorNoise(scene, int64(seed)+int64(t)+1, 0, 2), 90))
		if err != nil {
			return s, err
		}
		s.Takes = append(s.Takes, boxes)
		s.Arrivals = append(s.Arrivals, arr)
	}
	return s, nil
}

// Count feeds tr the series' takes in order and scores what it calls new.
func (s ArrivalSeries) Count(tr *detect.Tracker) ArrivalCount {
	var c ArrivalCount
	var pending []image.Rectangle // arrived, not yet counted
	for t, boxes := range s.Takes {
		c.Arrivals += len(s.Arrivals[t])
		for _, a := range s.Arrivals[t] {
			for _, d := range boxes {
				if Matches(d, a) {
					c.Detected++
					break
				}
			}
		}
		pending = append(pending, s.Arrivals[t]...)
		for i, tk := range tr.Update(boxes) {
			if !tk.New || t == 0 {
				continue
			}
			hit := -1
			for j, a := range pending {
				if Matches(boxes[i], a) {
					hit = j
					break
				}
			}
			if hit < 0 {
				c.OtherNew++
				continue
			}
			c.Counted++
			pending = append(pending[:hit], pending[hit+1:]...)
		}
	}
	return c
}

// CardSwap is how a tracker counted two cards' series fed one after the
// other: a used card swapped for another between two frames.
type CardSwap struct {
	// Told is the take of the second card (from 1) on which the tracker
	// first took it for a new card (detect.Tracker.Replaced), 0 for none;
	// FalseTold counts the takes of the first card on which it did.
	Told, FalseTold int
	// After counts the boxes called new on the second card's takes by the
	// tracker that saw the first card, Alone by a fresh one.
	After, Alone int
}

// Swap feeds a tracker from newTracker a's takes, then b's, and compares
// what it calls new on b with what a fresh tracker calls new on b alone.
func Swap(a, b ArrivalSeries, newTracker func(Frame) *detect.Tracker) CardSwap {
	var c CardSwap
	tr := newTracker(a.Frame)
	for _, boxes := range a.Takes {
		if tr.Update(boxes); tr.Replaced() {
			c.FalseTold++
		}
	}
	fresh := newTracker(b.Frame)
	for i, boxes := range b.Takes {
		c.After += newIn(tr.Update(boxes))
		if tr.Replaced() && c.Told == 0 {
			c.Told = i + 1
		}
		c.Alone += newIn(fresh.Update(boxes))
	}
	return c
}

// Filling makes of s a fresh card filling up: take t (from 0) shows only
// the specks of s's first take among the first perTake*(t+1) of them in an
// order the seed draws, as each take detected them (its box overlapping
// the speck's first box by IoU 0.3); a speck a take does not detect is not
// shown on it. The series' arrivals are left out.
func Filling(s ArrivalSeries, perTake int, seed uint64) ArrivalSeries {
	out := ArrivalSeries{Frame: s.Frame}
	if len(s.Takes) == 0 {
		return out
	}
	first := s.Takes[0]
	order := rand.New(rand.NewPCG(seed, 0)).Perm(len(first))
	for t, boxes := range s.Takes {
		var shown []image.Rectangle
		used := make([]bool, len(boxes))
		for _, k := range order[:min(len(order), perTake*(t+1))] {
			for i, b := range boxes {
				if !used[i] && detect.IoU(b, first[k]) >= 0.3 {
					shown, used[i] = append(shown, b), true
					break
				}
			}
		}
		out.Takes = append(out.Takes, shown)
		out.Arrivals = append(out.Arrivals, nil)
	}
	return out
}

// Moved makes of s the card moved from take from (counted from 0) on:
// every box of those takes turned deg degrees about the frame's middle,
// then shifted by mm (right, and half as much down), as a card swinging
// on its hanger or a knocked camera moves it. Arrivals move with it.
func Moved(s ArrivalSeries, from int, mm, deg float64) ArrivalSeries {
	w, h := float64(s.Frame.Ann.Width), float64(s.Frame.Ann.Height)
	d := image.Pt(int(math.Round(mm*s.Frame.Scale())), int(math.Round(mm*s.Frame.Scale()/2)))
	sin, cos := math.Sincos(deg * math.Pi / 180)
	move := func(bs []image.Rectangle) []image.Rectangle {
		out := make([]image.Rectangle, len(bs))
		for i, b := range bs {
			x, y := float64(b.Min.X+b.Max.X)/2-w/2, float64(b.Min.Y+b.Max.Y)/2-h/2
			out[i] = b.Add(image.Pt(int(math.Round(x*cos-y*sin-x)), int(math.Round(x*sin+y*cos-y)))).Add(d)
		}
		return out
	}
	out := ArrivalSeries{Frame: s.Frame}
	for t := range s.Takes {
		takes, arr := s.Takes[t], s.Arrivals[t]
		if t >= from {
			takes, arr = move(takes), move(arr)
		}
		out.Takes = append(out.Takes, takes)
		out.Arrivals = append(out.Arrivals, arr)
	}
	return out
}

// newIn counts the new tracks.
func newIn(ts []detect.Track) int {
	n := 0
	for _, t := range ts {
		if t.New {
			n++
		}
	}
	return n
}

// meanRGB is the mean colour of img over r (within its bounds).
func meanRGB(img *image.RGBA, r image.Rectangle) [3]float64 {
	r = r.Intersect(img.Rect)
	var m [3]float64
	n := float64(r.Dx() * r.Dy())
	if n == 0 {
		return m
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x, y)
			m[0], m[1], m[2] = m[0]+float64(c.R)/n, m[1]+float64(c.G)/n, m[2]+float64(c.B)/n
		}
	}
	return m
}

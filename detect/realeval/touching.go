package realeval

import (
	"image"
	"math"

	"github.com/trapnet/trapnet/camera"
)

// Insects resting against each other. On a busy light sheet moths settle
// wing to wing; the frames as taken show few such pairs, so Touching makes
// them: beside each annotated insect it pastes a neighbour (a copy of the
// insect, or of another insect of the frame) and counts how often the
// detector finds both.

// Pair is an annotated insect and the neighbour pasted beside it.
type Pair struct{ Insect, Neighbour image.Rectangle }

// Neighbours chooses what rests beside each insect.
type Neighbours int

const (
	// Copies: a copy of the insect itself, as it lies.
	Copies Neighbours = iota
	// Others: a copy of the frame's other insect nearest it in size,
	// turned by 0-3 quarters (the insect's index modulo 4), as different
	// insects lie.
	Others
)

// TouchResult is how the pairs of one gap fared over the frames.
type TouchResult struct {
	Pairs, Split int   // pairs made; pairs with both insects found
	Score        Score // the frames scored with the neighbours as insects
	Worst        float64
}

// Touching pastes a neighbour gap px beside every insect of 40-400 px of
// each frame (where it lands clear of every annotated box), runs detector,
// and scores the frames with the neighbours added as insects. A pair counts
// as split when both its boxes are matched (the README's rule). lost, when
// not nil, is called for every pair not split with the frame searched and
// the detections. Frames that cannot be decoded or searched are skipped and
// returned.
func Touching(frames []Frame, gap int, with Neighbours, detector Detector, lost func(f Frame, img *image.RGBA, boxes []image.Rectangle, p Pair)) (TouchResult, []string) {
	var res TouchResult
	var skipped []string
	for _, f := range frames {
		img, err := camera.DecodeFile(f.Path, 0)
		if err != nil {
			skipped = append(skipped, f.Path+": "+err.Error())
			continue
		}
		out, ann, pairs := WithNeighbours(img, f.Ann, gap, with)
		boxes, err := detector(f, out)
		if err != nil {
			skipped = append(skipped, f.Path+": "+err.Error())
			continue
		}
		s := ScoreFrame(ann, boxes, false)
		res.Score.Add(s)
		res.Worst = max(res.Worst, s.CountError())
		ins := ann.Insects()
		ofIns, _ := Assign(ins, boxes)
		idx := map[image.Rectangle]int{}
		for i, r := range ins {
			idx[r] = i
		}
		for _, p := range pairs {
			res.Pairs++
			if ofIns[idx[p.Insect]] >= 0 && ofIns[idx[p.Neighbour]] >= 0 {
				res.Split++
			} else if lost != nil {
				lost(f, out, boxes, p)
			}
		}
	}
	return res, skipped
}

// WithNeighbours returns img with a neighbour pasted beside each insect of
// a of 40-400 px, gap px from its box (to the right, else left, below or
// above: the first side where it lands clear of every annotated box by 12
// px), the annotation with the neighbours added as insects, and the pairs.
// A neighbour is blended in as the darker of it and the sheet, feathered
// over 6 px; the annotated boxes hold the insects with a margin of a few
// pixels, so at gap 0 most pairs touch or overlap.
func WithNeighbours(img image.Image, a Annotation, gap int, with Neighbours) (*image.RGBA, Annotation, []Pair) {
	c := newCanvas(img, a)
	var pairs []Pair
	for i, r := range c.sized {
		src, turns := r, 0
		if with == Others {
			if len(c.sized) < 2 {
				continue
			}
			src, turns = nearestInSize(c.sized, i), i%4
		}
		size := turnedSize(src, turns)
		for _, at := range []image.Point{r.Min.Add(image.Pt(r.Dx()+gap, 0)), r.Min.Add(image.Pt(-size.X-gap, 0)), r.Min.Add(image.Pt(0, r.Dy()+gap)), r.Min.Add(image.Pt(0, -size.Y-gap))} {
			dst := image.Rectangle{Min: at, Max: at.Add(size)}
			if !dst.Inset(-2).In(c.base.Bounds()) || overlapsAny(dst.Inset(-12), c.taken, r) {
				continue
			}
			c.put(src, at, turns, "neighbour")
			pairs = append(pairs, Pair{r, dst})
			break
		}
	}
	return c.out, c.ann, pairs
}

// canvas is a frame insects are pasted on (WithNeighbours, Crowded): the
// frame as it was, the copy pasted on, its annotation with the pasted
// insects added, every box taken, and the frame's insects of 40-400 px
// (the ones copied).
type canvas struct {
	base, out    *image.RGBA
	ann          Annotation
	taken, sized []image.Rectangle
}

func newCanvas(img image.Image, a Annotation) *canvas {
	c := &canvas{base: toRGBA(img), ann: a}
	c.out = image.NewRGBA(c.base.Bounds())
	copy(c.out.Pix, c.base.Pix)
	c.ann.Objects = append([]Object(nil), a.Objects...)
	for _, o := range a.Objects {
		c.taken = append(c.taken, o.Rect())
	}
	for _, r := range a.Insects() {
		if s := LongestSide(r); s >= 40 && s <= 400 {
			c.sized = append(c.sized, r)
		}
	}
	return c
}

// put pastes the insect in src, turned by turns quarters, at at (blended
// in as the darker of it and the sheet, feathered over 6 px), and adds it
// to the annotation as an insect with note.
func (c *canvas) put(src image.Rectangle, at image.Point, turns int, note string) {
	dst := image.Rectangle{Min: at, Max: at.Add(turnedSize(src, turns))}
	paste(c.out, c.base, src, 6, at, turns, true)
	c.taken = append(c.taken, dst)
	c.ann.Objects = append(c.ann.Objects, Object{Box: [4]int{dst.Min.X, dst.Min.Y, dst.Max.X, dst.Max.Y}, Kind: KindInsect, Note: note})
}

// turnedSize is r's size turned by turns quarters.
func turnedSize(r image.Rectangle, turns int) image.Point {
	if turns%2 == 1 {
		return image.Pt(r.Dy(), r.Dx())
	}
	return r.Size()
}

// nearestInSize returns the box of boxes other than boxes[i] whose longest
// side is nearest boxes[i]'s (the first such).
func nearestInSize(boxes []image.Rectangle, i int) image.Rectangle {
	best, bd := image.Rectangle{}, math.MaxInt
	for j, b := range boxes {
		if d := LongestSide(b) - LongestSide(boxes[i]); j != i && max(d, -d) < bd {
			best, bd = b, max(d, -d)
		}
	}
	return best
}

// overlapsAny reports whether r overlaps a box of taken other than except.
func overlapsAny(r image.Rectangle, taken []image.Rectangle, except image.Rectangle) bool {
	for _, t := range taken {
		if t != except && t.Overlaps(r) {
			return true
		}
	}
	return false
}

// paste blends src's patch r, grown by m px and feathered over them, into
// dst with r's top-left at at after turning it by turns quarters clockwise:
// with darker as the darker of the two (an insect over the sheet or over
// another insect's wing), else as it is (a whitefly, whiter than its card).
func paste(dst, src *image.RGBA, r image.Rectangle, m int, at image.Point, turns int, darker bool) {
	g := r.Inset(-m).Intersect(src.Bounds())
	w, h := r.Dx(), r.Dy()
	for y := g.Min.Y; y < g.Max.Y; y++ {
		for x := g.Min.X; x < g.Max.X; x++ {
			a := math.Min(1, float64(min(x-g.Min.X, g.Max.X-1-x, y-g.Min.Y, g.Max.Y-1-y))/float64(m))
			u, v := x-r.Min.X, y-r.Min.Y
			switch turns % 4 {
			case 1:
				u, v = h-1-v, u
			case 2:
				u, v = w-1-u, h-1-v
			case 3:
				u, v = v, w-1-u
			}
			tx, ty := at.X+u, at.Y+v
			if !image.Pt(tx, ty).In(dst.Bounds()) {
				continue
			}
			s, d := src.RGBAAt(x, y), dst.RGBAAt(tx, ty)
			mix := func(sv, dv uint8) uint8 {
				if darker {
					sv = min(sv, dv)
				}
				return uint8(a*float64(sv) + (1-a)*float64(dv) + 0.5)
			}
			d.R, d.G, d.B = mix(s.R, d.R), mix(s.G, d.G), mix(s.B, d.B)
			dst.SetRGBA(tx, ty, d)
		}
	}
}

package realeval

import (
	"image"
	"math/rand/v2"
)

// A crowded sheet. Later in a night a light sheet holds several times the
// insects of the frames as taken (the held-back frames include later
// snapshots of panama's trap). Crowded makes one: it pastes more of the
// frame's own insects, apart from each other, so that the detector's time
// and recall can be measured as a sheet fills (bench/crowd); insects
// resting against each other are Touching's.

// Crowded returns img with up to n more insects pasted at random places
// (seeded: the same every run), each a copy of one of a's insects of
// 40-400 px turned by 0-3 quarters and clear of every box by gap px, and
// the annotation with them added as insects (Note "pasted"). Fewer are
// pasted when no free place is found in 200 tries per insect.
func Crowded(img image.Image, a Annotation, n, gap int, seed uint64) (*image.RGBA, Annotation) {
	base := toRGBA(img)
	out := image.NewRGBA(base.Bounds())
	copy(out.Pix, base.Pix)
	ann := a
	ann.Objects = append([]Object(nil), a.Objects...)
	var taken, sized []image.Rectangle
	for _, o := range a.Objects {
		taken = append(taken, o.Rect())
	}
	for _, r := range a.Insects() {
		if s := LongestSide(r); s >= 40 && s <= 400 {
			sized = append(sized, r)
		}
	}
	if len(sized) == 0 {
		return out, ann
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	bw, bh := base.Rect.Dx(), base.Rect.Dy()
	for range n {
		for range 200 {
			src, turns := sized[rng.IntN(len(sized))], rng.IntN(4)
			size := src.Size()
			if turns%2 == 1 {
				size = image.Pt(size.Y, size.X)
			}
			if size.X+4 >= bw || size.Y+4 >= bh {
				continue
			}
			at := image.Pt(2+rng.IntN(bw-size.X-4), 2+rng.IntN(bh-size.Y-4))
			dst := image.Rectangle{Min: at, Max: at.Add(size)}
			if overlapsAny(dst.Inset(-gap), taken, image.Rectangle{}) {
				continue
			}
			paste(out, base, src, 6, at, turns)
			taken = append(taken, dst)
			ann.Objects = append(ann.Objects, Object{Box: [4]int{dst.Min.X, dst.Min.Y, dst.Max.X, dst.Max.Y}, Kind: KindInsect, Note: "pasted"})
			break
		}
	}
	return out, ann
}

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
	c := newCanvas(img, a)
	if len(c.sized) == 0 {
		return c.out, c.ann
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	bw, bh := c.base.Rect.Dx(), c.base.Rect.Dy()
	for range n {
		for range 200 {
			src, turns := c.sized[rng.IntN(len(c.sized))], rng.IntN(4)
			size := turnedSize(src, turns)
			if size.X+4 >= bw || size.Y+4 >= bh {
				continue
			}
			at := image.Pt(2+rng.IntN(bw-size.X-4), 2+rng.IntN(bh-size.Y-4))
			if overlapsAny(image.Rectangle{Min: at, Max: at.Add(size)}.Inset(-gap), c.taken, image.Rectangle{}) {
				continue
			}
			c.put(src, at, turns, "pasted")
			break
		}
	}
	return c.out, c.ann
}

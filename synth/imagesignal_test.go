package synth

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"
)

// colourFeature is a crude image descriptor: a 4x4x4 colour histogram of
// the pixels clearly darker than the background (the specimen), plus the
// fraction of such pixels. It is rotation invariant, like a trained CNN
// is expected to become.
func colourFeature(img *image.RGBA) []float64 {
	f := make([]float64, 65)
	bg := img.RGBAAt(0, 0)
	bgl := int(bg.R) + int(bg.G) + int(bg.B)
	b := img.Bounds()
	n := 0.0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if int(c.R)+int(c.G)+int(c.B) < bgl-60 {
				f[int(c.R)/64*16+int(c.G)/64*4+int(c.B)/64]++
				n++
			}
		}
	}
	for i := 0; i < 64; i++ {
		f[i] /= math.Max(n, 1)
	}
	f[64] = n / float64(b.Dx()*b.Dy())
	return f
}

// TestImageSignal checks the promise behind the look-alike design with a
// nearest-centroid classifier on colourFeature: images tell the look-alike
// groups apart, but within a group the classifier is at chance level.
func TestImageSignal(t *testing.T) {
	cat, err := NewCatalog(9, 16, 0)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(9, 9))
	const nTrain, nTest = 20, 12
	type obs struct {
		sp int
		f  []float64
	}
	var test []obs
	cent := make([][]float64, len(cat.Species))
	for id := range cat.Species {
		cent[id] = make([]float64, 65)
		for k := 0; k < nTrain+nTest; k++ {
			img, _, err := cat.Sample(id, r, 48)
			if err != nil {
				t.Fatal(err)
			}
			f := colourFeature(img)
			if k >= nTrain {
				test = append(test, obs{id, f})
				continue
			}
			for i, v := range f {
				cent[id][i] += v / nTrain
			}
		}
	}
	var group, within, withinN, chance float64
	for _, s := range test {
		best, bd := -1, math.Inf(1)
		for c := range cent {
			d := 0.0
			for i := range s.f {
				d += math.Abs(s.f[i] - cent[c][i])
			}
			if d < bd {
				best, bd = c, d
			}
		}
		g := cat.Groups[cat.Species[s.sp].Group]
		if cat.Species[best].Group != g.ID {
			continue
		}
		group++
		if len(g.Members) > 1 {
			withinN++
			chance += 1 / float64(len(g.Members))
			if best == s.sp {
				within++
			}
		}
	}
	group /= float64(len(test))
	within, chance = within/withinN, chance/withinN
	t.Logf("group accuracy %.2f; within-group accuracy %.2f (chance %.2f, %0.f rows)", group, within, chance, withinN)
	if group < 0.7 {
		t.Errorf("images separate look-alike groups only %.0f%% of the time", 100*group)
	}
	if withinN < 50 || within > chance+0.15 {
		t.Errorf("images separate look-alikes: %.2f within-group accuracy vs chance %.2f", within, chance)
	}
}

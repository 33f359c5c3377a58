package trap_test

import (
	"context"
	"fmt"
	"image"
	"math"
	"path/filepath"
	"sort"
	"testing"

	"github.com/trapnet/trapnet/detect/realeval"
	"github.com/trapnet/trapnet/synth/trap"
)

// flyLook is how one whitefly differs from the card around it: the peak
// blue and luma excess over the median of a ring just outside its box,
// within lookRadiusMM of the box's centre (the real boxes are drawn loose
// but centred on the insect within a few pixels), and the side in mm of
// the square as large as the pixels there whose blue excess reaches half
// the peak.
type flyLook struct{ dB, dY, sideMM float64 }

const lookRadiusMM = 0.8

// whiteflyLook measures the whitefly boxed by box on img at ppm px/mm.
func whiteflyLook(img image.Image, box image.Rectangle, ppm float64) (flyLook, bool) {
	b := img.Bounds()
	var rb, ry []float64
	outer, inner := box.Inset(-7).Intersect(b), box.Inset(-4)
	for y := outer.Min.Y; y < outer.Max.Y; y++ {
		for x := outer.Min.X; x < outer.Max.X; x++ {
			if !(image.Point{x, y}).In(inner) {
				_, _, bl, yy := pixelAt(img, x, y)
				rb, ry = append(rb, float64(bl)), append(ry, float64(yy))
			}
		}
	}
	if len(rb) < 20 {
		return flyLook{}, false
	}
	bgB, bgY := median(rb), median(ry)
	c := box.Min.Add(box.Max).Div(2)
	rad := int(math.Ceil(lookRadiusMM * ppm))
	win := image.Rect(c.X-rad, c.Y-rad, c.X+rad+1, c.Y+rad+1).Intersect(b)
	var l flyLook
	var excess []float64
	for y := win.Min.Y; y < win.Max.Y; y++ {
		for x := win.Min.X; x < win.Max.X; x++ {
			_, _, bl, yy := pixelAt(img, x, y)
			excess = append(excess, float64(bl)-bgB)
			l.dB = math.Max(l.dB, float64(bl)-bgB)
			l.dY = math.Max(l.dY, float64(yy)-bgY)
		}
	}
	n := 0
	for _, e := range excess {
		if e >= l.dB/2 {
			n++
		}
	}
	l.sideMM = math.Sqrt(float64(n)) / ppm
	return l, l.dB > 0
}

func median(v []float64) float64 {
	sort.Float64s(v)
	return v[len(v)/2]
}

// lookRow formats p10/p50/p90 of each measure.
func lookRow(name string, ls []flyLook) string {
	q := func(f func(flyLook) float64) string {
		v := make([]float64, len(ls))
		for i, l := range ls {
			v[i] = f(l)
		}
		return fmt.Sprintf("%.0f/%.0f/%.0f", quantile(v, 0.1), quantile(v, 0.5), quantile(v, 0.9))
	}
	side := func(l flyLook) float64 { return 10 * l.sideMM }
	return fmt.Sprintf("| %s | %d | %s | %s | %s |", name, len(ls), q(func(l flyLook) float64 { return l.dB }), q(func(l flyLook) float64 { return l.dY }), q(side))
}

// specularShare is the share of img's pixels (every second row and
// column) that are glare: brighter than 1.15 times the median luma of the
// card-coloured pixels, and about as blue as bright (blue >= 0.75 luma).
func specularShare(img image.Image) float64 {
	b := img.Bounds()
	var card []float64
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, yy := pixelAt(img, x, y)
			if isCard(r, g, bl) {
				card = append(card, float64(yy))
			}
		}
	}
	if len(card) == 0 {
		return 0
	}
	med := median(card)
	n, k := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			_, _, bl, yy := pixelAt(img, x, y)
			n++
			if float64(yy) > 1.15*med && float64(bl) >= 0.75*float64(yy) {
				k++
			}
		}
	}
	return float64(k) / float64(n)
}

// TestRealVsSynthCards compares synth's PhotoCard cards at the real
// photos' 8 px/mm with the real sticky cards: their whiteflies (how much
// bluer and brighter than the card they are at their peak, and their
// size) and their glare (specularShare). The tables in doc.go come from
// here.
func TestRealVsSynthCards(t *testing.T) {
	dir := realFrames(t)
	if testing.Short() {
		t.Skip("real whitefly statistics skipped in -short mode (decodes 18 card photos)")
	}
	frames, _, err := realeval.FindFrames(dir)
	if err != nil {
		t.Fatal(err)
	}
	var real, syn []flyLook
	var realGlare, synGlare []float64
	for _, f := range frames {
		if !f.Sticky {
			continue
		}
		img := decodeFile(t, f.Path)
		realGlare = append(realGlare, specularShare(img))
		for _, box := range f.Ann.Insects() {
			if l, ok := whiteflyLook(img, box, f.Scale()); ok {
				real = append(real, l)
			}
		}
	}
	const ppm = 8
	for _, seed := range []uint64{1, 2, 3, 4, 5, 6} {
		o := trap.DefaultOptions()
		o.Dir, o.Frames, o.Width, o.Height, o.Background, o.Seed, o.PixelsPerMM = t.TempDir(), 2, 2048, 1536, trap.BackgroundSticky, seed, ppm
		gt, err := trap.Generate(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		for _, ft := range gt.Frames {
			img := decodeFile(t, filepath.Join(o.Dir, trap.FramesDir, ft.File))
			synGlare = append(synGlare, specularShare(img))
			for _, s := range ft.Specimens {
				if s.SpeciesID >= 0 {
					continue
				}
				if l, ok := whiteflyLook(img, image.Rect(s.Box[0], s.Box[1], s.Box[2], s.Box[3]), ppm); ok {
					syn = append(syn, l)
				}
			}
		}
	}
	if len(real) == 0 || len(syn) == 0 {
		t.Fatalf("%d real and %d synth whiteflies measured", len(real), len(syn))
	}
	t.Logf("whiteflies, p10/p50/p90 (blue and luma: peak excess over the card around, levels; side: 0.1 mm, of the pixels at half the blue peak or more):\n| whiteflies | n | blue | luma | side |\n|---|--:|--:|--:|--:|\n%s\n%s",
		lookRow("real (annotated)", real), lookRow("synth, PhotoCard at 8 px/mm", syn))
	t.Logf("glare (specular share of the frame), p10/p50/p90: real %.4f/%.4f/%.4f, synth %.4f/%.4f/%.4f",
		quantile(realGlare, 0.1), quantile(realGlare, 0.5), quantile(realGlare, 0.9), quantile(synGlare, 0.1), quantile(synGlare, 0.5), quantile(synGlare, 0.9))
	if a, b := quantile(realGlare, 0.5), quantile(synGlare, 0.5); math.Abs(a-b) > 0.006 {
		t.Errorf("glare: real median share %.4f, synth %.4f: more than 0.006 apart", a, b)
	}
	for _, c := range []struct {
		what string
		f    func(flyLook) float64
		tol  float64
	}{
		{"blue peak", func(l flyLook) float64 { return l.dB }, 25},
		{"luma peak", func(l flyLook) float64 { return l.dY }, 20},
		{"side (mm)", func(l flyLook) float64 { return l.sideMM }, 0.3},
	} {
		pr, ps := make([]float64, len(real)), make([]float64, len(syn))
		for i, l := range real {
			pr[i] = c.f(l)
		}
		for i, l := range syn {
			ps[i] = c.f(l)
		}
		if a, b := quantile(pr, 0.5), quantile(ps, 0.5); math.Abs(a-b) > c.tol {
			t.Errorf("whitefly %s: real median %.2f, synth %.2f: more than %g apart", c.what, a, b, c.tol)
		}
	}
}

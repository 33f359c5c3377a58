package trap

import (
	"image"
	"math"
	"math/rand/v2"
)

// Blemishes of a real sheet that are no specimen (see doc.go, "Compared
// with real frames"): faint stains, and the shadow the trap's housing
// casts into a corner. Both are recorded as not_insect objects and kept
// free of specimens.

// Stains as ../shared/realframes' sheets show them (6 annotated on 4
// traps): brownish blobs 4-13 mm across with soft, blurred edges,
// darkest in the middle by 0.07-0.36 of the sheet's luma (5 x 5 px
// means), blue absorbed most (darkening of R : G : B about 0.55 : 0.8 :
// 1).
const (
	stainMinMM, stainMaxMM     = 4, 13
	stainMinDark, stainMaxDark = 0.07, 0.36
)

// drawStain darkens a stain centred at (cx, cy) of about size px across
// (two overlapping Gaussian lobes) by up to dark, and returns its box
// (where it darkens by a quarter of its peak or more).
func drawStain(img *image.RGBA, r *rand.Rand, cx, cy, size, dark float64) image.Rectangle {
	type lobe struct{ x, y, sx, sy, w float64 }
	lobes := []lobe{{cx, cy, size / 4 * uni(r, 0.8, 1.2), size / 4 * uni(r, 0.8, 1.2), 1}}
	lobes = append(lobes, lobe{cx + uni(r, -0.25, 0.25)*size, cy + uni(r, -0.25, 0.25)*size, size / 5, size / 5, uni(r, 0.3, 0.7)})
	tint := [3]float64{uni(r, 0.45, 0.65), uni(r, 0.75, 0.85), 1}
	reach := image.Rect(int(cx-size), int(cy-size), int(cx+size)+1, int(cy+size)+1).Intersect(img.Bounds())
	box := image.Rectangle{Min: reach.Max, Max: reach.Min}
	peak := 0.0
	vals := make([]float64, reach.Dx()*reach.Dy())
	for y := reach.Min.Y; y < reach.Max.Y; y++ {
		for x := reach.Min.X; x < reach.Max.X; x++ {
			v := 0.0
			for _, l := range lobes {
				dx, dy := (float64(x)-l.x)/l.sx, (float64(y)-l.y)/l.sy
				v += l.w * math.Exp(-(dx*dx+dy*dy)/2)
			}
			vals[(y-reach.Min.Y)*reach.Dx()+x-reach.Min.X] = v
			peak = max(peak, v)
		}
	}
	for y := reach.Min.Y; y < reach.Max.Y; y++ {
		for x := reach.Min.X; x < reach.Max.X; x++ {
			v := vals[(y-reach.Min.Y)*reach.Dx()+x-reach.Min.X] / peak
			if v >= 0.25 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
			i := img.PixOffset(x, y)
			for k := range 3 {
				img.Pix[i+k] = uint8(float64(img.Pix[i+k])*(1-dark*v*tint[k]) + 0.5)
			}
		}
	}
	return box
}

// Housing shadow: on Cyprus' sheet the trap's housing shades a corner
// (about 55 x 130 mm), darker than any insect, its darkness ramping up
// from the lit sheet over tens of mm. Synth's ramps over 4-15 mm, so the
// sharpest tenth of its outline turns over 1.0-2.1 mm (Cyprus': 1.15 mm),
// which is how detect tells a shadow (shadow.go).
const (
	shadowMinMM, shadowMaxMM       = 40, 130
	shadowPenMinMM, shadowPenMaxMM = 4, 15
	shadowMinLight, shadowMaxLight = 0.15, 0.5
)

// drawCornerShadow shades a quarter ellipse of semi-axes a x b px in a
// random corner of img, letting through light of the sheet's light,
// its darkness ramping up over pen px, and returns its box.
func drawCornerShadow(img *image.RGBA, r *rand.Rand, a, b, pen, light float64) image.Rectangle {
	fb := img.Bounds()
	cx, cy := float64(fb.Min.X), float64(fb.Min.Y)
	if r.IntN(2) == 1 {
		cx = float64(fb.Max.X)
	}
	if r.IntN(2) == 1 {
		cy = float64(fb.Max.Y)
	}
	reach := image.Rect(int(cx-a-pen), int(cy-b-pen), int(cx+a+pen)+1, int(cy+b+pen)+1).Intersect(fb)
	box := image.Rectangle{Min: reach.Max, Max: reach.Min}
	for y := reach.Min.Y; y < reach.Max.Y; y++ {
		for x := reach.Min.X; x < reach.Max.X; x++ {
			dx, dy := (float64(x)+0.5-cx)/a, (float64(y)+0.5-cy)/b
			// signed distance to the ellipse's outline, about, in px
			d := (math.Sqrt(dx*dx+dy*dy) - 1) * math.Min(a, b)
			t := 0.5 - d/pen // 1 inside, 0 outside, linear over the penumbra
			if t <= 0 {
				continue
			}
			t = math.Min(1, t)
			t = t * t * (3 - 2*t)
			if t >= 0.5 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
			i := img.PixOffset(x, y)
			for k := range 3 {
				img.Pix[i+k] = uint8(float64(img.Pix[i+k])*(1-(1-light)*t) + 0.5)
			}
		}
	}
	return box
}

// drawBlemishes adds to a sheet, with the given chances, a housing shadow
// in a corner and 1-2 stains, recorded in sc.
func drawBlemishes(img *image.RGBA, r *rand.Rand, ppm float64, sc *scene) {
	b := img.Bounds()
	if r.Float64() < 0.2 {
		a, bb := uni(r, shadowMinMM, shadowMaxMM)*ppm, uni(r, shadowMinMM, shadowMaxMM)*ppm
		box := drawCornerShadow(img, r, math.Min(a, 0.4*float64(b.Dx())), math.Min(bb, 0.6*float64(b.Dy())), uni(r, shadowPenMinMM, shadowPenMaxMM)*ppm, uni(r, shadowMinLight, shadowMaxLight))
		if !box.Empty() {
			sc.add(box, b, "shadow of the trap's housing", int(3*ppm))
		}
	}
	if r.Float64() < 0.5 {
		for k, n := 0, 1+r.IntN(2); k < n; k++ {
			size := uni(r, stainMinMM, stainMaxMM) * ppm
			if pl, _, ok := findSpot(r, b.Inset(int(size)), size, size, ppm, sc.keepOut); ok {
				box := drawStain(img, r, pl.CX, pl.CY, size, uni(r, stainMinDark, stainMaxDark))
				sc.add(box, b, "faint stain on the sheet", int(ppm))
			}
		}
	}
}

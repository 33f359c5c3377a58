package trap

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"github.com/trapnet/trapnet/synth/raster"
)

// Glare on a card's glue. A used card's glue is glossy and uneven: where
// it catches the light it shows a field of small white flecks, its ridges,
// all running one way, over a sheen. On the 18 phone photos of
// ../shared/realframes/sticky such specular pixels (brighter than 1.15
// times the card's median luma, blue at least 0.75 of luma) cover
// 0-7.6 % of the frame, median 1.1 %; judged by eye, glare is a quarter
// of the junk among the detections of 40 px or more. PhotoCard cards get
// 0-2 fields (glareMaxFields), recorded as not_insect objects.
const (
	glareMaxFields                   = 2
	glareMinMM, glareMaxMM           = 8, 30 // a field's semi-axes
	glareFleckMinMM, glareFleckMaxMM = 0.8, 3
)

// drawGlareField paints a glare field centred at (cx, cy) with semi-axes
// a x b px, its ridges along angle th, and returns its box.
func drawGlareField(img *image.RGBA, r *rand.Rand, ppm, cx, cy, a, b, th, cover float64) image.Rectangle {
	// The sheen: the glue brightened towards white, most in the middle.
	sheen := uni(r, 0.02, 0.1)
	reach := image.Rect(int(cx-1.5*a), int(cy-1.5*b), int(cx+1.5*a)+1, int(cy+1.5*b)+1).Intersect(img.Bounds())
	ct, st := math.Cos(th), math.Sin(th)
	for y := reach.Min.Y; y < reach.Max.Y; y++ {
		for x := reach.Min.X; x < reach.Max.X; x++ {
			u, v := (float64(x)-cx)*ct+(float64(y)-cy)*st, -(float64(x)-cx)*st+(float64(y)-cy)*ct
			w := sheen * math.Exp(-(u*u/(a*a)+v*v/(b*b))/0.5)
			i := img.PixOffset(x, y)
			for k := range 3 {
				img.Pix[i+k] = uint8(float64(img.Pix[i+k]) + (250-float64(img.Pix[i+k]))*w + 0.5)
			}
		}
	}
	// The ridges: flecks, denser towards the middle.
	c := raster.NewCanvas(img)
	n := int(cover * math.Pi * a * b / (0.6 * ppm * ppm))
	for k := 0; k < n; k++ {
		u, v := r.NormFloat64()*a/2, r.NormFloat64()*b/2
		x, y := cx+u*ct-v*st, cy+u*st+v*ct
		l := uni(r, glareFleckMinMM, glareFleckMaxMM) * ppm
		m := raster.NewAffine(x, y, th+r.NormFloat64()*0.15, l, false)
		g := uint8(uni(r, 235, 252))
		raster.NewPen(c, m).Ellipse(0, 0, 0.5, uni(r, 0.12, 0.3), color.NRGBA{g, g, g - 8, uint8(uni(r, 120, 240))})
	}
	return image.Rect(int(cx-a), int(cy-b), int(cx+a)+1, int(cy+b)+1).Union(
		image.Rect(int(cx-b), int(cy-a), int(cx+b)+1, int(cy+a)+1)).Intersect(img.Bounds())
}

// drawGlare adds 0-glareMaxFields glare fields on the card (see above).
func drawGlare(img *image.RGBA, r *rand.Rand, ppm float64, card image.Rectangle, sc *scene) {
	for k, n := 0, r.IntN(glareMaxFields+1); k < n; k++ {
		lim := float64(min(card.Dx(), card.Dy())) / 6 // a field is a patch of the card, not all of it
		a, b := min(uni(r, glareMinMM, glareMaxMM)*ppm, lim), min(uni(r, glareMinMM, glareMaxMM)*ppm, lim)
		cx, cy := uni(r, float64(card.Min.X)+a/2, float64(card.Max.X)-a/2), uni(r, float64(card.Min.Y)+b/2, float64(card.Max.Y)-b/2)
		box := drawGlareField(img, r, ppm, cx, cy, a, b, uni(r, 0, math.Pi), uni(r, 0.15, 0.45)).Intersect(card)
		if !box.Empty() {
			sc.add(box, img.Bounds(), "glare on the glue", int(ppm))
		}
	}
}

// The card's curl. Where a card bends away from the camera along one
// side, the glue there turns from the light: a band a few mm wide darkens
// towards the edge (on ../shared/realframes/sticky the band along
// 20231219_175553's lower edge, about 5 mm; judged by eye, the card's edge
// and its shade are the most frequent junk among the detections of 40 px
// or more). Half the PhotoCard cards get one, along 40-100 % of one side.
const (
	curlMinMM, curlMaxMM     = 3, 8
	curlMinDark, curlMaxDark = 0.1, 0.35
)

// drawCurl darkens a band along one side of card and returns its box.
func drawCurl(img *image.RGBA, r *rand.Rand, ppm float64, card image.Rectangle) image.Rectangle {
	w := uni(r, curlMinMM, curlMaxMM) * ppm
	dark := uni(r, curlMinDark, curlMaxDark)
	side := r.IntN(4)
	horizontal := side < 2 // along the top or bottom side
	length := float64(card.Dx())
	if !horizontal {
		length = float64(card.Dy())
	}
	l := uni(r, 0.4, 1) * length
	s0 := uni(r, 0, length-l)
	var box image.Rectangle
	switch side {
	case 0: // top
		box = image.Rect(card.Min.X+int(s0), card.Min.Y, card.Min.X+int(s0+l), card.Min.Y+int(w))
	case 1: // bottom
		box = image.Rect(card.Min.X+int(s0), card.Max.Y-int(w), card.Min.X+int(s0+l), card.Max.Y)
	case 2: // left
		box = image.Rect(card.Min.X, card.Min.Y+int(s0), card.Min.X+int(w), card.Min.Y+int(s0+l))
	default: // right
		box = image.Rect(card.Max.X-int(w), card.Min.Y+int(s0), card.Max.X, card.Min.Y+int(s0+l))
	}
	box = box.Intersect(img.Bounds())
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			var d, along float64 // distance from the edge; position along the band, 0-1
			switch side {
			case 0:
				d, along = float64(y-card.Min.Y), float64(x-box.Min.X)/float64(box.Dx())
			case 1:
				d, along = float64(card.Max.Y-1-y), float64(x-box.Min.X)/float64(box.Dx())
			case 2:
				d, along = float64(x-card.Min.X), float64(y-box.Min.Y)/float64(box.Dy())
			default:
				d, along = float64(card.Max.X-1-x), float64(y-box.Min.Y)/float64(box.Dy())
			}
			// deepest at the edge, gone at w; tapering at the band's ends
			k := dark * (1 - d/w) * math.Min(1, 5*math.Min(along, 1-along))
			i := img.PixOffset(x, y)
			for c := range 3 {
				img.Pix[i+c] = uint8(float64(img.Pix[i+c])*(1-k) + 0.5)
			}
		}
	}
	return box
}

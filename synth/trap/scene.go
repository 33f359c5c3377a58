package trap

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"time"

	"github.com/trapnet/trapnet/synth/raster"
)

// scene is what a trap frame shows besides specimens: where specimens
// may lie, and the not-insect objects drawn.
type scene struct {
	// area is where specimens lie: the frame, or the card on sticky frames.
	area image.Rectangle
	// keepOut holds the objects' boxes plus margins: no specimen on them.
	keepOut []image.Rectangle
	objects []Object
	scale   *ScaleBar
}

// drawScene paints an empty sheet or sticky card onto img (see doc.go,
// "Compared with real frames", for the numbers these draws aim at).
func drawScene(img *image.RGBA, r *rand.Rand, bg string, ppm float64, photoCard bool) scene {
	sc := scene{area: img.Bounds()}
	switch {
	case bg == BackgroundSticky && photoCard:
		drawCard(img, r, ppm, &sc)
	case bg == BackgroundSticky:
		drawPlainCard(img, r, ppm)
	default:
		drawSheet(img, r, ppm, &sc)
	}
	area := float64(sc.area.Dx()*sc.area.Dy()) / (ppm * ppm) // mm²
	raster.ScatterDebris(raster.NewCanvas(img), r, int(area/400)+r.IntN(20), ppm*0.3)
	return sc
}

// add records a not-insect object and keeps specimens margin px away.
func (sc *scene) add(box image.Rectangle, frame image.Rectangle, note string, margin int) {
	sc.objects = append(sc.objects, objectAt(box, frame, note))
	sc.keepOut = append(sc.keepOut, box.Inset(-margin))
}

// drawSheet paints a light-trap sheet: a lamp's bright spot fading to
// the borders, fabric grain (and on some sheets a visible weave), and on
// some traps black grommets and a checkerboard scale bar.
func drawSheet(img *image.RGBA, r *rand.Rand, ppm float64, sc *scene) {
	b := img.Bounds()
	k := max(1, int(math.Round(float64(b.Dx())/4096)))
	sc.keepOut = append(sc.keepOut, image.Rect(b.Max.X-100*k, b.Max.Y-40*k, b.Max.X, b.Max.Y)) // the timestamp
	v := uni(r, 244, 255)
	base := [3]float64{v * uni(r, 0.95, 0.99), v * uni(r, 0.95, 0.99), v}
	raster.FillLit(img, base, raster.Lighting{SpotX: uni(r, 0.4, 0.6), SpotY: uni(r, 0.35, 0.65),
		Sigma: uni(r, 0.3, 0.5), Floor: uni(r, 0.55, 0.75), Grad: uni(r, 0, 0.08), GradAngle: uni(r, 0, 2*math.Pi)})
	c := raster.NewCanvas(img)
	if r.Float64() < 0.6 { // woven fabric: short horizontal threads a little darker
		n := b.Dx() * b.Dy() / 3000
		for k := 0; k < n; k++ {
			x, y, l := uni(r, 0, float64(b.Dx())), uni(r, 0, float64(b.Dy())), uni(r, 20, 250)
			t := uni(r, 0.8, 1.6)
			c.Fill([]raster.Pt{{X: x, Y: y}, {X: x + l, Y: y}, {X: x + l, Y: y + t}, {X: x, Y: y + t}}, color.NRGBA{90, 90, 100, uint8(uni(r, 8, 24))})
		}
	}
	amp := uni(r, 0.003, 0.012)
	if r.Float64() < 0.3 {
		amp = uni(r, 0.02, 0.05) // coarse, speckled fabric
	}
	raster.Speckle(img, r, amp, 2+r.IntN(2))
	drawBlemishes(img, r, ppm, sc)
	if r.Float64() < 0.35 { // grommets: pairs across the sheet, some cut by its lower edge
		rad := uni(r, 4.5, 5.5) * ppm
		for k, n := 0, 1+r.IntN(3); k < n; k++ {
			y := uni(r, 0.25, 1.02) * float64(b.Dy())
			dx := uni(r, 0.22, 0.4) * float64(b.Dx())
			xs := []float64{float64(b.Dx())/2 - dx, float64(b.Dx())/2 + dx}
			disc := func(x float64) image.Rectangle {
				return image.Rect(int(x-rad), int(y-rad), int(x+rad)+1, int(y+rad)+1)
			}
			if overlapsAny(disc(xs[0]), sc.keepOut) || overlapsAny(disc(xs[1]), sc.keepOut) {
				continue // a sheet's fasteners are spaced apart (and clear of its stains and shade)
			}
			for _, x := range xs {
				sc.add(drawGrommet(c, r, x, y, rad), b, "black round fastener/grommet on sheet", int(ppm))
			}
		}
	}
	if r.Float64() < 0.5 { // a checkerboard scale bar of 2 x 10 squares
		squareMM := 2.0
		if 2*ppm < 10 {
			squareMM = math.Ceil(10 / ppm)
		}
		s := squareMM * ppm
		w, h := scaleBarSize(10, s)
		if pl, _, ok := findSpot(r, b.Inset(b.Dx()/5), w, h, ppm, sc.keepOut); ok {
			// Anywhere on the pixel grid, as a camera sees a bar (detect
			// once missed bars drawn at half pixels: TestDetectOnSceneObjects).
			bar := drawScaleBar(c, pl.CX-w/2, pl.CY-h/2, 10, s, squareMM)
			sc.scale = &bar
			sc.add(image.Rect(bar.Box[0], bar.Box[1], bar.Box[2], bar.Box[3]), b, "scale bar (checkerboard)", int(2*ppm))
		}
	}
}

// overlapsAny reports whether r overlaps one of boxes.
func overlapsAny(r image.Rectangle, boxes []image.Rectangle) bool {
	for _, o := range boxes {
		if r.Overlaps(o) {
			return true
		}
	}
	return false
}

// drawPlainCard paints a bright yellow sticky card filling the frame,
// evenly lit but for a gradient and a light vignette, with its faint
// printed grid (the card of Options.PhotoCard false).
func drawPlainCard(img *image.RGBA, r *rand.Rand, ppm float64) {
	base := [3]float64{uni(r, 230, 245), uni(r, 205, 225), uni(r, 40, 80)}
	raster.FillBackground(img, base, uni(r, 0.08, 0.2), uni(r, 0, 2*math.Pi), uni(r, 0.12, 0.3))
	drawGrid(raster.NewCanvas(img), img.Bounds(), 25*ppm)
}

// drawGrid draws a card's faint printed grid of step px inside box.
func drawGrid(c *raster.Canvas, box image.Rectangle, step float64) {
	col := color.NRGBA{150, 140, 40, 45}
	x0, y0, x1, y1 := float64(box.Min.X), float64(box.Min.Y), float64(box.Max.X), float64(box.Max.Y)
	for x := x0 + step; x < x1; x += step {
		c.Fill([]raster.Pt{{X: x - 1, Y: y0}, {X: x + 1, Y: y0}, {X: x + 1, Y: y1}, {X: x - 1, Y: y1}}, col)
	}
	for y := y0 + step; y < y1; y += step {
		c.Fill([]raster.Pt{{X: x0, Y: y - 1}, {X: x1, Y: y - 1}, {X: x1, Y: y + 1}, {X: x0, Y: y + 1}}, col)
	}
}

// drawCard paints a yellow sticky card lying on dark cloth (the card
// covers about 55-85 % of the frame), lit unevenly by daylight, with its
// faint printed grid and two punched holes.
func drawCard(img *image.RGBA, r *rand.Rand, ppm float64, sc *scene) {
	b := img.Bounds()
	card := [3]float64{uni(r, 185, 215), uni(r, 160, 188), uni(r, 20, 55)}
	raster.FillLit(img, card, raster.Lighting{SpotX: uni(r, 0, 1), SpotY: uni(r, 0, 1),
		Sigma: uni(r, 0.4, 0.8), Floor: uni(r, 0.7, 0.85), Grad: uni(r, 0, 0.15), GradAngle: uni(r, 0, 2*math.Pi)})
	fw, fh := float64(b.Dx()), float64(b.Dy())
	cw, ch := fw*uni(r, 0.78, 0.92), fh*uni(r, 0.75, 0.92)
	cx, cy := uni(r, 0.02*fw, fw-cw-0.02*fw), uni(r, 0.02*fh, fh-ch-0.02*fh)
	cardR := image.Rect(int(cx), int(cy), int(cx+cw), int(cy+ch))
	// Cloth around the card: the same light on a dark grey.
	g := uni(r, 55, 95)
	var k [3]float64
	for ch, cl := range [3]float64{g, g, g * uni(r, 1.02, 1.1)} {
		k[ch] = cl / card[ch]
	}
	for y := 0; y < b.Dy(); y++ {
		pix := img.Pix[y*img.Stride:]
		for x := 0; x < b.Dx(); x++ {
			if image.Pt(x, y).In(cardR) {
				x = cardR.Max.X - 1
				continue
			}
			i := 4 * x
			for ch := 0; ch < 3; ch++ {
				pix[i+ch] = uint8(math.Min(255, float64(pix[i+ch])*k[ch]))
			}
		}
	}
	c := raster.NewCanvas(img)
	drawGrid(c, cardR, 25*ppm)
	x0, x1 := float64(cardR.Min.X), float64(cardR.Max.X)
	y1 := float64(cardR.Max.Y)
	raster.Speckle(img, r, uni(r, 0.01, 0.025), 2)
	drawGlare(img, r, ppm, cardR, sc)
	if r.Float64() < 0.5 {
		if box := drawCurl(img, r, ppm, cardR); !box.Empty() {
			sc.add(box, b, "shade of the card's curl along its edge", int(ppm))
		}
	}
	rad := uni(r, 1.5, 2.5) * ppm
	for _, hx := range []float64{x0 + 0.06*cw, x1 - 0.06*cw} {
		sc.add(drawGrommet(c, r, hx, y1-0.06*ch, rad), b, "punched hole in the card", int(ppm))
	}
	sc.area = cardR.Inset(int(ppm))
}

// finish burns the timestamp into a sheet frame (trap cameras do; phone
// photos of cards have none) and records the scene's objects in ft.
func (sc *scene) finish(img *image.RGBA, ft *Frame) {
	ft.Objects = append([]Object{}, sc.objects...)
	ft.ScaleBar = sc.scale
	if ft.Background == BackgroundSticky {
		return
	}
	if t, err := time.Parse(time.RFC3339, ft.Time); err == nil {
		ft.Objects = append(ft.Objects, drawTimestamp(img, t))
	}
}

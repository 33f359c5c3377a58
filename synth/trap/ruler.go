package trap

import (
	"image"
	"image/color"
	"math"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Ruler is a millimetre ruler drawn on a frame by DrawRuler: a body 25 mm
// wide, mm ticks along one long edge from 5 mm after its start (2.5 mm
// long, 4 mm every 5 mm, 6 mm every 10 mm, 0.2 mm thick) and the
// centimetres' numbers under them.
type Ruler struct {
	// X, Y is its top-left corner before turning, Angle (radians) the turn
	// about it; PixelsPerMM its scale; LengthMM its ticks' span.
	X, Y, Angle, PixelsPerMM float64
	LengthMM                 int
}

// rulerWidthMM and rulerLeadMM: the body's width and the length before
// its first tick (and after its last).
const rulerWidthMM, rulerLeadMM = 25, 5

// OnBody reports whether the frame point (x, y) lies on the ruler's body.
func (r Ruler) OnBody(x, y float64) bool {
	u, v := r.local(x, y)
	return u >= 0 && v >= 0 && u < float64(r.LengthMM+2*rulerLeadMM)*r.PixelsPerMM && v < rulerWidthMM*r.PixelsPerMM
}

// local maps a frame point into the unturned ruler's pixels.
func (r Ruler) local(x, y float64) (u, v float64) { return unturn(x, y, r.X, r.Y, r.Angle) }

// Box is the frame box the ruler covers.
func (r Ruler) Box() image.Rectangle {
	return turnedBox(r.X, r.Y, r.Angle, float64(r.LengthMM+2*rulerLeadMM)*r.PixelsPerMM, rulerWidthMM*r.PixelsPerMM)
}

// unturn maps the frame point (x, y) into the pixels of a drawing whose
// top-left corner lies at (x0, y0), turned by angle about it.
func unturn(x, y, x0, y0, angle float64) (u, v float64) {
	c, s := math.Cos(angle), math.Sin(angle)
	dx, dy := x-x0, y-y0
	return c*dx + s*dy, -s*dx + c*dy
}

// turnedBox is the frame box of a w x h drawing whose top-left corner lies
// at (x0, y0), turned by angle about it.
func turnedBox(x0, y0, angle, w, h float64) image.Rectangle {
	c, s := math.Cos(angle), math.Sin(angle)
	bx0, by0, bx1, by1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range [4][2]float64{{0, 0}, {w, 0}, {0, h}, {w, h}} {
		x, y := x0+c*p[0]-s*p[1], y0+s*p[0]+c*p[1]
		bx0, by0, bx1, by1 = min(bx0, x), min(by0, y), max(bx1, x), max(by1, y)
	}
	return image.Rect(int(math.Floor(bx0)), int(math.Floor(by0)), int(math.Ceil(bx1)), int(math.Ceil(by1)))
}

// DrawRuler draws r on img with a body of colour body (its alpha says how
// much of what lies under it shows through: a clear ruler) and black ink.
func DrawRuler(img *image.RGBA, r Ruler, body color.NRGBA) error {
	ppm := r.PixelsPerMM
	rw, rh := int(float64(r.LengthMM+2*rulerLeadMM)*ppm), int(rulerWidthMM*ppm)
	flat := image.NewNRGBA(image.Rect(0, 0, rw, rh))
	fill := func(x0, y0, x1, y1 int, c color.NRGBA) {
		for y := max(0, y0); y < min(rh, y1); y++ {
			for x := max(0, x0); x < min(rw, x1); x++ {
				flat.SetNRGBA(x, y, c)
			}
		}
	}
	ink := color.NRGBA{25, 25, 30, 255}
	fill(0, 0, rw, rh, body)
	t := max(1, int(math.Round(0.2*ppm)))
	for mm := 0; mm <= r.LengthMM; mm++ {
		x, l := int(float64(rulerLeadMM+mm)*ppm), 2.5
		if mm%10 == 0 {
			l = 6
		} else if mm%5 == 0 {
			l = 4
		}
		fill(x, 0, x+t, int(l*ppm), ink)
	}
	ft, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return err
	}
	face, err := opentype.NewFace(ft, &opentype.FaceOptions{Size: 4 * ppm, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return err
	}
	d := &font.Drawer{Dst: flat, Src: image.NewUniform(ink), Face: face}
	for cm := 0; cm*10 <= r.LengthMM; cm++ {
		d.Dot = fixed.P(int(float64(rulerLeadMM+cm*10-1)*ppm), int(11*ppm))
		d.DrawString(strconv.Itoa(cm))
	}
	box := r.Box().Intersect(img.Bounds())
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			u, v := r.local(float64(x)+0.5, float64(y)+0.5)
			iu, iv := int(math.Floor(u)), int(math.Floor(v))
			if iu < 0 || iv < 0 || iu >= rw || iv >= rh {
				continue
			}
			p, q := flat.NRGBAAt(iu, iv), img.RGBAAt(x, y)
			a := float64(p.A) / 255
			mix := func(f, b uint8) uint8 { return uint8(a*float64(f) + (1-a)*float64(b) + 0.5) }
			img.SetRGBA(x, y, color.RGBA{mix(p.R, q.R), mix(p.G, q.G), mix(p.B, q.B), 255})
		}
	}
	return nil
}

package insect

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"github.com/trapnet/trapnet/synth/raster"
)

// Pose is the per-image variation of one specimen: orientation, limb
// positions and lighting. Draw it with RandomPose.
type Pose struct {
	// Angle is the direction of the head from the +x axis towards +y
	// (radians; clockwise on screen, where y points down).
	Angle float64
	// Flip mirrors the specimen across its long axis.
	Flip bool
	// Legs holds, per leg (3 pairs, left then right), the change of the
	// femur and knee angles in radians.
	Legs [6][2]float64
	// WingSpread is added to the wing angle (radians).
	WingSpread float64
	// AntSpread is added to the antenna angle (radians).
	AntSpread float64
	// Gain multiplies the specimen's colours (lighting).
	Gain float64
	// AbdScale multiplies the abdomen width (fed or gravid specimens).
	AbdScale float64
	// HeadScale and ThoraxScale multiply the head and thorax widths
	// (individual variation, larger than the look-alike differences).
	HeadScale, ThoraxScale float64
}

// RandomPose draws a pose with a uniformly random orientation.
func RandomPose(r *rand.Rand) Pose {
	p := Pose{Angle: 2 * math.Pi * r.Float64(), Flip: r.IntN(2) == 0}
	for i := range p.Legs {
		p.Legs[i] = [2]float64{uni(r, -0.3, 0.3), uni(r, -0.35, 0.35)}
	}
	p.WingSpread = uni(r, -0.12, 0.15)
	p.AntSpread = uni(r, -0.2, 0.25)
	p.Gain = uni(r, 0.88, 1.12)
	p.AbdScale = uni(r, 0.92, 1.08)
	p.HeadScale = uni(r, 0.95, 1.05)
	p.ThoraxScale = uni(r, 0.95, 1.05)
	return p
}

// Placement says where and how large a specimen is drawn.
type Placement struct {
	// CX, CY is the centre of the body in pixels.
	CX, CY float64
	// LengthPx is the body length (head front to abdomen tip) in pixels.
	LengthPx float64
}

// DrawSpecimen draws a specimen of appearance a in pose p at pl onto dst
// (composited over what is there) and returns the pixel bounding box of
// what it drew, clipped to dst.
func DrawSpecimen(dst *image.RGBA, a *Appearance, p Pose, pl Placement) image.Rectangle {
	all, _ := DrawSpecimenBoxes(dst, a, p, pl)
	return all
}

// DrawSpecimenBoxes is DrawSpecimen that also returns the box of the body
// and wings alone (no legs or antennae), clipped to dst: the box a person
// draws around an insect on a real trap frame.
func DrawSpecimenBoxes(dst *image.RGBA, a *Appearance, p Pose, pl Placement) (all, body image.Rectangle) {
	c := raster.NewCanvas(dst)
	c.TrackExtent()
	var limbs image.Rectangle
	drawSpecimen(c, a, p, raster.NewAffine(pl.CX, pl.CY, p.Angle, pl.LengthPx, p.Flip), func() {
		limbs = c.PixelExtent()
		c.ResetExtent()
	})
	body = c.PixelExtent()
	return body.Union(limbs).Intersect(dst.Bounds()), body.Intersect(dst.Bounds())
}

// layout holds the derived body geometry in local units.
type layout struct {
	hc, tc, ac, al, aw float64 // head centre, thorax centre, abdomen centre, half length, half width
}

func (a *Appearance) layout(p Pose) layout {
	hc := 0.5 - a.HeadLen/2
	tc := 0.5 - a.HeadLen - a.ThoraxLen/2 + 0.02
	as := 0.5 - a.HeadLen - a.ThoraxLen - a.Waist + 0.04
	ae := -0.5
	scale := p.AbdScale
	if scale == 0 {
		scale = 1
	}
	return layout{hc: hc, tc: tc, ac: (as + ae) / 2, al: (as - ae) / 2, aw: a.AbdWid / 2 * scale}
}

// abdomen returns the abdomen outline.
func (a *Appearance) abdomen(dst []raster.Pt, l layout) []raster.Pt {
	const n = 28
	for i := 0; i <= n; i++ { // upper edge, tip to base
		u := -1 + 2*float64(i)/n
		dst = append(dst, raster.Pt{X: l.ac + l.al*u, Y: a.abdHalfWidth(l, u)})
	}
	for i := n - 1; i > 0; i-- {
		u := -1 + 2*float64(i)/n
		dst = append(dst, raster.Pt{X: l.ac + l.al*u, Y: -a.abdHalfWidth(l, u)})
	}
	return dst
}

func (a *Appearance) abdHalfWidth(l layout, u float64) float64 {
	w := l.aw * math.Sqrt(math.Max(0, 1-u*u))
	if u < 0 {
		w *= 1 - a.AbdTaper*(-u)*0.6
	}
	return w
}

// drawSpecimen renders everything in draw order through the map m, calling
// afterLimbs (if not nil) once legs and antennae are drawn.
func drawSpecimen(c *raster.Canvas, orig *Appearance, p Pose, m raster.Affine, afterLimbs func()) {
	a := orig
	if p.HeadScale != 0 || p.ThoraxScale != 0 {
		v := *orig
		v.HeadWid *= nonZero(p.HeadScale)
		v.ThoraxWid *= nonZero(p.ThoraxScale)
		a = &v
	}
	pn := raster.NewPen(c, m)
	g := p.Gain
	if g == 0 {
		g = 1
	}
	l := a.layout(p)
	legs := a.Legs.with(1, g)
	drawLegs(pn, a, p, l, legs)
	drawAntennae(pn, a, p, l, a.Head.with(1, g*0.9))
	if afterLimbs != nil {
		afterLimbs()
	}
	if a.Plan == PlanMoth {
		drawWings(pn, a, p, l, g)
	}
	body := a.Body.with(1, g)
	edge := a.Body.with(1, g*0.55)
	const rim = 0.012 // darker rim around body parts, in body lengths
	if a.Hairy {
		drawSetae(pn, a, l, a.Body.with(0.7, g*0.7))
	}
	pn.Poly(a.abdomen(nil, layout{ac: l.ac, al: l.al + rim, aw: l.aw + rim}), edge)
	abd := a.abdomen(nil, l)
	pn.Poly(abd, body)
	if a.Plan != PlanBeetle && a.Plan != PlanMoth {
		drawPattern(pn, a, abd, l, a.Marking.with(0.9, g))
	}
	drawSpeckle(pn, a, l, g)
	if a.Waist > 0 {
		pn.Line(raster.Pt{X: l.tc - a.ThoraxLen/2, Y: 0}, raster.Pt{X: l.ac + l.al, Y: 0}, a.ThoraxWid*0.25, a.ThoraxWid*0.25, body)
	}
	pn.Ellipse(l.tc, 0, a.ThoraxLen/2+rim, a.ThoraxWid/2+rim, edge)
	pn.Ellipse(l.tc, 0, a.ThoraxLen/2, a.ThoraxWid/2, body)
	if a.Plan == PlanBug {
		tri := []raster.Pt{{X: l.tc - a.ThoraxLen*0.2, Y: a.ThoraxWid * 0.25}, {X: l.tc - a.ThoraxLen*0.2, Y: -a.ThoraxWid * 0.25}, {X: l.tc - a.ThoraxLen*0.9, Y: 0}}
		pn.Poly(tri, a.Marking.with(0.8, g*0.8))
	}
	if a.Pattern == PatternStripe || a.Pattern == PatternStriped {
		pn.Ellipse(l.tc, 0, a.ThoraxLen*0.4, a.ThoraxWid*0.08, a.Marking.with(0.8, g))
	}
	// A soft highlight gives the thorax some relief.
	pn.Ellipse(l.tc+a.ThoraxLen*0.1, a.ThoraxWid*0.12, a.ThoraxLen*0.18, a.ThoraxWid*0.12, color.NRGBA{255, 255, 255, 40})
	pn.Ellipse(l.hc, 0, a.HeadLen/2+rim, a.HeadWid/2+rim, a.Head.with(1, g*0.55))
	pn.Ellipse(l.hc, 0, a.HeadLen/2, a.HeadWid/2, a.Head.with(1, g))
	er := a.EyeSize * a.HeadWid / 2
	for _, s := range []float64{1, -1} {
		pn.Ellipse(l.hc+a.HeadLen*0.1, s*(a.HeadWid/2-er*0.7), er*0.9, er, a.Eye.with(1, g))
	}
	if a.Plan == PlanBeetle {
		drawElytra(pn, a, l, g)
	} else if a.Plan != PlanMoth {
		drawWings(pn, a, p, l, g)
	}
}

// drawPattern draws the colour pattern clipped to the outline poly.
func drawPattern(pn *raster.Pen, a *Appearance, poly []raster.Pt, l layout, col color.NRGBA) {
	var buf []raster.Pt
	clip := func(nx, ny, k float64, in []raster.Pt) []raster.Pt {
		return raster.ClipHalf(in, &buf, nx, ny, k)
	}
	x0, x1 := l.ac-l.al, l.ac+l.al
	switch a.Pattern {
	case PatternBands:
		pitch := (x1 - x0) / float64(a.PatternCount+1)
		for k := 1; k <= a.PatternCount; k++ {
			xc := x0 + pitch*float64(k)
			w := pitch * a.PatternWidth / 2
			band := append([]raster.Pt(nil), poly...)
			band = clip(1, 0, -(xc - w), band)
			band = clip(-1, 0, xc+w, band)
			pn.Poly(band, col)
		}
	case PatternStripe:
		w := l.aw * a.PatternWidth * 0.4
		s := append([]raster.Pt(nil), poly...)
		s = clip(0, 1, w, s)
		s = clip(0, -1, w, s)
		pn.Poly(s, col)
	case PatternStriped:
		n := float64(a.PatternCount + 1)
		for k := 1; k <= a.PatternCount; k++ {
			yc := -l.aw + 2*l.aw*float64(k)/n
			w := l.aw / n * a.PatternWidth
			s := append([]raster.Pt(nil), poly...)
			s = clip(0, 1, -(yc - w), s)
			s = clip(0, -1, yc+w, s)
			pn.Poly(s, col)
		}
	case PatternSpots:
		pitch := (x1 - x0) / float64(a.PatternCount+1)
		r := math.Min(pitch*0.3, l.aw*0.3) * (0.6 + a.PatternWidth)
		for k := 1; k <= a.PatternCount; k++ {
			xc := x0 + pitch*float64(k)
			u := (xc - l.ac) / l.al
			yo := a.abdHalfWidth(l, u) * 0.45
			pn.Ellipse(xc, yo, r, r*0.8, col)
			pn.Ellipse(xc, -yo, r, r*0.8, col)
		}
	}
}

// drawElytra draws a beetle's wing cases over the abdomen.
func drawElytra(pn *raster.Pen, a *Appearance, l layout, g float64) {
	el := layout{ac: l.ac - 0.01, al: l.al * 0.97, aw: l.aw * 1.02}
	poly := a.abdomen(nil, el)
	pn.Poly(poly, a.WingTint.with(1, g))
	drawPattern(pn, a, poly, el, a.Marking.with(0.95, g))
	pn.Line(raster.Pt{X: el.ac + el.al, Y: 0}, raster.Pt{X: el.ac - el.al*0.95, Y: 0}, 0.012, 0.008, color.NRGBA{10, 10, 10, 160})
	pn.Ellipse(el.ac+el.al*0.3, el.aw*0.4, el.al*0.35, el.aw*0.15, color.NRGBA{255, 255, 255, 35})
}

// drawSpeckle draws the species' fixed dot texture on the abdomen and the
// thorax.
func drawSpeckle(pn *raster.Pen, a *Appearance, l layout, g float64) {
	if a.Speckle <= 0 {
		return
	}
	r := rand.New(rand.NewPCG(a.TextureSeed, 0x5bec))
	col := a.Body.with(0.75, g*0.45)
	if a.TextureSeed%3 == 0 {
		col = a.Marking.with(0.8, g)
	}
	n := int(a.Speckle * 50)
	for i := 0; i < n; i++ {
		u, v := uni(r, -0.85, 0.85), uni(r, -0.8, 0.8)
		rad := uni(r, 0.006, 0.013)
		if i%3 == 2 { // thorax
			pn.Ellipse(l.tc+u*a.ThoraxLen/2, v*a.ThoraxWid/2*math.Sqrt(1-u*u), rad, rad, col)
			continue
		}
		pn.Ellipse(l.ac+l.al*u, v*a.abdHalfWidth(l, u), rad, rad, col)
	}
}

// drawSetae draws short bristles along the abdomen's outline.
func drawSetae(pn *raster.Pen, a *Appearance, l layout, col color.NRGBA) {
	const n = 14
	for i := 1; i < n; i++ {
		u := -1 + 2*float64(i)/n
		x := l.ac + l.al*u
		w := a.abdHalfWidth(l, u)
		for _, s := range []float64{1, -1} {
			pn.Line(raster.Pt{X: x, Y: s * w * 0.9}, raster.Pt{X: x - 0.012, Y: s * (w + 0.03)}, 0.006, 0.003, col)
		}
	}
}

// nonZero returns x, or 1 for the zero value of an optional multiplier.
func nonZero(x float64) float64 {
	if x == 0 {
		return 1
	}
	return x
}

package raster

import (
	"image/color"
	"math"
)

// Pen draws local-coordinate shapes onto a Canvas through an Affine map,
// reusing its vertex buffers. A Pen is not safe for concurrent use.
type Pen struct {
	c   *Canvas
	m   Affine
	buf []Pt
	px  []Pt
}

// NewPen returns a pen drawing onto c through m.
func NewPen(c *Canvas, m Affine) *Pen { return &Pen{c: c, m: m} }

// Poly fills a local-coordinate polygon.
func (p *Pen) Poly(local []Pt, col color.NRGBA) {
	p.px = p.px[:0]
	for _, q := range local {
		p.px = append(p.px, p.m.Apply(q))
	}
	p.c.Fill(p.px, col)
}

// Ellipse fills a local ellipse centred at (cx, cy) with semi-axes rx and
// ry; the number of vertices adapts to its size in pixels.
func (p *Pen) Ellipse(cx, cy, rx, ry float64, col color.NRGBA) {
	p.buf = Ellipse(p.buf[:0], cx, cy, rx, ry, p.vertices(math.Max(rx, ry)))
	p.Poly(p.buf, col)
}

// vertices picks a polygon resolution for a local radius.
func (p *Pen) vertices(r float64) int {
	s := math.Hypot(p.m.A, p.m.C) * r
	n := int(s * 1.2)
	return max(10, min(n, 72))
}

// Line strokes the local segment from a to b, w0 wide at a and w1 at b;
// widths are in local units but never thinner than 0.7 pixels, so fine
// structures stay visible at small scales.
func (p *Pen) Line(a, b Pt, w0, w1 float64, col color.NRGBA) {
	scale := math.Hypot(p.m.A, p.m.C)
	const minPx = 0.7
	if scale > 0 {
		w0 = math.Max(w0, minPx/scale)
		w1 = math.Max(w1, minPx/scale)
	}
	p.buf = SegmentQuad(p.buf[:0], a, b, w0, w1)
	p.Poly(p.buf, col)
}

// Polyline strokes consecutive segments through pts, the width going
// linearly from w0 to w1, with round joints.
func (p *Pen) Polyline(pts []Pt, w0, w1 float64, col color.NRGBA) {
	n := len(pts) - 1
	for i := 0; i < n; i++ {
		t0, t1 := float64(i)/float64(n), float64(i+1)/float64(n)
		wa, wb := w0+(w1-w0)*t0, w0+(w1-w0)*t1
		p.Line(pts[i], pts[i+1], wa, wb, col)
		if i > 0 {
			p.Ellipse(pts[i].X, pts[i].Y, wa/2, wa/2, col)
		}
	}
}

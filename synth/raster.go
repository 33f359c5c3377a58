package synth

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/vector"
)

// pt is a point in pixel or specimen-local coordinates.
type pt struct{ X, Y float64 }

// affine maps specimen-local coordinates to pixels: p' = T + R·(S·p).
type affine struct {
	a, b, c, d, tx, ty float64
}

// newAffine builds the transform for a specimen whose body is centred at
// (cx, cy) pixels, rotated by theta radians, scaled by s pixels per local
// unit, and mirrored across its long axis when flip is set.
func newAffine(cx, cy, theta, s float64, flip bool) affine {
	cs, sn := math.Cos(theta)*s, math.Sin(theta)*s
	fy := 1.0
	if flip {
		fy = -1
	}
	return affine{a: cs, b: -sn * fy, c: sn, d: cs * fy, tx: cx, ty: cy}
}

func (m affine) apply(p pt) pt {
	return pt{m.a*p.X + m.b*p.Y + m.tx, m.c*p.X + m.d*p.Y + m.ty}
}

// canvas is an RGBA image with a reusable anti-aliasing rasteriser. Shapes
// are filled with premultiplied "over" compositing.
type canvas struct {
	img *image.RGBA
	// dry skips rasterising; with track set, fill only records extents.
	dry bool
	// track records the bounding box of every filled polygon in ext.
	track            bool
	extMinX, extMinY float64
	extMaxX, extMaxY float64
	extAny           bool
	rz               vector.Rasterizer
	scratch          []pt
	clipA            []pt
	clipB            []pt
}

func newCanvas(img *image.RGBA) *canvas { return &canvas{img: img} }

// fill composites the polygon p (pixel coordinates, any winding) in col.
func (c *canvas) fill(p []pt, col color.NRGBA) {
	if len(p) < 3 || col.A == 0 {
		return
	}
	if c.track {
		for _, q := range p {
			if !c.extAny {
				c.extMinX, c.extMaxX, c.extMinY, c.extMaxY = q.X, q.X, q.Y, q.Y
				c.extAny = true
			}
			c.extMinX, c.extMaxX = math.Min(c.extMinX, q.X), math.Max(c.extMaxX, q.X)
			c.extMinY, c.extMaxY = math.Min(c.extMinY, q.Y), math.Max(c.extMaxY, q.Y)
		}
	}
	if c.dry {
		return
	}
	b := c.img.Bounds()
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, q := range p {
		minX, maxX = math.Min(minX, q.X), math.Max(maxX, q.X)
		minY, maxY = math.Min(minY, q.Y), math.Max(maxY, q.Y)
	}
	// Skip polygons with NaN or infinite vertices (NaN fails every
	// comparison, so test the finite range instead).
	if !(minX > -1e9 && maxX < 1e9 && minY > -1e9 && maxY < 1e9) {
		return
	}
	r := image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1).Intersect(b)
	if r.Empty() {
		return
	}
	// Clip to the drawing rectangle so the rasteriser never sees points
	// outside its buffer.
	poly := p
	if minX < float64(r.Min.X) || minY < float64(r.Min.Y) || maxX > float64(r.Max.X) || maxY > float64(r.Max.Y) {
		poly = c.clipRect(p, float64(r.Min.X), float64(r.Min.Y), float64(r.Max.X), float64(r.Max.Y))
		if len(poly) < 3 {
			return
		}
	}
	c.rz.Reset(r.Dx(), r.Dy())
	ox, oy := float64(r.Min.X), float64(r.Min.Y)
	c.rz.MoveTo(float32(poly[0].X-ox), float32(poly[0].Y-oy))
	for _, q := range poly[1:] {
		c.rz.LineTo(float32(q.X-ox), float32(q.Y-oy))
	}
	c.rz.ClosePath()
	c.rz.DrawOp = draw.Over
	c.rz.Draw(c.img, r, image.NewUniform(col), image.Point{})
}

// clipRect clips polygon p to an axis-aligned rectangle (Sutherland-Hodgman).
func (c *canvas) clipRect(p []pt, x0, y0, x1, y1 float64) []pt {
	c.clipA = append(c.clipA[:0], p...)
	c.clipA = clipHalf(c.clipA, &c.clipB, 1, 0, -x0)
	c.clipA = clipHalf(c.clipA, &c.clipB, -1, 0, x1)
	c.clipA = clipHalf(c.clipA, &c.clipB, 0, 1, -y0)
	c.clipA = clipHalf(c.clipA, &c.clipB, 0, -1, y1)
	return c.clipA
}

// clipHalf keeps the part of polygon p where nx*x + ny*y + k >= 0. It uses
// *buf as the output buffer and swaps it with p, returning the result.
func clipHalf(p []pt, buf *[]pt, nx, ny, k float64) []pt {
	out := (*buf)[:0]
	n := len(p)
	for i := 0; i < n; i++ {
		a, b := p[i], p[(i+1)%n]
		da, db := nx*a.X+ny*a.Y+k, nx*b.X+ny*b.Y+k
		if da >= 0 {
			out = append(out, a)
		}
		if (da >= 0) != (db >= 0) {
			t := da / (da - db)
			out = append(out, pt{a.X + t*(b.X-a.X), a.Y + t*(b.Y-a.Y)})
		}
	}
	*buf = p
	return out
}

// ellipse returns a polygon approximating the ellipse centred at (cx, cy)
// with semi-axes rx (along x) and ry, in local coordinates, appended to dst.
func ellipse(dst []pt, cx, cy, rx, ry float64, n int) []pt {
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		dst = append(dst, pt{cx + rx*math.Cos(a), cy + ry*math.Sin(a)})
	}
	return dst
}

// segmentQuad returns the quadrilateral of a line segment from a to b with
// width w0 at a and w1 at b, appended to dst.
func segmentQuad(dst []pt, a, b pt, w0, w1 float64) []pt {
	dx, dy := b.X-a.X, b.Y-a.Y
	l := math.Hypot(dx, dy)
	if l == 0 {
		return dst
	}
	nx, ny := -dy/l, dx/l
	return append(dst,
		pt{a.X + nx*w0/2, a.Y + ny*w0/2}, pt{b.X + nx*w1/2, b.Y + ny*w1/2},
		pt{b.X - nx*w1/2, b.Y - ny*w1/2}, pt{a.X - nx*w0/2, a.Y - ny*w0/2})
}

// pen draws local-coordinate shapes onto a canvas through an affine map.
type pen struct {
	c   *canvas
	m   affine
	buf []pt
	px  []pt
}

// poly fills a local-coordinate polygon.
func (p *pen) poly(local []pt, col color.NRGBA) {
	p.px = p.px[:0]
	for _, q := range local {
		p.px = append(p.px, p.m.apply(q))
	}
	p.c.fill(p.px, col)
}

// ellipse fills a local ellipse; the number of vertices adapts to its size
// in pixels.
func (p *pen) ellipse(cx, cy, rx, ry float64, col color.NRGBA) {
	p.buf = ellipse(p.buf[:0], cx, cy, rx, ry, p.vertices(math.Max(rx, ry)))
	p.poly(p.buf, col)
}

// vertices picks a polygon resolution for a local radius.
func (p *pen) vertices(r float64) int {
	s := math.Hypot(p.m.a, p.m.c) * r
	n := int(s * 1.2)
	return max(10, min(n, 72))
}

// line strokes a local segment; widths are in local units but never thinner
// than minPx pixels, so fine structures stay visible at small scales.
func (p *pen) line(a, b pt, w0, w1 float64, col color.NRGBA) {
	scale := math.Hypot(p.m.a, p.m.c)
	const minPx = 0.7
	if scale > 0 {
		w0 = math.Max(w0, minPx/scale)
		w1 = math.Max(w1, minPx/scale)
	}
	p.buf = segmentQuad(p.buf[:0], a, b, w0, w1)
	p.poly(p.buf, col)
}

// polyline strokes consecutive segments with round-ish joints.
func (p *pen) polyline(pts []pt, w0, w1 float64, col color.NRGBA) {
	n := len(pts) - 1
	for i := 0; i < n; i++ {
		t0, t1 := float64(i)/float64(n), float64(i+1)/float64(n)
		wa, wb := w0+(w1-w0)*t0, w0+(w1-w0)*t1
		p.line(pts[i], pts[i+1], wa, wb, col)
		if i > 0 {
			p.ellipse(pts[i].X, pts[i].Y, wa/2, wa/2, col)
		}
	}
}

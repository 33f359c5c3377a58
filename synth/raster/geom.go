// Package raster is the anti-aliased polygon rasteriser behind synth's
// images, with no insect knowledge: points and affine maps, polygon
// clipping, ellipse and stroke outlines, a Canvas that composites filled
// polygons (optionally only measuring their extent), a Pen that draws
// local-coordinate shapes through an Affine, and the image effects used
// on whole pictures (lit backgrounds, debris, box blur, sensor noise,
// exposure changes).
//
// Everything is deterministic: the same calls with the same random
// streams give the same pixels.
package raster

import "math"

// Pt is a point in pixel or shape-local coordinates.
type Pt struct{ X, Y float64 }

// Affine maps local coordinates to pixels: p' = (A·x + B·y + TX, C·x + D·y + TY).
type Affine struct {
	// A, B, C, D are the linear part (row-major); TX, TY the translation.
	A, B, C, D, TX, TY float64
}

// Identity is the identity map: local coordinates are pixels.
func Identity() Affine { return Affine{A: 1, D: 1} }

// NewAffine builds the map for a shape centred at (cx, cy) pixels, rotated
// by theta radians, scaled by s pixels per local unit, and mirrored across
// its local x axis when flip is set.
func NewAffine(cx, cy, theta, s float64, flip bool) Affine {
	cs, sn := math.Cos(theta)*s, math.Sin(theta)*s
	fy := 1.0
	if flip {
		fy = -1
	}
	return Affine{A: cs, B: -sn * fy, C: sn, D: cs * fy, TX: cx, TY: cy}
}

// Apply maps the local point p to pixels.
func (m Affine) Apply(p Pt) Pt {
	return Pt{m.A*p.X + m.B*p.Y + m.TX, m.C*p.X + m.D*p.Y + m.TY}
}

// ClipHalf keeps the part of polygon p where nx*x + ny*y + k >= 0
// (one Sutherland-Hodgman step). It writes into *buf, swaps *buf with p
// and returns the result, so p's storage is reused by the next call.
func ClipHalf(p []Pt, buf *[]Pt, nx, ny, k float64) []Pt {
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
			out = append(out, Pt{a.X + t*(b.X-a.X), a.Y + t*(b.Y-a.Y)})
		}
	}
	*buf = p
	return out
}

// Ellipse appends to dst an n-vertex polygon approximating the ellipse
// centred at (cx, cy) with semi-axes rx (along x) and ry, and returns it.
func Ellipse(dst []Pt, cx, cy, rx, ry float64, n int) []Pt {
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		dst = append(dst, Pt{cx + rx*math.Cos(a), cy + ry*math.Sin(a)})
	}
	return dst
}

// SegmentQuad appends to dst the quadrilateral of the segment from a to b
// with width w0 at a and w1 at b, and returns it (dst unchanged when a
// and b coincide).
func SegmentQuad(dst []Pt, a, b Pt, w0, w1 float64) []Pt {
	dx, dy := b.X-a.X, b.Y-a.Y
	l := math.Hypot(dx, dy)
	if l == 0 {
		return dst
	}
	nx, ny := -dy/l, dx/l
	return append(dst,
		Pt{a.X + nx*w0/2, a.Y + ny*w0/2}, Pt{b.X + nx*w1/2, b.Y + ny*w1/2},
		Pt{b.X - nx*w1/2, b.Y - ny*w1/2}, Pt{a.X - nx*w0/2, a.Y - ny*w0/2})
}

package raster

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/vector"
)

// Canvas fills polygons onto an RGBA image with anti-aliasing and
// premultiplied "over" compositing, reusing one rasteriser. It can also
// record the bounding box of everything it fills (TrackExtent); a Canvas
// without an image only records. A Canvas is not safe for concurrent use.
type Canvas struct {
	img *image.RGBA
	// track records the bounding box of every filled polygon in ext*.
	track            bool
	extMinX, extMinY float64
	extMaxX, extMaxY float64
	extAny           bool
	rz               vector.Rasterizer
	clipA            []Pt
	clipB            []Pt
}

// NewCanvas returns a canvas drawing onto img. With img nil it draws
// nothing and is only useful with TrackExtent, to measure shapes.
func NewCanvas(img *image.RGBA) *Canvas { return &Canvas{img: img} }

// TrackExtent makes c record the bounding box of every polygon it fills
// from now on (see Extent), whether or not the polygon is on the image.
func (c *Canvas) TrackExtent() { c.track = true }

// ResetExtent forgets the extent recorded so far (tracking goes on).
func (c *Canvas) ResetExtent() {
	c.extAny = false
	c.extMinX, c.extMinY, c.extMaxX, c.extMaxY = 0, 0, 0, 0
}

// Extent returns the bounding box of the polygons filled since
// TrackExtent, in pixels (all zero when none was).
func (c *Canvas) Extent() (minX, minY, maxX, maxY float64) {
	return c.extMinX, c.extMinY, c.extMaxX, c.extMaxY
}

// PixelExtent returns Extent rounded outwards to whole pixels (empty when
// nothing was filled); it is not clipped to the image.
func (c *Canvas) PixelExtent() image.Rectangle {
	if !c.extAny {
		return image.Rectangle{}
	}
	return image.Rect(int(math.Floor(c.extMinX)), int(math.Floor(c.extMinY)), int(math.Ceil(c.extMaxX)), int(math.Ceil(c.extMaxY)))
}

// Fill composites the polygon p (pixel coordinates, any winding) in col.
// Polygons with fewer than 3 vertices, a transparent colour or a
// non-finite vertex draw nothing; the rest is clipped to the image.
func (c *Canvas) Fill(p []Pt, col color.NRGBA) {
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
	if c.img == nil {
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
func (c *Canvas) clipRect(p []Pt, x0, y0, x1, y1 float64) []Pt {
	c.clipA = append(c.clipA[:0], p...)
	c.clipA = ClipHalf(c.clipA, &c.clipB, 1, 0, -x0)
	c.clipA = ClipHalf(c.clipA, &c.clipB, -1, 0, x1)
	c.clipA = ClipHalf(c.clipA, &c.clipB, 0, 1, -y0)
	c.clipA = ClipHalf(c.clipA, &c.clipB, 0, -1, y1)
	return c.clipA
}

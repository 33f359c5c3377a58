package detect

import (
	"fmt"
	"image"
	"math"
	"sort"
)

// minFrameSide is the smallest frame side Detect accepts.
const minFrameSide = 16

// Detect finds specimens on img (any image.Image; *image.RGBA, *image.NRGBA,
// *image.YCbCr and *image.Gray are fast paths) and returns them sorted by
// position (top to bottom, then left to right). An image smaller than 16x16
// or bad options give an error, never a panic.
func Detect(img image.Image, opts Options) ([]Specimen, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if img == nil {
		return nil, fmt.Errorf("detect: nil image")
	}
	b := img.Bounds()
	if b.Dx() < minFrameSide || b.Dy() < minFrameSide {
		return nil, fmt.Errorf("detect: frame %dx%d is smaller than %dx%d", b.Dx(), b.Dy(), minFrameSide, minFrameSide)
	}
	f := max(1, (max(b.Dx(), b.Dy())+o.WorkSize-1)/o.WorkSize)
	work := downscaleLuma(img, f)
	bg := estimateBackground(work, o.BackgroundBlock)

	w, h := work.w, work.h
	mask := make([]uint8, w*h)
	dark := make([]float32, w*h)
	for i, v := range work.v {
		d := float32(0)
		if bg.v[i] > 1 {
			d = 1 - v/bg.v[i]
		}
		dark[i] = d
		if d > float32(o.WeakThreshold) {
			mask[i] = 1
		}
	}
	mask = openClose(mask, w, h)
	labels, comps := labelComponents(mask, dark, w, h)

	px2mm2 := 1 / (o.PixelsPerMM * o.PixelsPerMM)
	cellArea := float64(f * f)
	var out []Specimen
	for _, c := range comps {
		if float64(c.maxDark) < o.StrongThreshold {
			continue // no seed: faint smudge or shadow
		}
		workMM2 := float64(c.n) * cellArea * px2mm2
		if workMM2 < o.MinAreaMM2/2 || (o.MaxAreaMM2 > 0 && workMM2 > 2*o.MaxAreaMM2) {
			continue // clearly out of range; the exact test is below
		}
		solidity := 1.0
		if ha := hullArea(componentSpans(labels, w, c)); ha > 0 {
			solidity = math.Min(1, float64(c.n)/ha)
		}
		if o.MinSolidity > 0 && solidity < o.MinSolidity {
			continue
		}
		s, ok := refine(img, f, labels, w, h, c, bg, o)
		if !ok {
			continue
		}
		s.Solidity = solidity
		s.AreaMM2 = s.AreaPx * px2mm2
		s.LengthMM = s.LengthPx / o.PixelsPerMM
		s.WidthMM = s.WidthPx / o.PixelsPerMM
		if s.AreaMM2 < o.MinAreaMM2 || (o.MaxAreaMM2 > 0 && s.AreaMM2 > o.MaxAreaMM2) {
			continue
		}
		if o.MaxAspect > 0 && s.LengthPx > o.MaxAspect*math.Max(s.WidthPx, 1) {
			continue
		}
		s.TouchesEdge = s.Box.Min.X <= b.Min.X || s.Box.Min.Y <= b.Min.Y || s.Box.Max.X >= b.Max.X || s.Box.Max.Y >= b.Max.Y
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Box.Min.Y != out[j].Box.Min.Y {
			return out[i].Box.Min.Y < out[j].Box.Min.Y
		}
		return out[i].Box.Min.X < out[j].Box.Min.X
	})
	return out, nil
}

// refine re-segments component c at full resolution: every frame pixel whose
// working cell lies within one cell of the component and which is darker
// than (1-WeakThreshold) times the local background belongs to the
// specimen. It returns false when no full-resolution pixel qualifies.
func refine(img image.Image, f int, labels []int32, w, h int, c component, bg plane, o Options) (Specimen, bool) {
	b := img.Bounds()
	// Cells within one cell of the component (dilated component mask).
	cx0, cy0 := max(c.x0-1, 0), max(c.y0-1, 0)
	cx1, cy1 := min(c.x1+1, w), min(c.y1+1, h)
	cw := cx1 - cx0
	near := make([]bool, cw*(cy1-cy0))
	for y := c.y0; y < c.y1; y++ {
		for x := c.x0; x < c.x1; x++ {
			if labels[y*w+x] != c.label {
				continue
			}
			for yy := max(y-1, cy0); yy < min(y+2, cy1); yy++ {
				for xx := max(x-1, cx0); xx < min(x+2, cx1); xx++ {
					near[(yy-cy0)*cw+xx-cx0] = true
				}
			}
		}
	}
	px0, px1 := b.Min.X+cx0*f, min(b.Min.X+cx1*f, b.Max.X)
	row := make([]uint8, px1-px0)
	var m moments
	var sumRatio float64
	box := image.Rectangle{Min: image.Pt(math.MaxInt, math.MaxInt), Max: image.Pt(math.MinInt, math.MinInt)}
	weak := float32(1 - o.WeakThreshold)
	for y := b.Min.Y + cy0*f; y < min(b.Min.Y+cy1*f, b.Max.Y); y++ {
		cy := (y - b.Min.Y) / f
		nrow := near[(cy-cy0)*cw : (cy-cy0+1)*cw]
		bgRow := bg.v[cy*w : cy*w+w]
		rowLuma(img, y, px0, px1, row)
		for i, v := range row {
			x := px0 + i
			cx := (x - b.Min.X) / f
			if !nrow[cx-cx0] {
				continue
			}
			bv := bgRow[cx]
			if float32(v) >= weak*bv || bv <= 1 {
				continue
			}
			m.add(float64(x), float64(y))
			sumRatio += float64(float32(v) / bv)
			box.Min.X, box.Max.X = min(box.Min.X, x), max(box.Max.X, x+1)
			box.Min.Y, box.Max.Y = min(box.Min.Y, y), max(box.Max.Y, y+1)
		}
	}
	if m.n == 0 {
		return Specimen{}, false
	}
	s := Specimen{Box: box, AreaPx: m.n, Contrast: 1 - sumRatio/m.n}
	// Pixel centres are at +0.5.
	cx, cy, major, minor, angle := m.axes()
	s.CenterX, s.CenterY = cx+0.5, cy+0.5
	s.LengthPx, s.WidthPx, s.Orientation = major, minor, angle
	return s, true
}

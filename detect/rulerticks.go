package detect

import (
	"image"
	"math"
)

// Finding a ruler's ticks (see Ruler): thin dark blobs at full
// resolution (the grid they stand on: rulergrid.go).

// boxLuma returns the luma of img inside box, row by row, and its
// histogram.
func boxLuma(img image.Image, box image.Rectangle) ([]uint8, [256]int) {
	w, h := box.Dx(), box.Dy()
	lum := make([]uint8, w*h)
	row := newYCC(w)
	var hist [256]int
	for y := range h {
		rowYCC(img, box.Min.Y+y, box.Min.X, box.Max.X, row)
		copy(lum[y*w:], row.y)
		for _, v := range row.y {
			hist[v]++
		}
	}
	return lum, hist
}

// percentile returns the luma below which a fraction q of hist's pixels
// lie.
func percentile(hist [256]int, q float64) int {
	total := 0
	for _, n := range hist {
		total += n
	}
	c, want := 0, int(q*float64(total))
	for i, n := range hist {
		if c += n; c > want {
			return i
		}
	}
	return 255
}

// tick is one thin dark blob: its centre, direction and extent.
type tick struct {
	cx, cy, angle, length float64
}

// findRuler looks for a millimetre ruler's ticks inside box (see Ruler).
func findRuler(img image.Image, box image.Rectangle) (Ruler, bool) {
	rd := readTicks(img, box, minRulerPiecePx)
	return rd.ruler(rd.at(rulerInk))
}

// tickReading is the luma of a box (widened by 4 px) read for ticks.
type tickReading struct {
	lum []uint8 // nil: not read
	p90 int
	box image.Rectangle
}

// readTicks reads box widened by 4 px; nothing when it is shorter than
// minSide or too large to read.
func readTicks(img image.Image, box image.Rectangle, minSide int) tickReading {
	if b := box.Inset(-4).Intersect(img.Bounds()); max(b.Dx(), b.Dy()) < minSide {
		return tickReading{box: b}
	}
	return readBoxPixels(img, box).ticks(minSide)
}

// boxPixels is the luma of a box widened by 4 px and its histogram, read
// once for both the checkerboard and a ruler's ticks on a component.
type boxPixels struct {
	box  image.Rectangle
	lum  []uint8 // nil: not read (under 2 px a side, or over 4 M pixels)
	hist [256]int
}

// readBoxPixels reads box widened by 4 px (see boxPixels).
func readBoxPixels(img image.Image, box image.Rectangle) boxPixels {
	px := boxPixels{box: box.Inset(-4).Intersect(img.Bounds())}
	if w, h := px.box.Dx(), px.box.Dy(); min(w, h) >= 2 && w*h <= 4<<20 {
		px.lum, px.hist = boxLuma(img, px.box)
	}
	return px
}

// ticks is readTicks on pixels already read.
func (px boxPixels) ticks(minSide int) tickReading {
	if px.lum == nil || max(px.box.Dx(), px.box.Dy()) < minSide {
		return tickReading{box: px.box}
	}
	return tickReading{lum: px.lum, p90: percentile(px.hist, 0.9), box: px.box}
}

// at returns the tick candidates (thin dark blobs) darker than ink times
// the box's 90th percentile.
func (rd tickReading) at(ink float64) []tick {
	if rd.lum == nil {
		return nil
	}
	return thinBlobs(rd.lum, rd.box.Dx(), rd.box.Dy(), uint8(ink*float64(rd.p90)))
}

// ruler finds a ruler among ticks read at rulerInk and, failing that, at
// rulerInkDeep: a white ruler on a card about half as bright (the
// close-up card of ../shared/realframes) has its ticks merge with the
// card at rulerInk where they meet its edge.
func (rd tickReading) ruler(ticks []tick) (Ruler, bool) {
	if r, ok := rulerOf(ticks, rd.box); ok || max(rd.box.Dx(), rd.box.Dy()) < minRulerPx {
		return r, ok
	}
	return rulerOf(rd.at(rulerInkDeep), rd.box)
}

// rulerOf finds a ruler among the ticks read from box.
func rulerOf(ticks []tick, box image.Rectangle) (Ruler, bool) {
	if max(box.Dx(), box.Dy()) < minRulerPx || len(ticks) < rulerMinTicks {
		return Ruler{}, false
	}
	r, ok := tickGrid(ticks)
	if !ok {
		return Ruler{}, false
	}
	r.Box = box
	r.ox += float64(box.Min.X)
	r.oy += float64(box.Min.Y)
	return r, true
}

// thinBlobs returns the 8-connected blobs of lum <= thr that are thin
// lines (see Ruler), with their second-moment axes.
func thinBlobs(lum []uint8, w, h int, thr uint8) []tick {
	seen := make([]bool, w*h)
	var out []tick
	var stack []int
	for i, v := range lum {
		if seen[i] || v > thr {
			continue
		}
		var m moments
		seen[i] = true
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			k := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			m.add(float64(k%w), float64(k/w))
			for _, q := range neighbours8(k, w, h) {
				if q >= 0 && !seen[q] && lum[q] <= thr {
					seen[q] = true
					stack = append(stack, q)
				}
			}
		}
		if m.n < 3 || m.n > 4000 {
			continue
		}
		mx, my, major, minor, a := m.axes()
		if major < rulerAspect*minor {
			continue
		}
		if a < 0 {
			a += math.Pi
		}
		// The ellipse axis is 4 sigma; a line of length L has sigma L/sqrt(12).
		out = append(out, tick{cx: mx, cy: my, angle: a, length: major * math.Sqrt(12) / 4})
	}
	return out
}

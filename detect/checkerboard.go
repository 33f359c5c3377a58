package detect

import (
	"image"
	"math"
	"sort"
)

// Checkerboards. A checkerboard scale bar on the sheet is not a specimen,
// and it gives the frame's scale (Options.ScaleSquareMM, Frame.PixelsPerMM):
// its dark squares are found whole before components are split
// (dropScaleBars), and what of their component reaches beyond the board's
// label is cut from it and goes on (cutBoard, cutout.go).

// minSquares is the least number of dark squares taken for a checkerboard.
const minSquares = 5

// boardLevels are the levels, from the box's darkest luma (0) to its
// lightest (1), below which a pixel is dark, tried in turn until a board is
// found. The squares of a printed bar are speckled lighter inside
// (vermont's are), and on an over-exposed sheet the speckle comes nearer
// the sheet's luma: on vermont's 20220622200400-01 at exposure x1.35
// (clipped) the squares fall apart into scraps at a third of the way,
// each scrap too small to be a square, and are whole at a half; at x1.5,
// at 0.6. Each level is tried only when the ones before it found no board
// (a bar seen as taken is found at a third, as before), so the cost falls
// on large components that are no board: on ../shared/realframes at most
// about 0.1 s a frame (panama's 35 components of 60 px or more).
var boardLevels = [...]float64{1.0 / 3, 0.5, 0.6}

// offGrid returns how far d is from a whole multiple of s, in units of s.
func offGrid(d, s float64) float64 {
	q := math.Abs(d) / s
	return math.Abs(q - math.Round(q))
}

// Checkerboard is a scale bar of alternating dark and light squares seen
// on the frame.
type Checkerboard struct {
	// Box is where it is, in frame coordinates.
	Box image.Rectangle
	// SquarePx is the side of one square in frame pixels (the median
	// centre-to-centre distance of squares meeting corner to corner).
	SquarePx float64
	// Squares is how many dark squares were found.
	Squares int
	// grid is the box of the dark squares on the grid, in frame
	// coordinates.
	grid image.Rectangle
}

// findCheckerboard looks for at least minSquares dark squares of one size
// inside px's box (a component's, widened), on a grid and corner to corner (a checkerboard scale bar):
// pixels darker than a level between the box's darkest and its lightest
// luma form 4-connected blobs; square blobs (box aspect <= 1.5, filling >=
// 40% of their box: the squares may be printed lighter inside) within 20%
// of the median side count. The level is tried at boardLevels in turn.
func findCheckerboard(px boxPixels) (Checkerboard, bool) {
	box, lum := px.box, px.lum
	w, h := box.Dx(), box.Dy()
	if lum == nil || w < 16 || h < 8 {
		return Checkerboard{}, false
	}
	lo, hi := percentile(px.hist, 0.05), percentile(px.hist, 0.95)
	if hi-lo < 40 {
		return Checkerboard{}, false
	}
	dark := make([]bool, w*h)
	for _, level := range boardLevels {
		thr := uint8(float64(lo) + float64(hi-lo)*level)
		// Squares meet corner to corner, and blur joins them there: erode
		// the dark mask (4-neighbourhood) so each square is a blob, by one
		// pixel, else by two (a bar photographed off the pixel grid is
		// blurred more). First try it as it is: squares printed as
		// outlines, seen at 10 px a side (vermont's bar at half the
		// resolution), are parted already and an erosion wipes them out.
		for i, v := range lum {
			dark[i] = v <= thr
		}
		for r := 0; r <= 2; r++ {
			if r > 0 {
				dark = erode4(dark, w, h)
			}
			if cb, ok := gridOfSquares(dark, w, h, float64(2*r)); ok {
				cb.Box, cb.grid = box, cb.grid.Add(box.Min).Inset(-r)
				return cb, true
			}
		}
	}
	return Checkerboard{}, false
}

// erode4 keeps the pixels of m whose four neighbours are in m too.
func erode4(m []bool, w, h int) []bool {
	out := make([]bool, len(m))
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			out[i] = m[i] && m[i-1] && m[i+1] && m[i-w] && m[i+w]
		}
	}
	return out
}

// gridOfSquares finds the checkerboard's squares among the 4-connected
// blobs of the (eroded) dark mask; grown is what the erosion took off a
// square's side. The Box of the result is left for the caller.
func gridOfSquares(dark []bool, w, h int, grown float64) (Checkerboard, bool) {
	var blobs []darkBlob
	for _, b := range darkBlobs(dark, w, h) {
		bw, bh := b.x1-b.x0, b.y1-b.y0
		if b.n >= 16 && max(bw, bh) <= 3*min(bw, bh)/2 && float64(b.n) >= 0.4*float64(bw*bh) {
			blobs = append(blobs, b)
		}
	}
	if len(blobs) < minSquares {
		return Checkerboard{}, false
	}
	sides := make([]float64, len(blobs))
	for i, b := range blobs {
		sides[i] = float64(b.x1-b.x0+b.y1-b.y0)/2 + grown // undo the erosion
	}
	sort.Float64s(sides)
	s := sides[len(sides)/2]
	var sq []darkBlob
	for _, b := range blobs {
		if side := float64(b.x1-b.x0+b.y1-b.y0)/2 + grown; math.Abs(side-s) <= 0.2*s {
			sq = append(sq, b)
		}
	}
	// A printed checkerboard is a grid: neighbours meet corner to corner,
	// one square apart in x and in y, and every square's centre sits a
	// whole number of squares from the first one's. A moth's spotted wing
	// has neither. The pitch (centre to centre of corner neighbours) is
	// the square's side, unbiased by blur and erosion.
	centre := func(b darkBlob) (float64, float64) { return float64(b.x0+b.x1) / 2, float64(b.y0+b.y1) / 2 }
	// Squares meet corner to corner: the pairs are at least 0.7 of the
	// squares less one, or at least 0.8 of the squares have a neighbour
	// (an insect resting on the board merges with the squares it touches
	// and leaves their neighbours fewer pairs).
	var pitch []float64
	paired := make([]bool, len(sq))
	for i, a := range sq {
		ax, ay := centre(a)
		for j, b := range sq[i+1:] {
			bx, by := centre(b)
			dx, dy := math.Abs(ax-bx), math.Abs(ay-by)
			if math.Abs(dx-s) <= 0.25*s && math.Abs(dy-s) <= 0.25*s {
				pitch = append(pitch, dx, dy)
				paired[i], paired[i+1+j] = true, true
			}
		}
	}
	np := 0
	for _, ok := range paired {
		if ok {
			np++
		}
	}
	if len(sq) < minSquares || (float64(len(pitch)/2) < 0.7*float64(len(sq)-1) && float64(np) < 0.8*float64(len(sq))) {
		return Checkerboard{}, false
	}
	sort.Float64s(pitch)
	p := pitch[len(pitch)/2]
	onGrid := 0
	var grid image.Rectangle
	c0x, c0y := centre(sq[0])
	for _, a := range sq {
		ax, ay := centre(a)
		if offGrid(ax-c0x, p) <= 0.2 && offGrid(ay-c0y, p) <= 0.2 {
			onGrid++
			grid = grid.Union(image.Rect(a.x0, a.y0, a.x1, a.y1))
		}
	}
	if float64(onGrid) < 0.8*float64(len(sq)) {
		return Checkerboard{}, false
	}
	return Checkerboard{SquarePx: p, Squares: len(sq), grid: grid}, true
}

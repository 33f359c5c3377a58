package detect

import (
	"image"
	"math"
)

// Things on a trap sheet that are not insects but stand out as much:
// the sheet's fasteners and grommets (dark discs), a checkerboard scale
// bar, a cable or the trap's frame along the image border, and a
// timestamp burned into a corner (strokes a few pixels thick, rejected by
// the thickness rule). Each test below looks at shape only, so it does not
// depend on a given trap's colours. Measured on ../shared/realframes: the
// 12 fasteners, 3 scale bars and 3 border cables there are rejected, and
// no annotated insect.

const (
	// discCover and discSpill: a specimen is a disc when it covers at
	// least discCover of a circle (the part inside the frame) and at most
	// discSpill of it lies outside that circle.
	discCover = 0.8
	discSpill = 0.06
	// stripAspect: a specimen touching the frame's border whose extent
	// along that border is at least stripAspect times its extent into the
	// frame, and at most stripDepthMM deep, is a cable or frame edge.
	stripAspect  = 4
	stripDepthMM = 4
)

// A fastener or a punched hole is a dark disc (Contrast at least
// fastenerContrast) at least fastenerMinMM across. Measured on
// ../shared/realframes: the sheets' grommets are 0.74-0.88 dark and about
// 10 mm across, the cards' punched holes 0.40-0.51 and 6-10 mm. Below
// those floors, discs are insects: round beetles and flies of 1.5-3 mm
// (0.35-0.57 dark, dropped as fasteners before the size floor, 10 on the
// cards and one on a vermont sheet) and whiteflies seen from above
// (under 0.26, dropped when the card's background was estimated in
// smaller blocks).
const (
	fastenerContrast = 0.3
	fastenerMinMM    = 4
)

// isFastener reports whether a piece of contrast c, filled row spans and
// extent full is a fastener or a punched hole (see fastenerContrast).
func isFastener(c float64, spans []span, full, frame image.Rectangle, pxPerMM float64) bool {
	return c >= fastenerContrast && float64(max(full.Dx(), full.Dy())) >= fastenerMinMM*pxPerMM && isDisc(spans, full, frame)
}

// isDisc reports whether the piece's silhouette (filled row spans) is a
// disc, or a disc cut by the frame's border.
func isDisc(spans []span, box, frame image.Rectangle) bool {
	if len(spans) < 8 {
		return false
	}
	type circle struct{ cx, cy, r float64 }
	var cands []circle
	bx, by := float64(box.Min.X+box.Max.X)/2, float64(box.Min.Y+box.Max.Y)/2
	cands = append(cands, circle{bx, by, float64(box.Dx()+box.Dy()) / 4})
	rx, ry := float64(box.Dx())/2, float64(box.Dy())/2
	if box.Max.Y >= frame.Max.Y {
		cands = append(cands, circle{bx, float64(box.Min.Y) + rx, rx})
	}
	if box.Min.Y <= frame.Min.Y {
		cands = append(cands, circle{bx, float64(box.Max.Y) - rx, rx})
	}
	if box.Max.X >= frame.Max.X {
		cands = append(cands, circle{float64(box.Min.X) + ry, by, ry})
	}
	if box.Min.X <= frame.Min.X {
		cands = append(cands, circle{float64(box.Max.X) - ry, by, ry})
	}
	for _, c := range cands {
		var inside, total, circ float64
		for y := max(frame.Min.Y, int(c.cy-c.r)); y <= min(frame.Max.Y-1, int(c.cy+c.r)); y++ {
			dy := float64(y) + 0.5 - c.cy
			if hw := c.r*c.r - dy*dy; hw > 0 {
				hw = math.Sqrt(hw)
				circ += math.Max(0, math.Min(c.cx+hw, float64(frame.Max.X))-math.Max(c.cx-hw, float64(frame.Min.X)))
			}
		}
		for _, s := range spans {
			lo, hi := float64(s.lo), float64(s.hi+1)
			total += hi - lo
			dy := float64(s.y) + 0.5 - c.cy
			if hw := c.r*c.r - dy*dy; hw > 0 {
				hw = math.Sqrt(hw)
				inside += math.Max(0, math.Min(hi, c.cx+hw)-math.Max(lo, c.cx-hw))
			}
		}
		if circ > 0 && total > 0 && inside/circ >= discCover && (total-inside)/total <= discSpill {
			return true
		}
	}
	return false
}

// isBorderStrip reports a thin object lying along the frame's border (a
// cable, the trap's frame, the sheet's hem).
func isBorderStrip(box, frame image.Rectangle, pixelsPerMM float64) bool {
	depth := stripDepthMM * pixelsPerMM
	switch {
	case box.Min.X <= frame.Min.X || box.Max.X >= frame.Max.X:
		if float64(box.Dx()) <= depth && box.Dy() >= stripAspect*box.Dx() {
			return true
		}
		fallthrough
	case box.Min.Y <= frame.Min.Y || box.Max.Y >= frame.Max.Y:
		if (box.Min.Y <= frame.Min.Y || box.Max.Y >= frame.Max.Y) && float64(box.Dy()) <= depth && box.Dx() >= stripAspect*box.Dy() {
			return true
		}
	}
	return false
}

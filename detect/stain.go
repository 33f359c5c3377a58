package detect

import "sort"

// Stains. A moth's meconium or a drop of rain dyes the sheet, and the dye
// spreads into the weave: a faint stain's darkness fades over a wider band
// than any object lying on the sheet, whose outline is as sharp as the
// camera's focus makes it. How sharp that is depends on the camera and the
// resolution (the same moths' outlines measure about 2 px on 4K and on
// half-size frames, so a width in mm moves with the resolution), so the
// frame's own insects are the yardstick: the outline width (Contrast over
// the steepest tenth of the outline's gradients, as for shadows) of a faint
// specimen is compared with the median of the frame's clear specimens
// (Contrast stainClearContrast or more, stainMinMM or longer; at least
// stainMinClear of them). A faint one (Contrast under stainContrast) whose
// outline is stainRatio times that median or wider is a stain.
//
// Measured on ../shared/realframes's light sheets, at full and at half
// resolution (the median of the clear specimens 1.95-2.27 px, denmark's
// 3.3-3.4 px): vermont's faint reddish stain 1.81 and 3.15 times the
// median, the 36 faint insect pieces (Contrast under 0.3, 4 mm or more:
// pale moths, a crane fly, a slender insect) 1.25 times at most. Panama's
// and denmark's stains are not found in the first place. The faint pass's
// pale moths (faint.go) are measured in coarse blocks and are not tested.
const (
	stainContrast      = 0.3
	stainClearContrast = 0.4
	stainRatio         = 1.5
	stainMinMM         = 4.0
	stainMinClear      = 5
)

// stains is a light sheet's stain test: the median outline width of its
// clear specimens (0 when there are fewer than stainMinClear: no test) and
// the outline width of each faint piece.
type stains struct {
	median float64
	faint  map[*piece]float64
}

// isStain reports whether p is a stain (see above).
func (st stains) isStain(p *piece) bool {
	e, ok := st.faint[p]
	return ok && st.median > 0 && e >= stainRatio*st.median
}

// sheetStains reads the outline widths the stain test needs on the pieces
// ps of a light sheet, measured as ss (ok[i]: ps[i] passed measure).
func sheetStains(ol *outlines, ps []*piece, ss []Specimen, ok []bool, pxPerMM float64) stains {
	var clear []float64
	st := stains{faint: map[*piece]float64{}}
	for i, p := range ps {
		s := ss[i]
		if len(p.cols) == 0 {
			continue // a faint pass's coarse piece
		}
		if !ok[i] || float64(max(s.Box.Dx(), s.Box.Dy())) < stainMinMM*pxPerMM || (s.Contrast >= stainContrast && s.Contrast < stainClearContrast) {
			continue
		}
		w, measured := ol.width(p, s.Contrast)
		switch {
		case !measured:
		case s.Contrast >= stainClearContrast:
			clear = append(clear, w)
		default:
			st.faint[p] = w
		}
	}
	if len(clear) >= stainMinClear {
		sort.Float64s(clear)
		st.median = clear[len(clear)/2]
	}
	return st
}

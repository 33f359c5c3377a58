package detect

import (
	"image"
	"math"
)

// Shadows. A shadow cast on the sheet or the card (by the trap's housing
// in a light sheet's corner, a stick or wire held off the card, the rim of
// a hole) has a penumbra: nowhere along its outline does it turn from the
// background to its dark inside in less than about a millimetre. An insect
// lies on the surface the camera is focused on, and the sharpest tenth of
// its outline turns within a few pixels. The width is measured as the
// specimen's Contrast over the steepest tenth of the luma gradients
// (relative to the background's luma) at the ends of its row spans and of
// its column spans, so that it is the same however the frame is turned (on
// rows alone, denmark's garden tiger moth, its wing tips soft, measured
// 0.36 mm as taken and 0.89 mm turned a quarter, and was dropped); a
// frame's border, which cuts a shadow sharply, is left out.
//
// On ../shared/realframes, among the detections of 40 px or more, the
// sharpest tenth of the outline turns within 0.57 mm on every insect of
// Contrast 0.3 or more on the light sheets, as taken and turned, and within
// 0.68 mm on every judged insect of the cards
// (bench/detect/sticky-large.tsv). The shadow in the corner of cyprus's sheet measures 1.14 mm;
// on the cards a shade blob and the card's edge against the cloth measure
// 0.8-1.1 mm. The line is drawn between the two, at 0.8 mm; pieces at or
// over it are dropped. (On rows alone, 3 more judged junk boxes were
// dropped, whose rows turn slowly and columns fast, among them a tear, a
// spring clip and the card's bright edge; no insect was.) synth/trap draws
// housing shadows whose darkness ramps up over 4-15 mm, as Cyprus' does
// over tens of mm; they measure 0.97-3.7 mm. Pale specimens are left alone
// here: a faint outline turns slowly by nature (a pale moth on denmark's
// sheet, Contrast 0.22, measures about 1 mm, found by the coarse faint
// pass); a faint stain is told by its outline against the frame's own
// insects' (stain.go).
const (
	shadowContrast = 0.3 // from this Contrast up, a specimen's outline is tested
	shadowEdgeMM   = 0.8 // a shadow's sharpest tenth of outline is this wide or wider
	shadowMinMM    = 4.0 // pieces shorter than this are not tested
)

// isShadow reports whether the specimen s measured from piece p is a
// shadow (see above), its outline read by ol.
func isShadow(ol *outlines, p *piece, s Specimen, pxPerMM float64) bool {
	if s.Contrast < shadowContrast || float64(max(s.Box.Dx(), s.Box.Dy())) < shadowMinMM*pxPerMM {
		return false
	}
	w, ok := ol.width(p, s.Contrast)
	return ok && w >= shadowEdgeMM*pxPerMM
}

// outlines measures the outline width of pieces of one frame, once each:
// the specimen's Contrast over the steepest tenth of its outline's
// gradients (steepestEdge), in frame pixels. The shadow and stain tests
// read the same measure. bg is the background's luma per working cell of
// f x f frame pixels.
type outlines struct {
	img    image.Image
	bg     plane
	f      int
	widths map[*piece]float64 // 0: not measurable
}

// newOutlines returns an empty outlines for img.
func newOutlines(img image.Image, bg plane, f int) *outlines {
	return &outlines{img: img, bg: bg, f: f, widths: map[*piece]float64{}}
}

// width returns p's outline width (contrast: its specimen's Contrast), and
// false when its outline cannot be read (too few ends, none turning) or it
// is no darker than the background.
func (ol *outlines) width(p *piece, contrast float64) (float64, bool) {
	w, ok := ol.widths[p]
	if !ok {
		if steep, turns := steepestEdge(ol.img, p, ol.bg, ol.f); turns && contrast > 0 {
			w = contrast / steep
		}
		ol.widths[p] = w
	}
	return w, w > 0
}

// steepestEdge returns the 90th percentile, over the ends of p's row and
// column spans (not those at the frame's border), of the luma gradient
// relative to the background's luma (per frame pixel, on 3 x 3 means),
// and false when p has fewer than 8 such ends or none of them turns.
func steepestEdge(img image.Image, p *piece, bg plane, f int) (float64, bool) {
	grads := edgeGrads(img, p, bg, f)
	if len(grads) < 8 {
		return 0, false
	}
	steep := float64(selectK(grads, len(grads)*9/10))
	return steep, steep > 0
}

// edgeGrads returns the luma gradients relative to the background's luma
// at the ends of p's row spans and then of its column spans, those at the
// frame's border left out.
func edgeGrads(img image.Image, p *piece, bg plane, f int) []float32 {
	b := img.Bounds()
	win := newYCC(25) // 5 x 5 frame pixels around one end
	grads := make([]float32, 0, 2*(len(p.spans)+len(p.cols)))
	add := func(x, y int) {
		if x < b.Min.X+2 || y < b.Min.Y+2 || x > b.Max.X-3 || y > b.Max.Y-3 {
			return
		}
		g := bg.atFrame(x, y, f, b.Min)
		if g <= 0 {
			return
		}
		for r := range 5 {
			rowYCC(img, y-2+r, x-2, x+3, win.slice(5*r, 5*r+5))
		}
		gx := (mean3(win.y, 3, 2) - mean3(win.y, 1, 2)) / 2
		gy := (mean3(win.y, 2, 3) - mean3(win.y, 2, 1)) / 2
		grads = append(grads, float32(math.Hypot(gx, gy))/g)
	}
	for _, sp := range p.spans {
		add(sp.lo, sp.y)
		add(sp.hi, sp.y)
	}
	for _, sp := range p.cols { // sp.y is the column's x
		add(sp.y, sp.lo)
		add(sp.y, sp.hi)
	}
	return grads
}

// mean3 is the mean of the 3 x 3 pixels around (x, y) of a 5-wide window.
func mean3(v []uint8, x, y int) float64 {
	t := 0
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			t += int(v[(y+dy)*5+x+dx])
		}
	}
	return float64(t) / 9
}

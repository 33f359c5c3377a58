package detect

import (
	"image"
	"math"
	"sort"
)

const (
	// minFrameSide is the smallest frame side Detect accepts.
	minFrameSide = 16
	// minThicknessPx is the least thickness, in frame pixels, of a
	// specimen: 1-2 pixel lines are fibres or hairs.
	minThicknessPx = 3
	// minEdgeThicknessPx: at the frame's border, where a camera burns in
	// its timestamp (strokes about 3 px wide), a specimen must be thicker.
	// Text in larger glyphs is told by its outlined white (burnedin.go).
	minEdgeThicknessPx = 4
	// minBoardPx: components shorter than this (frame pixels) are not
	// looked at as checkerboards.
	minBoardPx = 60
	// thinLimbMM: parts of a specimen thinner than about twice this
	// (legs, antennae) do not count towards its box.
	thinLimbMM = 0.25
)

// Detect finds specimens on img (any image.Image; *image.RGBA, *image.NRGBA,
// *image.YCbCr and *image.Gray are fast paths) and returns them sorted by
// position (top to bottom, then left to right). An image smaller than 16x16,
// bad options or an image.Image whose pixels cannot be read (one that
// panics) give an error, never a panic. Detect keeps no state and is safe
// for concurrent use; it spreads the frame reduction over GOMAXPROCS
// goroutines. Analyze also reports scale bars and the frame's scale.
func Detect(img image.Image, opts Options) ([]Specimen, error) {
	f, err := Analyze(img, opts)
	return f.Specimens, err
}

// Frame is what Analyze finds on one frame.
type Frame struct {
	// Specimens as Detect returns them. Their mm fields use PixelsPerMM.
	Specimens []Specimen
	// Checkerboards are the checkerboard scale bars seen, Rulers the
	// millimetre rulers, SolidBars the solid scale bar of
	// Options.SolidBarMM (at most one); none is reported as a specimen.
	Checkerboards []Checkerboard
	Rulers        []Ruler
	SolidBars     []SolidBar
	// PixelsPerMM is the scale the mm fields use: measured from the first
	// checkerboard when Options.ScaleSquareMM is set and one is in view,
	// else from the solid bar when Options.SolidBarMM is set and one is in
	// view, else from the first ruler in view (unless
	// Options.NoRulerScale), else, on a card farther than configured, from
	// its whiteflies (cardfar.go), else Options.PixelsPerMM.
	PixelsPerMM float64
	// ScaleSource says where PixelsPerMM came from: "checkerboard",
	// "solid_bar", "ruler", "whiteflies" (a card searched again at the
	// scale its whiteflies give: it lies farther than configured,
	// cardfar.go) or "config".
	ScaleSource string
	// Rejected counts the specimens Options.Verifier took for no insect
	// (on a card); VerifyErrors those it failed on (kept).
	Rejected, VerifyErrors int
	// Haze is the black level (0-255) a veil over the photo (of a card or
	// a sheet) lifted every channel by, taken off before the frame was
	// searched (haze.go); 0 when none was.
	Haze float64
	// Noise is the card's measured noise (a sigma in luma levels) when it
	// was searched smoothed (denoise.go); 0 when it was not.
	Noise float64
	// Surface is what the frame was searched as: SurfaceSheet,
	// SurfaceCard (a card found by its colour) or SurfaceGreyCard (a
	// sticky trap's card found by its brightness, surface.go).
	Surface string
	// Colourless: the frame has no colour (a monochrome camera's: every
	// working cell but a thousandth within colourlessChroma of grey). With
	// Options.Trap auto such a frame is searched as a sheet, a sticky
	// card's too.
	Colourless bool
}

// Frame.Surface values.
const (
	SurfaceSheet    = "sheet"
	SurfaceCard     = "card"
	SurfaceGreyCard = "grey_card"
)

// specimens turns pieces into specimens: on a card, fragments of one
// insect are merged and pieces along the card's edge dropped; on a sheet,
// faint large objects are added. Each piece is then measured and filtered
// (a merge whose result is rejected is undone), and what is no insect is
// dropped (glare and flat scatters on a card, printed text, pieces nested
// in a larger specimen).
func (wp *work) specimens(img image.Image, o Options, fg fgCells, pieces []*piece, refs scaleRefs) []Specimen {
	b, f := wp.bounds, wp.f
	if wp.card != nil {
		// A punched hole is dropped before pieces merge: an insect beside
		// it would otherwise be merged into it and lost with it (or keep
		// it, the merge being no disc).
		kept := pieces[:0]
		for _, p := range pieces {
			if !isPunchedHole(img, p, wp.bg, f, o.PixelsPerMM) {
				kept = append(kept, p)
			}
		}
		// Only a coloured card splits one insect into pieces (its yellow
		// bands); on a sheet, nearby pieces are nearby insects.
		pieces = mergePieces(kept, int(math.Ceil(o.MergeGapMM*o.PixelsPerMM)))
		pieces = dropCardEdge(pieces, wp.card, wp.w, wp.h, f, b.Min, o.PixelsPerMM)
	} else {
		taken := pieces
		for _, r := range refs.boxes() {
			taken = append(taken, &piece{box: r})
		}
		pieces = absorbFragments(faintPieces(fg.excess, fg.scale, wp.py, wp.bg, f, float32(o.NoiseSigmas), b, o.PixelsPerMM, taken), pieces)
	}
	keep := func(p *piece) (Specimen, bool) {
		if p.own != nil && isPunchedHole(img, p, wp.bg, f, o.PixelsPerMM) {
			return Specimen{}, false // fragments merged into a hole (each was tested alone above)
		}
		return o.measure(p, b)
	}
	ss, oks := make([]Specimen, len(pieces)), make([]bool, len(pieces))
	for i, p := range pieces {
		ss[i], oks[i] = keep(p)
	}
	ol := newOutlines(img, wp.bg, f)
	var st stains
	if wp.card == nil {
		st = sheetStains(ol, pieces, ss, oks, o.PixelsPerMM)
	}
	shadow := func(p *piece, s Specimen) bool { // or a stain
		return st.isStain(p) || isShadow(ol, p, s, o.PixelsPerMM)
	}
	var out []Specimen
	for i, p := range pieces {
		s, ok := ss[i], oks[i]
		switch {
		case ok && shadow(p, s):
			// a shadow or a stain, with whatever was merged into it
		case ok:
			out = append(out, s)
		case p.own != nil:
			for _, q := range p.unmerge() {
				if s, ok := keep(q); ok && !shadow(q, s) {
					out = append(out, s)
				}
			}
		}
	}
	if wp.card != nil {
		kept := out[:0]
		for _, s := range out {
			if !isGlare(img, s, wp, o.PixelsPerMM) && !isFlatScatter(s, o.PixelsPerMM) {
				kept = append(kept, s)
			}
		}
		out = kept
	}
	if len(refs.rulers) > 0 || len(refs.bars) > 0 {
		kept := out[:0]
		for _, s := range out {
			if !onRuler(s.Box, refs.rulers) && !onSolidBar(s.Box, refs.bars) {
				kept = append(kept, s)
			}
		}
		out = kept
	}
	out = dropBurnedInText(img, dropCaptions(dropTextLines(out), refs.bars, o.SolidBarMM))
	if wp.card == nil {
		// On a sheet, a piece mostly inside a much larger specimen's box
		// is part of it (a wing's pattern, a dark vein along its edge) cut
		// off by the threshold: on ../shared/realframes, 2 of the 15 false
		// positives, and the last frames whose count was 10 % off. (On a
		// card, whiteflies do sit inside a larger insect's box.)
		out = dropNested(out)
	}
	// The rules above judge a specimen by its body box, as they were
	// measured; on a light sheet it is reported without its limbs too.
	for i := range out {
		if t := out[i].trimmed; !t.Empty() {
			out[i].Box, out[i].trimmed = t, image.Rectangle{}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Box.Min.Y != out[j].Box.Min.Y {
			return out[i].Box.Min.Y < out[j].Box.Min.Y
		}
		return out[i].Box.Min.X < out[j].Box.Min.X
	})
	return out
}

// nestedFraction and nestedRatio: see dropNested.
const (
	nestedFraction = 0.5
	nestedRatio    = 4
)

// dropNested removes specimens whose box lies mostly (nestedFraction of its
// area) inside the box of a specimen nestedRatio times larger.
func dropNested(ss []Specimen) []Specimen {
	out := ss[:0:0]
	for i, s := range ss {
		nested := false
		for j, o := range ss {
			if j != i && area(o.Box) >= nestedRatio*area(s.Box) && area(o.Box.Intersect(s.Box)) >= nestedFraction*area(s.Box) {
				nested = true
				break
			}
		}
		if !nested {
			out = append(out, s)
		}
	}
	return out
}

// measure measures a piece as a specimen in frame b and reports whether it
// passes the size and shape filters and is not a disc (grommet) or a strip
// along the border (a cable, a timestamp).
func (o Options) measure(p *piece, b image.Rectangle) (Specimen, bool) {
	px2mm2 := 1 / (o.PixelsPerMM * o.PixelsPerMM)
	s := p.specimen()
	s.AreaMM2 = s.AreaPx * px2mm2
	s.LengthMM = s.LengthPx / o.PixelsPerMM
	s.WidthMM = s.WidthPx / o.PixelsPerMM
	if !o.accepts(s) {
		return s, false
	}
	if p.own != nil && s.AreaPx < mergeMinFill*float64(s.Box.Dx()*s.Box.Dy()) {
		return s, false // specks gathered by merging, not an insect (undone)
	}
	if max(s.Box.Dx(), s.Box.Dy()) >= 16 && (isFastener(s.Contrast, p.spans, p.full, b, o.PixelsPerMM) || isBorderStrip(s.Box, b, o.PixelsPerMM)) {
		return s, false
	}
	s.TouchesEdge = s.Box.Min.X <= b.Min.X || s.Box.Min.Y <= b.Min.Y || s.Box.Max.X >= b.Max.X || s.Box.Max.Y >= b.Max.Y
	if s.TouchesEdge && s.ThicknessPx < minEdgeThicknessPx {
		return s, false // timestamp text, a fibre along the edge
	}
	return s, true
}

// accepts applies the size and shape filters to a measured specimen.
func (o Options) accepts(s Specimen) bool {
	switch {
	case s.CoverAreaPx/(o.PixelsPerMM*o.PixelsPerMM) < o.MinAreaMM2, o.MaxAreaMM2 > 0 && s.AreaMM2 > o.MaxAreaMM2:
		return false
	case o.MaxAspect > 0 && s.LengthPx > o.MaxAspect*math.Max(s.WidthPx, 1):
		return false // fibre, hair, scratch
	case s.ThicknessPx < max(minThicknessPx, o.MinThicknessMM*o.PixelsPerMM):
		return false // thin everywhere: fibre, hair
	case o.MinSolidity > 0 && s.Solidity < o.MinSolidity:
		return false
	}
	return true
}

package detect

// Glare. The glue of a used sticky card is glossy: where it catches the
// light, its ridges and the bare card between them form faint networks
// that pass for specimens. Judged by eye (bench/detect/sticky-large.tsv),
// glare was a quarter of the junk among the cards' detections of 40 px or
// more. Such a piece has no body: it is faint (Contrast under
// glareContrast), thin strands (its thickest square under glareThickness
// of its width) and flat (coverage over glareCover of its pixels, where an
// insect's rim, legs and wings are partly covered pixels), and it spreads
// over glareMinAreaMM2 or more. On realframes/sticky this drops 34 of the
// 232 junk boxes the card's edge rule left, none of the judged insects,
// and one whitefly match (a 85x69 px junk box's). Two touching whiteflies,
// as thin at their neck, stay under the area floor; a spider with its
// legs spread is as thin for its width, but dark and less flat.

const (
	glareContrast   = 0.25
	glareThickness  = 0.25
	glareCover      = 0.8
	glareMinAreaMM2 = 5
)

// isGlare reports a card specimen taken for glare (see above).
func isGlare(s Specimen, pxPerMM float64) bool {
	return s.AreaPx >= glareMinAreaMM2*pxPerMM*pxPerMM && s.Contrast < glareContrast &&
		s.ThicknessPx < glareThickness*s.WidthPx && s.CoverAreaPx >= glareCover*s.AreaPx
}

// dropGlare removes the specimens isGlare reports.
func dropGlare(ss []Specimen, pxPerMM float64) []Specimen {
	kept := ss[:0]
	for _, s := range ss {
		if !isGlare(s, pxPerMM) {
			kept = append(kept, s)
		}
	}
	return kept
}

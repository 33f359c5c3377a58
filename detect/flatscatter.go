package detect

// Flat scatters. Among the cards' detections of 5 mm or more, much of the
// junk that the edge, hole, shadow and glare rules leave is a scatter
// without a body: a shaded band along the card's edge gathered with the
// specks in it, glare streaks and arcs, smudges, a stick's outline. Such a
// piece is flat (nearly every pixel deviates as much as its middle: its
// coverage is flatCover or more of its area; an insect's rim, legs and
// wings are partly covered pixels), ragged (Solidity flatSolidity or
// less) and has no body: its thickest square is at most flatThin of its
// length. An insect of 5 mm or more has a thorax: the judged insects on
// the cards that are as flat and as ragged (moths with their wings
// spread, a whitefly on the close-up card) are 0.21 of their length thick
// or more.
//
// Measured on ../shared/realframes/sticky against the judged rows
// (bench/detect/sticky-large.tsv): judged junk still reported 164 -> 140
// of 464, every judged insect kept, whitefly recall unchanged (the rule
// looks at specimens of flatMinMM or more). The three bounds were chosen
// on those same 18 cards; the nearest judged insects lie at 0.21 of their
// length thick (a small moth), and at 0.18 the rule still keeps every
// judged insect (133 junk). A spider's legs, a crane fly's, are partly
// covered pixels: not flat.
const (
	flatCover    = 0.8
	flatSolidity = 0.66
	flatThin     = 0.15
	flatMinMM    = 5
)

// isFlatScatter reports a card specimen taken for a flat scatter (see
// above).
func isFlatScatter(s Specimen, pxPerMM float64) bool {
	return float64(max(s.Box.Dx(), s.Box.Dy())) >= flatMinMM*pxPerMM && s.CoverAreaPx >= flatCover*s.AreaPx &&
		s.Solidity <= flatSolidity && s.ThicknessPx <= flatThin*s.LengthPx
}

package detect

import (
	"image"
	"slices"
)

// A card photographed from farther than its configured scale says. A
// hand-held photo of a card can be taken from any distance, and the scale
// the detector is given (Options.PixelsPerMM) is then too fine: a
// whitefly, 1-1.5 mm long, is a few pixels, under the size floors set in
// mm, and is dropped. Told a coarser scale than it has, a card loses
// little (on ../shared/realframes/sticky's 18 cards whitefly recall 0.806
// told 0.6 of their 8 px/mm, 0.807 told 8), told a finer one it loses
// nearly all (0.578 told 1.6 times it, 0.205 told twice it). A card's own
// whiteflies say which way to err: the pieces filled with their pale
// pixels (whitish, at most paleMaxMM long; where a card has whiteflies,
// mostly they) measure a median of 8-17 px on the 18 cards as taken (10-12
// on most; 1.0-2.1 mm at 8 px/mm), 5-6 px on the same cards halved
// (realeval's farther: half the resolution, the scale left as configured)
// and 6 px on 20231209_162100, a card a quarter of its frame. So when at
// least farMinPieces such pieces have a median length under farRatio of
// whiteflyMM at the configured scale, the card is searched again at the
// scale that makes that median whiteflyMM long, and the frame says so
// (Frame.ScaleSource "whiteflies"; its mm fields are at that scale).
//
// Measured (bench/REPORT.md): the halved cards' whitefly recall 0.207 ->
// 0.709 (centred 0.249 -> 0.813), 16 of 18 searched again (the close-up
// card's whiteflies, 13 px halved, are found at 8 px/mm; 20231209_162100
// halved keeps too few pale pieces); halved and re-encoded as JPEG (2 x 2
// chroma blocks smear a 4 px whitefly's blue over 6-8 px) 11 of 18 are.
// As taken only 20231209_162100 is searched again (at 4.8 px/mm: 2 of its
// 9 whiteflies found instead of 3, 5 at 4.0, 6 at 5.6: too few to read),
// in 1.3 s instead of 0.6; every other card's boxes are the same. The
// scale is only ever made coarser: a close-up card is found at 8 px/mm,
// and a card whose pale pieces are glare or pale specks rather than
// whiteflies should not be searched finer than configured; made coarser
// by mistake, a card loses little (above). Not on a card already
// resampled to cardPPM (a configured scale far from it, cardscale.go).
const (
	// whiteflyMM is the length of an adult whitefly with its wings, the
	// yardstick of the search again.
	whiteflyMM = 1.25
	// farRatio: the pale pieces' median length under this share of
	// whiteflyMM (at the configured scale) means a card farther than
	// configured. As taken the 18 cards' medians are 0.8-1.7 of it.
	farRatio = 0.7
	// farMinPieces: fewer pale pieces say nothing.
	farMinPieces = 20
)

// fartherScale returns the scale to search a card again at when its pale
// pieces say it lies farther than ppm (see above), or 0.
func fartherScale(pieces []*piece, ppm float64) float64 {
	var lens []int
	for _, p := range pieces {
		if p.pale || p.faint {
			lens = append(lens, max(p.full.Dx(), p.full.Dy()))
		}
	}
	if len(lens) < farMinPieces {
		return 0
	}
	slices.Sort(lens)
	med := float64(lens[len(lens)/2])
	if med >= farRatio*whiteflyMM*ppm {
		return 0
	}
	return med / whiteflyMM
}

// analyzeFarther searches img again at ppm, the scale its card's
// whiteflies give (fartherScale), and says so in the Frame.
func analyzeFarther(img image.Image, opts Options, ppm float64) (Frame, error) {
	opts.PixelsPerMM, opts.farther = ppm, true
	fr, err := Analyze(img, opts)
	if err == nil && fr.ScaleSource == "config" {
		fr.ScaleSource = "whiteflies"
	}
	return fr, err
}

package detect

// Faint whiteflies. On a card a small component needs a seed of
// cardSeedFraction of StrongThreshold. A whitefly is a pale oval 5-12 px
// long at a phone photo's 8 px/mm, and a little defocus spreads it: its
// peak deviation falls while its extent barely grows. On
// ../shared/realframes/sticky blurred by a 5-tap binomial (sigma about
// 1 px, realeval's blur), whitefly recall fell from 0.802 to 0.751
// (centred 0.958 to 0.910), nearly all of it seeds lost: with
// StrongThreshold at 0.24 instead of 0.3 it was 0.784 (0.950). But a lower
// seed also seeds glare, shade and creases, which grow or merge into
// larger pieces: small components seeded at 0.55 of StrongThreshold
// instead of 2/3 gave 8 more boxes of 40 px or more that hold no
// whitefly, 9 more judged junk boxes (bench/detect/sticky-large.tsv) and
// a judged insect fewer on the cards as taken.
//
// So on a card a small component under the seed is still refilled, after
// every seeded one (it takes no cells from them), and kept only when the
// refilled piece is a whitefly's: at most faintMaxMM long all told
// (Bemisia and Trialeurodes adults are 1-1.5 mm) and whitish on the whole
// (paleMeanBlue, as a pale fill's whitefly). It merges with nothing. The
// foreground test (WeakThreshold and NoiseSigmas local sigmas above the
// card's level) still applies.
//
// On the 18 cards (whitefly recall, centred in brackets), every detection
// of 40 px or more the same and none lost, under each change of
// realeval.Perturbations measured:
//
//	as taken  0.802 (0.957) -> 0.807 (0.963), 161 more detections under 40 px (of 11 473)
//	blur      0.751 (0.910) -> 0.780 (0.948), 640 more (of 10 425)
//	half size 0.740 (0.862) -> 0.758 (0.886)
//	haze      0.615 (0.804) -> 0.657 (0.855)
//	warm cast 0.761 (0.927) -> 0.774 (0.942)
//	noise     0.723 (0.902) -> 0.725 (0.905)
//	JPEG 50   0.812 (0.956) -> 0.814 (0.957)
//
// Without the whitish test the gains were the same within 0.002 for
// twice the new small detections (specks of dust).
const faintMaxMM = 1.5

// faintWhitefly reports whether a piece seeded under the card's seed is
// kept: whitefly-sized and whitish (see faintMaxMM).
func faintWhitefly(p *piece, pxPerMM float64) bool {
	return float64(max(p.full.Dx(), p.full.Dy())) <= faintMaxMM*pxPerMM && p.sumDB >= paleMeanBlue*p.m.n
}

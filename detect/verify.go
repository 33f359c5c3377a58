package detect

import (
	"image"
	"slices"
)

// A learned check of a card's larger specimens.
//
// On the sticky cards of ../shared/realframes about half of the detections
// of 40 px or more are no insect (the card's edge and shade, glare, holes,
// creases: bench/detect/sticky-large.tsv), and no rule on measured features
// separated them (bench/REPORT.md: logistic regression and boosted stumps
// on 18-23 crop features). A small net trained by our own trainer on crops
// of judged detections (bench/verifier) does better, not well: on the
// cards of days it never saw it drops 47 of the 160 junk boxes the
// detector reports and 5 of its 170 insects (bench/REPORT.md). It runs on
// the agent's int8 interpreter (agent/model.Verifier) and is opt-in (the
// agent's model.verifier): a trap must find every catch, and 18 cards from
// one phone are little to learn from; an operator's own reviewed crops
// are the data it needs.
//
// The crops are colour-normalised: a net trained without it rejected 48 of
// the 58 insects of a paler, greener card from a day it had not seen; the
// card's colour, not the insect, had decided.

// Verifier judges a card's larger specimens from their crops.
type Verifier interface {
	// NotInsect returns the probability that crop (VerifierCrop) holds no
	// insect.
	NotInsect(crop image.Image) (float64, error)
}

// Defaults of Options.VerifierReject and Options.VerifierMinMM.
const (
	DefaultVerifierReject = 0.95
	DefaultVerifierMinMM  = 5.0
)

// verifierMargin is the crop's margin around a specimen's box (per side,
// as a fraction of it): context enough to show a card's edge or a hole.
const verifierMargin = 0.25

// verifierCard is the colour a crop's border is scaled to (a yellow card).
var verifierCard = [3]float64{210, 200, 60}

// VerifierCrop is the crop a Verifier judges: box grown by a quarter per
// side (BIOSCANCropRect), each channel scaled so that the median of the
// crop's 3 px border is a fixed yellow (the card around the specimen, the
// same colour whatever the light).
func VerifierCrop(img image.Image, box image.Rectangle) *image.RGBA {
	c := CropTo(img, BIOSCANCropRect(box, verifierMargin), box)
	b := c.Bounds()
	if b.Empty() {
		return c
	}
	var ring [3][]uint8
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if x-b.Min.X < 3 || y-b.Min.Y < 3 || b.Max.X-x <= 3 || b.Max.Y-y <= 3 {
				i := c.PixOffset(x, y)
				for k := range 3 {
					ring[k] = append(ring[k], c.Pix[i+k])
				}
			}
		}
	}
	var g [3]float64
	for k := range 3 {
		slices.Sort(ring[k])
		g[k] = verifierCard[k] / float64(max(8, ring[k][len(ring[k])/2]))
	}
	for i := 0; i < len(c.Pix); i += 4 {
		for k := range 3 {
			c.Pix[i+k] = uint8(min(255, float64(c.Pix[i+k])*g[k]))
		}
	}
	return c
}

// verify drops the specimens of at least o.VerifierMinMM that o.Verifier
// takes for no insect (probability over o.VerifierReject). A specimen the
// verifier fails on is kept and counted in errs.
func verify(img image.Image, found []Specimen, o Options) (kept []Specimen, rejected, errs int) {
	minPx := o.VerifierMinMM * o.PixelsPerMM
	for _, s := range found {
		if float64(max(s.Box.Dx(), s.Box.Dy())) >= minPx {
			p, err := o.Verifier.NotInsect(VerifierCrop(img, s.Box))
			if err != nil {
				errs++
			} else if p > o.VerifierReject {
				rejected++
				continue
			}
		}
		kept = append(kept, s)
	}
	return kept, rejected, errs
}

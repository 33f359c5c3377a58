package trap

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"github.com/trapnet/trapnet/synth/raster"
)

// Whiteflies are what the real sticky cards' boxes mark: tiny pale
// Aleyrodidae, not a species of the catalog (Specimen.SpeciesID -1).
// With Options.PhotoCard a session's card starts with whiteflyDensity
// (drawn per session) per megapixel of card and gains about a tenth of
// that per frame.
const (
	whiteflyMinDensity, whiteflyMaxDensity = 8, 50 // per megapixel of card (real: 3-53, median 26)
	whiteflyMinMM, whiteflyMaxMM           = 0.8, 1.3
)

// whitefly is the taxonomy recorded for whiteflies.
var whitefly = Specimen{SpeciesID: -1, Species: "Trialeurodes vaporariorum", Genus: "Trialeurodes", Subfamily: "Aleyrodinae",
	Family: "Aleyrodidae", Order: "Hemiptera", Class: "Insecta", Phylum: "Arthropoda", Group: -1}

// whiteflyCount returns how many whiteflies frame i of a session on a
// card of the given area gets at density per megapixel.
func whiteflyCount(r *rand.Rand, i int, area image.Rectangle, density float64) int {
	n := density * float64(area.Dx()*area.Dy()) / 1e6
	if i > 0 {
		n /= 10
	}
	return int(n*uni(r, 0.8, 1.2) + 0.5)
}

// placeWhitefly draws a whitefly at a free spot inside area: two beige
// wings held roof-like over a pale yellow body, length (wings included)
// 0.8-1.3 mm, the whole 30-100 % opaque over the glue, so that it differs
// from the card mostly in blue and about as much as the real cards'
// whiteflies (see doc.go). It returns its truth (without ID and
// FirstFrame) and its box plus margin.
func placeWhitefly(r *rand.Rand, img *image.RGBA, ppm float64, area image.Rectangle, placed []image.Rectangle) (Specimen, image.Rectangle, bool) {
	lmm := uni(r, whiteflyMinMM, whiteflyMaxMM)
	l := lmm * ppm
	pl, box, ok := findSpot(r, area, l, l, 2, placed)
	if !ok {
		return Specimen{}, image.Rectangle{}, false
	}
	ang := uni(r, 0, 2*math.Pi)
	op := uni(r, 0.3, 1)
	c := raster.NewCanvas(img)
	c.TrackExtent()
	m := raster.NewAffine(pl.CX, pl.CY, ang, l, false)
	pn := raster.NewPen(c, m)
	pn.Ellipse(0.05, 0, 0.3, 0.11, color.NRGBA{214, 200, 120, uint8(255 * op)})
	var wing []raster.Pt
	for _, side := range []float64{-1, 1} {
		wing = raster.Ellipse(wing[:0], 0, 0, 0.5, 0.2, 24)
		ca, sa := math.Cos(side*0.3), math.Sin(side*0.3)
		for k, q := range wing {
			wing[k] = raster.Pt{X: q.X*ca - q.Y*sa - 0.02, Y: q.X*sa + q.Y*ca + side*0.13}
		}
		w := uint8(uni(r, 205, 235))
		pn.Poly(wing, color.NRGBA{w - 8, w - 16, w - 50, uint8(255 * op * uni(r, 0.9, 1))})
	}
	pn.Ellipse(0.45, 0, 0.07, 0.07, color.NRGBA{150, 60, 50, 200}) // eyes
	got := c.PixelExtent().Intersect(img.Bounds())
	s := whitefly
	s.Box = [4]int{got.Min.X, got.Min.Y, got.Max.X, got.Max.Y}
	s.BodyBox = s.Box
	s.LengthMM = math.Round(lmm*1000) / 1000
	s.AreaMM2 = math.Round(2*math.Pi*0.5*0.2*lmm*lmm*1000) / 1000
	s.AngleDeg = math.Round(ang*180/math.Pi*10) / 10
	s.Center = [2]float64{math.Round(pl.CX*10) / 10, math.Round(pl.CY*10) / 10}
	return s, box.Inset(-2), true
}

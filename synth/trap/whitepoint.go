package trap

import (
	"image"
	"math/rand/v2"

	"github.com/trapnet/trapnet/synth/raster"
)

// A camera's white point. A trap camera exposed for the lamp clips the
// bright sheet at its white point: every channel of a clipped patch holds
// that level, with no texture or noise left. On ../shared/realframes the
// AMI cameras clip at luma 228, on 8 of the 13 light-sheet frames (half of
// the sequential trap's frame, a fifth of two of Vermont's, a few per cent
// of Cyprus'); panama's, denmark's and one of Vermont's are not clipped.
// detect reads the white point off the histogram (detect/clip.go). So on
// whiteClipShare of synth's sheet sessions the camera is exposed past its
// white point: its white point is whiteLow-whiteHigh, and its gain brings
// the bare sheet's brightest whiteMin-whiteMax of pixels, by their least
// channel (so a clipped patch is grey, as the real ones are), whiteMargin
// levels past it (a sheet drawn dim is brightened more; every level is
// scaled, insects' too, as a longer exposure does). Both are fixed for the session (frames
// differ in exposure by at most 1.5 %, so the clipped share moves a
// little); they apply after the sensor's noise and before the timestamp
// is burned in (whose white is the only level above the white point).
const (
	whiteClipShare = 0.5
	whiteMin       = 0.05
	whiteMax       = 0.5
	whiteLow       = 225
	whiteHigh      = 245
	// whiteMargin: the gain brings those pixels this many levels past
	// the white point, so that the sensor's noise (1.5-3.5 levels) does
	// not pull most of them back below it.
	whiteMargin      = 8
	sessionWhiteSeed = 0x5e55_3417
)

// camWhite is a camera's exposure gain and white point (white 0: the
// camera does not clip).
type camWhite struct {
	gain  float64
	white uint8
}

// apply scales img's levels by the gain and clips every channel at the
// white point.
func (c camWhite) apply(img *image.RGBA) {
	if c.white == 0 {
		return
	}
	raster.ScaleLevels(img, c.gain)
	clipWhite(img, c.white)
}

// sessionWhite returns the camera's gain and white point for the session
// of seed whose bare surface is sheet (bg: its background). Its own random
// stream leaves every other draw of the session as it was.
func sessionWhite(seed uint64, bg string, sheet *image.RGBA) camWhite {
	r := rand.New(rand.NewPCG(splitmix(seed, 0), sessionWhiteSeed))
	if bg != BackgroundSheet || r.Float64() >= whiteClipShare {
		return camWhite{}
	}
	white := uint8(whiteLow + r.IntN(whiteHigh-whiteLow+1))
	q := leastQuantile(sheet, 1-uni(r, whiteMin, whiteMax))
	return camWhite{gain: (float64(white) + whiteMargin) / float64(max(q, 1)), white: white}
}

// leastQuantile returns the q quantile of img's least channel (every
// fourth pixel of every fourth row).
func leastQuantile(img *image.RGBA, q float64) uint8 {
	var hist [256]int
	n := 0
	b := img.Rect
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			i := img.PixOffset(x, y)
			p := img.Pix[i : i+3 : i+3]
			hist[min(p[0], p[1], p[2])]++
			n++
		}
	}
	k := min(n-1, int(q*float64(n)))
	for level, c := range hist {
		if k -= c; k < 0 {
			return uint8(level)
		}
	}
	return 255
}

// clipWhite clips every channel of img at level w (0: no clipping).
func clipWhite(img *image.RGBA, w uint8) {
	if w == 0 {
		return
	}
	for i := 0; i < len(img.Pix); i += 4 {
		p := img.Pix[i : i+3 : i+3]
		p[0], p[1], p[2] = min(p[0], w), min(p[1], w), min(p[2], w)
	}
}

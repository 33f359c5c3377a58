package insect

import (
	"image"

	"github.com/trapnet/trapnet/synth/raster"
)

// MeasureSpecimen returns the bounding box of a specimen drawn with body
// length 1 centred at the origin (units of body length) without drawing.
func MeasureSpecimen(a *Appearance, p Pose) (minX, minY, maxX, maxY float64) {
	// Measure at a large scale so that the minimum stroke width (in
	// pixels) does not inflate the extent.
	const s = 1000.0
	c := raster.NewCanvas(nil)
	c.TrackExtent()
	drawSpecimen(c, a, p, raster.NewAffine(0, 0, p.Angle, s, p.Flip), nil)
	minX, minY, maxX, maxY = c.Extent()
	return minX / s, minY / s, maxX / s, maxY / s
}

// SilhouetteArea renders a at a neutral pose and returns the covered area
// for body length 1 (pixels with at least half coverage).
func SilhouetteArea(a *Appearance) float64 {
	const s = 160.0
	img := image.NewRGBA(image.Rect(0, 0, int(3*s), int(3*s)))
	p := Pose{Gain: 1, AbdScale: 1}
	c := raster.NewCanvas(img)
	drawSpecimen(c, a, p, raster.NewAffine(1.5*s, 1.5*s, 0, s, false), nil)
	n := 0
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] >= 128 {
			n++
		}
	}
	return float64(n) / (s * s)
}

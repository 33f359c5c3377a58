package synth

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"github.com/trapnet/trapnet/synth/insect"
	"github.com/trapnet/trapnet/synth/raster"
)

// The imaging model behind the size columns. BIOSCAN-5M describes
// image_measurement_value as the number of pixels the organism occupies,
// area_fraction as the fraction of the original image the crop covers and
// scale_factor as the ratio of the crop to its cropped_256 version. The
// published text does not give the original resolution or magnification;
// we assume a 2880x2160 original (the BIOSCAN-1M microscope's resolution) at
// OrigPixelsPerMM, and measure pixels on that original.
const (
	// OrigWidth and OrigHeight are the assumed original image size.
	OrigWidth, OrigHeight = 2880, 2160
	// OrigPixelsPerMM is the assumed magnification of the original image.
	OrigPixelsPerMM = 140.0
	// CropShortSide is the short side of a cropped_256 image.
	CropShortSide = 256
	// maxAspect caps a crop's long/short side ratio (the crop is widened).
	maxAspect = 4.0 / 3
)

// cropGeom is the geometry of one dataset image and its size metadata.
type cropGeom struct {
	W, H           int     // output image size
	CX, CY, Length float64 // specimen placement in output pixels
	Measurement    int     // image_measurement_value
	AreaFraction   float64
	ScaleFactor    float64
}

// planCrop decides the crop of a specimen of body length lengthMM in pose p.
// shortSide is the output's short side (256 for the published layout).
func planCrop(r *rand.Rand, sp *Species, p insect.Pose, lengthMM float64, shortSide int, square bool) cropGeom {
	x0, y0, x1, y1 := insect.MeasureSpecimen(&sp.Appearance, p)
	lo := lengthMM * OrigPixelsPerMM // body length in original pixels
	ew, eh := (x1-x0)*lo, (y1-y0)*lo
	m := uni(r, 1.08, 1.3)
	cw, ch := ew*m, eh*m
	if square {
		cw = math.Max(cw, ch)
		ch = cw
	}
	if cw > ch*maxAspect {
		ch = cw / maxAspect
	}
	if ch > cw*maxAspect {
		cw = ch / maxAspect
	}
	g := cropGeom{}
	g.AreaFraction = math.Min(1, cw*ch/(OrigWidth*OrigHeight))
	g.ScaleFactor = math.Min(cw, ch) / CropShortSide
	out := float64(shortSide) / math.Min(cw, ch) // output pixels per original pixel
	g.W, g.H = int(math.Round(cw*out)), int(math.Round(ch*out))
	if square {
		g.W, g.H = shortSide, shortSide
	}
	g.Length = lo * out
	// Centre the specimen's extent, with a jitter inside the margin.
	jx := uni(r, -0.5, 0.5) * (cw - ew) * out
	jy := uni(r, -0.5, 0.5) * (ch - eh) * out
	g.CX = float64(g.W)/2 - (x0+x1)/2*g.Length + jx
	g.CY = float64(g.H)/2 - (y0+y1)/2*g.Length + jy
	area := sp.areaUnit * lo * lo * uni(r, 0.97, 1.03)
	g.Measurement = int(math.Round(area))
	return g
}

// renderCrop draws a BIOSCAN-like cropped specimen image: light grey well
// background with gradient, an occasional well edge, debris, the
// specimen, blur and sensor noise.
func renderCrop(r *rand.Rand, sp *Species, p insect.Pose, g cropGeom) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, g.W, g.H))
	lvl := uni(r, 196, 224)
	tint := [3]float64{lvl + uni(r, -4, 4), lvl + uni(r, -4, 4), lvl + uni(r, -5, 3)}
	raster.FillBackground(img, tint, uni(r, 0, 0.08), uni(r, 0, 2*math.Pi), uni(r, 0, 0.12))
	c := raster.NewCanvas(img)
	short := float64(min(g.W, g.H))
	if r.IntN(3) == 0 { // the rim of the plate well, a large faint ring
		rad := short * uni(r, 0.9, 1.4)
		ang := uni(r, 0, 2*math.Pi)
		cx, cy := float64(g.W)/2+math.Cos(ang)*rad*uni(r, 0.6, 0.9), float64(g.H)/2+math.Sin(ang)*rad*uni(r, 0.6, 0.9)
		ring := raster.Ellipse(nil, cx, cy, rad, rad, 96)
		inner := raster.Ellipse(nil, cx, cy, rad*0.97, rad*0.97, 96)
		// Draw the annulus as a ring of quads so the winding is simple.
		for i := range ring {
			k := (i + 1) % len(ring)
			q := []raster.Pt{ring[i], ring[k], inner[k], inner[i]}
			c.Fill(q, color.NRGBA{120, 120, 120, 50})
		}
	}
	raster.ScatterDebris(c, r, r.IntN(5), short/100)
	insect.DrawSpecimen(img, &sp.Appearance, p, insect.Placement{CX: g.CX, CY: g.CY, LengthPx: g.Length})
	if r.IntN(2) == 0 {
		raster.BoxBlur3(img)
	}
	raster.AddNoise(img, r, uni(r, 1.5, 4))
	return img
}

// RenderSpecimen draws one specimen of appearance a, in a random pose,
// filling most of a w x h light-grey image with BIOSCAN-like background,
// blur and noise. Other packages use it for quick test images.
func RenderSpecimen(a *insect.Appearance, r *rand.Rand, w, h int) *image.RGBA {
	p := insect.RandomPose(r)
	x0, y0, x1, y1 := insect.MeasureSpecimen(a, p)
	s := 0.85 * math.Min(float64(w)/(x1-x0), float64(h)/(y1-y0))
	sp := &Species{Appearance: *a}
	g := cropGeom{W: w, H: h, Length: s}
	g.CX = float64(w)/2 - (x0+x1)/2*s
	g.CY = float64(h)/2 - (y0+y1)/2*s
	return renderCrop(r, sp, p, g)
}

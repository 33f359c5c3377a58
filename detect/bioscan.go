package detect

import (
	"image"
	"image/color"
	"image/draw"
	"math"
)

// Crops for the model: BIOSCAN-5M framing and background.
//
// A model trained on BIOSCAN-5M (or on synth's imitation of it) has only
// seen specimens the way BIOSCAN-5M's cropped_256 images show them: on the
// plate's plain light-grey background, in a crop of the specimen's extent
// plus a small margin per axis (about 1.08-1.3 times the extent), widened
// to at most 4:3, which preprocessing then centre-crops to a square of its
// short side. A trap frame differs in both respects: the background is a
// white sheet or a yellow sticky card, and a square crop of the longest
// side shows an elongated specimen about 1.3 times smaller than training
// did. Measured on the demo session (yellow card, 35 specimens, demo model
// with 91.6 % test accuracy): square crops on the card gave 9 % species
// accuracy; BIOSCAN framing alone 6 %; grey background alone 57 %; both
// 63-69 %; both plus size fields like the training rows' (coverage area,
// see ReferenceSizeFields) 71-77 %; and with the final background
// thresholds below 89 % (a white-sheet session of the same species: 89 %).
//
// Real deployments meet the same gap: BIOSCAN-5M's real images are
// grey-background microscope crops, so retraining on trap-like backgrounds
// is not possible from BIOSCAN-5M alone. The trap therefore brings its
// crops to the training distribution (BIOSCANCropRect, ReplaceBackground);
// augmenting backgrounds at training time would make the model more robust
// still, but does not remove the need for the same framing.

// BIOSCANBackground is the plain background ReplaceBackground paints: the
// light grey of BIOSCAN-5M's plate wells (its published mean is about
// 0.76 of full scale; synth draws levels 196-224).
var BIOSCANBackground = color.RGBA{R: 210, G: 210, B: 210, A: 255}

// bioscanMaxAspect is the largest long/short side ratio of a BIOSCAN-style
// crop (synth's maxAspect: narrower crops are widened).
const bioscanMaxAspect = 4.0 / 3

// BIOSCANCropRect returns the crop rectangle BIOSCAN-5M's (and synth's)
// cropping gives box: each side of box grown by margin times that side on
// both ends (margin 0.1: the extent times 1.2), then the shorter side
// widened until the long/short ratio is at most 4:3, centred on box.
// Preprocessing (centre crop of the short side) then sees the specimen at
// the same scale as in training images. The rectangle may extend beyond
// the frame. An empty box gives an empty rectangle; a negative or NaN
// margin counts as 0.
func BIOSCANCropRect(box image.Rectangle, margin float64) image.Rectangle {
	box = box.Canon()
	if box.Empty() {
		return image.Rectangle{}
	}
	if !(margin > 0) {
		margin = 0
	}
	w := float64(box.Dx()) * (1 + 2*margin)
	h := float64(box.Dy()) * (1 + 2*margin)
	if w > h*bioscanMaxAspect {
		h = w / bioscanMaxAspect
	}
	if h > w*bioscanMaxAspect {
		w = h / bioscanMaxAspect
	}
	iw, ih := int(math.Ceil(w-1e-9)), int(math.Ceil(h-1e-9))
	x0 := int(math.Floor(float64(box.Min.X+box.Max.X-iw) / 2))
	y0 := int(math.Floor(float64(box.Min.Y+box.Max.Y-ih) / 2))
	return image.Rect(x0, y0, x0+iw, y0+ih)
}

// CropTo cuts rectangle r (e.g. BIOSCANCropRect(box, margin)) out of img
// into a new RGBA image whose bounds start at (0,0); box is the specimen's
// box inside r. Parts of r outside img are filled with the background
// colour (SheetColor), as Crop does. A rectangle that does not intersect
// img, or an image whose pixels cannot be read, gives an empty image.
func CropTo(img image.Image, r, box image.Rectangle) (crop *image.RGBA) {
	defer func() {
		if recover() != nil {
			crop = image.NewRGBA(image.Rectangle{})
		}
	}()
	in := r.Intersect(img.Bounds())
	if r.Empty() || in.Empty() {
		return image.NewRGBA(image.Rectangle{})
	}
	dst := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	if in != r {
		draw.Draw(dst, dst.Bounds(), image.NewUniform(backgroundColor(img, in, box.Canon())), image.Point{}, draw.Src)
	}
	draw.Draw(dst, in.Sub(r.Min), img, in.Min, draw.Src)
	return dst
}

// SheetColor estimates the trap background (sheet or card) colour around a
// specimen: the mean of the brighter half of the pixels of r (clipped to
// img) outside box. White if there are none.
func SheetColor(img image.Image, r, box image.Rectangle) color.RGBA {
	return backgroundColor(img, r.Intersect(img.Bounds()), box.Canon())
}

// Colour distances (Euclidean, 0-255 RGB) between a pixel and the sheet
// colour below which ReplaceBackground treats it as all background, and
// above which as all specimen; in between it is a mix (anti-aliased
// edges, thin legs, translucent wings). The lower bound sits above the
// sensor noise and lighting gradient of a crop (noise sigma <= 4 per
// channel is about 7 in distance). The upper one is wide because a
// translucent wing over a yellow card differs from the card mostly in its
// blue channel: with 70, wings kept the card's yellow and species accuracy
// on two sticky-card sessions was 74 % and 43 %; with 150, 89 % and 77 %
// (a white-sheet session: 89 % either way). The price is that yellow and
// orange specimen parts on a yellow card lose some of their colour.
const (
	bgReplaceLo = 20.0
	bgReplaceHi = 150.0
)

// ReplaceBackground repaints, in place, the trap background of crop (of
// colour from, e.g. SheetColor) with colour to (BIOSCANBackground). Each
// pixel's specimen share a is estimated from its colour distance d to
// from: 0 at d <= 20, 1 at d >= 150, linear between; the pixel becomes
// p + (1-a)(to - from), so the background turns into to, opaque specimen
// parts keep their colour, and mixed pixels keep their specimen part. An
// illuminant correction (per-channel gains) would not do: on a yellow card
// it would turn grey and brown specimens blue.
func ReplaceBackground(crop *image.RGBA, from, to color.RGBA) {
	if crop == nil {
		return
	}
	b := crop.Bounds()
	f := [3]float64{float64(from.R), float64(from.G), float64(from.B)}
	shift := [3]float64{float64(to.R) - f[0], float64(to.G) - f[1], float64(to.B) - f[2]}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := crop.Pix[crop.PixOffset(b.Min.X, y) : crop.PixOffset(b.Min.X, y)+4*b.Dx()]
		for i := 0; i < len(row); i += 4 {
			var d2 float64
			for c := 0; c < 3; c++ {
				v := float64(row[i+c]) - f[c]
				d2 += v * v
			}
			a := (math.Sqrt(d2) - bgReplaceLo) / (bgReplaceHi - bgReplaceLo)
			if a >= 1 {
				continue
			}
			a = math.Max(a, 0)
			for c := 0; c < 3; c++ {
				v := float64(row[i+c]) + (1-a)*shift[c]
				row[i+c] = uint8(math.Round(math.Min(255, math.Max(0, v))))
			}
		}
	}
}

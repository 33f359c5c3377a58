package detect

import (
	"image"
	"image/color"
	"math"
)

// CropRect returns the square, specimen-centred crop rectangle for box: its
// side is the box's longest side times (1 + 2*margin), so margin is the
// fraction of the longest side left free on each side (BIOSCAN-5M's cropped
// images leave roughly 0.1-0.25). The square may extend beyond the frame.
// An empty box gives an empty rectangle; a negative margin counts as 0.
func CropRect(box image.Rectangle, margin float64) image.Rectangle {
	box = box.Canon()
	if box.Empty() {
		return image.Rectangle{}
	}
	if !(margin > 0) { // also catches NaN
		margin = 0
	}
	side := int(math.Ceil(float64(max(box.Dx(), box.Dy())) * (1 + 2*margin)))
	// Center in doubled coordinates so odd sizes stay centred.
	cx2 := box.Min.X + box.Max.X
	cy2 := box.Min.Y + box.Max.Y
	x0 := (cx2 - side) / 2
	y0 := (cy2 - side) / 2
	if cx2-side < 0 && (cx2-side)%2 != 0 {
		x0-- // floor division for negatives
	}
	if cy2-side < 0 && (cy2-side)%2 != 0 {
		y0--
	}
	return image.Rect(x0, y0, x0+side, y0+side)
}

// Crop cuts the square crop CropRect(box, margin) out of img into a new RGBA
// image whose bounds start at (0,0). Where the square leaves the frame it is
// filled with the background colour: the mean of the brightest half of the
// in-frame crop pixels outside box (white if there are none), the way
// BIOSCAN-5M's crops show a plain bright background. A box that does not
// intersect img, or an image.Image whose pixels cannot be read (one that
// panics), gives an empty image: Crop never panics.
func Crop(img image.Image, box image.Rectangle, margin float64) *image.RGBA {
	return CropTo(img, CropRect(box, margin), box)
}

// backgroundColor estimates the sheet colour around a specimen: the mean of
// the brighter half (by luma) of a sample of pixels of region outside box.
func backgroundColor(img image.Image, region, box image.Rectangle) color.RGBA {
	step := max(1, max(region.Dx(), region.Dy())/64)
	var hist [256]int
	type acc struct{ r, g, b, n uint64 }
	var sums [256]acc
	total := 0
	for y := region.Min.Y; y < region.Max.Y; y += step {
		for x := region.Min.X; x < region.Max.X; x += step {
			if (image.Point{X: x, Y: y}).In(box) {
				continue
			}
			r, g, b, _ := img.At(x, y).RGBA()
			r8, g8, b8 := r>>8, g>>8, b>>8
			l := (299*r8 + 587*g8 + 114*b8) / 1000
			hist[l]++
			s := &sums[l]
			s.r += uint64(r8)
			s.g += uint64(g8)
			s.b += uint64(b8)
			s.n++
			total++
		}
	}
	if total == 0 {
		return color.RGBA{255, 255, 255, 255}
	}
	var r, g, b, n uint64
	for l := 255; l >= 0 && n < uint64((total+1)/2); l-- {
		s := sums[l]
		r, g, b, n = r+s.r, g+s.g, b+s.b, n+s.n
	}
	return color.RGBA{uint8(r / n), uint8(g / n), uint8(b / n), 255}
}

package realeval

import (
	"bytes"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand"
	"slices"

	"github.com/trapnet/trapnet/detect/internal/burnin"
	xdraw "golang.org/x/image/draw"
)

// Perturbation changes a decoded frame as another camera, lamp, exposure
// or file would, to see how far the real frames' figures hold beyond the
// frames themselves (bench/detect -perturb).
type Perturbation struct {
	// Name is the perturbation's short name (a -perturb value).
	Name string
	// Doc says what it does, for the bench's table.
	Doc string
	// Apply returns the changed frame, the factor its pixels per mm are
	// multiplied by, and the map of a box on it back to the frame's
	// pixels (where the annotations are).
	Apply func(img *image.RGBA) (out image.Image, scale float64, back func(image.Rectangle) image.Rectangle)
}

// Perturbations are the changes bench/detect -perturb applies: exposure,
// haze, colour casts, hue and saturation (colourjitter.go), grey levels
// only, sensor noise, the frame taken again a moment later, JPEG quality,
// blur, half and 1.5 times the resolution, a frame taken from farther than
// its configured scale says, a frame turned a quarter, a camera's text
// burned in at its corners, and the frame in a dark surround.
var Perturbations = []Perturbation{
	photometric("dark", "exposure x0.6", func(r, g, b float64) (float64, float64, float64) { return r * 0.6, g * 0.6, b * 0.6 }),
	photometric("bright", "exposure x1.35 (clipped)", func(r, g, b float64) (float64, float64, float64) { return r * 1.35, g * 1.35, b * 1.35 }),
	photometric("haze", "60 + 0.7 v (flat, lifted blacks)", func(r, g, b float64) (float64, float64, float64) {
		return 60 + 0.7*r, 60 + 0.7*g, 60 + 0.7*b
	}),
	photometric("purple", "RGB x (0.85, 0.75, 1.05): a UV lamp's cast", func(r, g, b float64) (float64, float64, float64) {
		return r * 0.85, g * 0.75, b * 1.05
	}),
	photometric("warm", "RGB x (1.05, 0.95, 0.75): a warm lamp or white balance", func(r, g, b float64) (float64, float64, float64) {
		return r * 1.05, g * 0.95, b * 0.75
	}),
	photometric("cool", "RGB x (0.9, 0.95, 1.15): a cool white balance", func(r, g, b float64) (float64, float64, float64) {
		return r * 0.9, g * 0.95, b * 1.15
	}),
	photometric("muted", "saturation x0.75 (HSV): a camera's muted colours, colour jitter", hsvJitter(0, 0.75)),
	photometric("vivid", "saturation x1.25 (HSV, clipped): a phone's vivid mode, colour jitter", hsvJitter(0, 1.25)),
	photometric("redder", "hue turned 25 degrees towards red (HSV): another camera's colours, colour jitter", hsvJitter(-25, 1)),
	photometric("greener", "hue turned 25 degrees towards green (HSV): another camera's colours, colour jitter", hsvJitter(25, 1)),
	shaded("vignette", "vignetting: gain 1 - 0.5 r^2 (r 1 at the corners)", func(x, y float64) float64 {
		dx, dy := 2*x-1, 2*y-1
		return 1 - 0.5*(dx*dx+dy*dy)/2
	}),
	shaded("lamp", "uneven light: gain 1.05 at the top to 0.5 at the bottom (a lamp above)", func(_, y float64) float64 {
		return 1.05 - 0.55*y
	}),
	{Name: "gray", Doc: "grey levels only: a monochrome (night, infrared) camera", Apply: grayed},
	{Name: "noise", Doc: "sensor noise, sigma 8 levels (plus 3 per channel)", Apply: noisy},
	{Name: "retake", Doc: "taken again a moment later: fresh sensor noise (sigma 2 per channel), JPEG at quality 90", Apply: retaken},
	{Name: "jpeg50", Doc: "re-encoded as JPEG at quality 50", Apply: func(img *image.RGBA) (image.Image, float64, func(image.Rectangle) image.Rectangle) {
		return reencode(img, 50), 1, same
	}},
	{Name: "blur", Doc: "defocus: a 5-tap binomial blur (sigma about 1 px)", Apply: func(img *image.RGBA) (image.Image, float64, func(image.Rectangle) image.Rectangle) {
		return blurred(img), 1, same
	}},
	{Name: "half", Doc: "half the resolution (2 x 2 means), scale halved", Apply: halved},
	{Name: "larger", Doc: "enlarged 1.5 times (bilinear), scale x1.5: a 3072 px photo", Apply: enlarged},
	{Name: "farther", Doc: "half the resolution, the scale as configured: taken from twice the distance its pixels_per_mm says", Apply: func(img *image.RGBA) (image.Image, float64, func(image.Rectangle) image.Rectangle) {
		out, _, back := halved(img)
		return out, 1, back
	}},
	{Name: "turned", Doc: "turned a quarter clockwise", Apply: turned},
	{Name: "osd", Doc: "a camera's name, date and time burned in at two corners: white glyphs 1.5 % of the frame's shorter side, outlined in black", Apply: burnedIn},
	{Name: "night", Doc: "placed in a frame a tenth larger, the rest of it dark (luma about 25, noisy): the trap photographed with the night around it", Apply: atNight},
}

// PerturbationNamed returns the perturbation of Perturbations with that
// name, and false for none.
func PerturbationNamed(name string) (Perturbation, bool) {
	i := slices.IndexFunc(Perturbations, func(p Perturbation) bool { return p.Name == name })
	if i < 0 {
		return Perturbation{}, false
	}
	return Perturbations[i], true
}

// Detector returns DetectBoxes on the changed frame, its boxes mapped back.
func (p Perturbation) Detector() Detector {
	return func(f Frame, img image.Image) ([]image.Rectangle, error) {
		out, k, back := p.Apply(toRGBA(img))
		boxes, err := detectWith(out, f.Options(k))
		for i, b := range boxes {
			boxes[i] = back(b)
		}
		return boxes, err
	}
}

// toRGBA returns img as an *image.RGBA with its bounds at the origin.
func toRGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, img, b.Min, draw.Src)
	return out
}

func same(r image.Rectangle) image.Rectangle { return r }

func clamp8(v float64) uint8 { return uint8(min(255, max(0, v+0.5))) }

// photometric is a Perturbation changing every pixel's (r, g, b) by fn.
func photometric(name, doc string, fn func(r, g, b float64) (float64, float64, float64)) Perturbation {
	return Perturbation{Name: name, Doc: doc, Apply: func(img *image.RGBA) (image.Image, float64, func(image.Rectangle) image.Rectangle) {
		out := image.NewRGBA(img.Rect)
		for i := 0; i < len(img.Pix); i += 4 {
			r, g, b := fn(float64(img.Pix[i]), float64(img.Pix[i+1]), float64(img.Pix[i+2]))
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = clamp8(r), clamp8(g), clamp8(b), 255
		}
		return out, 1, same
	}}
}

// shaded is a Perturbation multiplying every pixel by gain(x, y), its
// position as a fraction of the frame's width and height.
func shaded(name, doc string, gain func(x, y float64) float64) Perturbation {
	return Perturbation{Name: name, Doc: doc, Apply: func(img *image.RGBA) (image.Image, float64, func(image.Rectangle) image.Rectangle) {
		out := image.NewRGBA(img.Rect)
		w, h := img.Rect.Dx(), img.Rect.Dy()
		for y := range h {
			for x := range w {
				g := gain((float64(x)+0.5)/float64(w), (float64(y)+0.5)/float64(h))
				i := y*img.Stride + 4*x
				for c := range 3 {
					out.Pix[i+c] = clamp8(float64(img.Pix[i+c]) * g)
				}
				out.Pix[i+3] = 255
			}
		}
		return out, 1, same
	}}
}

// noisy adds sensor noise: sigma 8 levels shared by the channels plus 3
// per channel, before the camera clips (sensorNoise). Until the
// thirty-seventh session the noise was added after the clipping: it
// unclipped sequential's sheet, whose floor then rose (detect/clip.go), and
// the sheets read 0.960 / 0.949 under it instead of 0.983 / 0.956.
func noisy(img *image.RGBA) (image.Image, float64, func(image.Rectangle) image.Rectangle) {
	return sensorNoise(img, 1, 8, 3), 1, same
}

// retaken is the scene taken again by the same camera a moment later: the
// sensor's noise drawn afresh (sigma 2 levels per channel, as light as a
// trap camera's at its base sensitivity) and the frame compressed again at
// quality 90. Nothing moved, arrived or left: every specimen a tracker
// calls new on it is counted twice (CountedAgain). Sequential's frames
// hold half their pixels at 228 in every channel; with the noise added
// after the clipping, that sheet no longer read as clipped, its floor rose
// (detect/clip.go) and its pale moth at the bottom right was lost on the
// four frames that find it; glare on a card's glue, noised after its
// clipping, made 15 more junk boxes of 40 px or more on the cards.
func retaken(img *image.RGBA) (image.Image, float64, func(image.Rectangle) image.Rectangle) {
	return reencode(sensorNoise(img, 2, 0, 2), 90), 1, same
}

// sensorNoise returns img with normal noise added before the camera's
// clipping, as in a camera: shared levels (sigma, drawn once a pixel when
// above 0) plus perChannel levels (sigma) in each channel, from a source
// seeded with seed; a channel value at 255 or at the frame's white point
// (clipLevels) was clipped, its light at least that, and stays.
func sensorNoise(img *image.RGBA, seed int64, shared, perChannel float64) *image.RGBA {
	rng := rand.New(rand.NewSource(seed))
	clip := clipLevels(img)
	out := image.NewRGBA(img.Rect)
	for i := 0; i < len(img.Pix); i += 4 {
		var n float64
		if shared > 0 {
			n = rng.NormFloat64() * shared
		}
		for c := range 3 {
			if v := img.Pix[i+c]; v == 255 || int(v) == clip[c] {
				out.Pix[i+c] = v
			} else {
				out.Pix[i+c] = clamp8(float64(v) + n + rng.NormFloat64()*perChannel)
			}
		}
		out.Pix[i+3] = 255
	}
	return out
}

// clipLevels returns, per channel, the white point a camera's processing
// clipped img at below 255: the channel's most frequent value when a
// tenth or more of the pixels hold it and five times as many as either
// value beside it (realframes' sequential sheet: 228), else -1.
func clipLevels(img *image.RGBA) [3]int {
	var hist [3][256]int
	n := 0
	for i := 0; i < len(img.Pix); i += 4 {
		for c := range 3 {
			hist[c][img.Pix[i+c]]++
		}
		n++
	}
	out := [3]int{-1, -1, -1}
	for c := range 3 {
		h := hist[c][:]
		m := 0
		for v := range h {
			if h[v] > h[m] {
				m = v
			}
		}
		if 10*h[m] >= n && m > 0 && m < 255 && h[m] >= 5*h[m-1] && h[m] >= 5*h[m+1] {
			out[c] = m
		}
	}
	return out
}

func reencode(img image.Image, quality int) image.Image {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return img
	}
	out, err := jpeg.Decode(&buf)
	if err != nil {
		return img
	}
	return out
}

// blurred applies a 1-4-6-4-1 binomial filter along rows, then columns
// (taps beyond the border left out).
func blurred(img *image.RGBA) image.Image {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	tap := [5]float64{1, 4, 6, 4, 1}
	// filter1 filters n samples of src, step apart from start, into dst.
	filter1 := func(dst, src []float64, start, step, n int) {
		for k := range n {
			var s, wt float64
			for d := -2; d <= 2; d++ {
				if j := k + d; j >= 0 && j < n {
					s += tap[d+2] * src[start+j*step]
					wt += tap[d+2]
				}
			}
			dst[start+k*step] = s / wt
		}
	}
	out := image.NewRGBA(img.Rect)
	a, b := make([]float64, w*h), make([]float64, w*h)
	for c := range 3 {
		for i := range a {
			a[i] = float64(img.Pix[4*i+c])
		}
		for y := range h {
			filter1(b, a, y*w, 1, w)
		}
		for x := range w {
			filter1(a, b, x, w, h)
		}
		for i, v := range a {
			out.Pix[4*i+c] = clamp8(v)
		}
	}
	for i := 3; i < len(out.Pix); i += 4 {
		out.Pix[i] = 255
	}
	return out
}

func halved(img *image.RGBA) (image.Image, float64, func(image.Rectangle) image.Rectangle) {
	w, h := img.Rect.Dx()/2, img.Rect.Dy()/2
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			for c := range 4 {
				p := func(dx, dy int) int { return int(img.Pix[(2*y+dy)*img.Stride+(2*x+dx)*4+c]) }
				out.Pix[y*out.Stride+x*4+c] = uint8((p(0, 0) + p(1, 0) + p(0, 1) + p(1, 1) + 2) / 4)
			}
		}
	}
	return out, 0.5, func(r image.Rectangle) image.Rectangle { return image.Rect(2*r.Min.X, 2*r.Min.Y, 2*r.Max.X, 2*r.Max.Y) }
}

// grayed keeps the frame's luma only (an *image.Gray, as a monochrome
// JPEG decodes).
func grayed(img *image.RGBA) (image.Image, float64, func(image.Rectangle) image.Rectangle) {
	out := image.NewGray(img.Rect)
	draw.Draw(out, out.Rect, img, img.Rect.Min, draw.Src)
	return out, 1, same
}

// enlarged scales the frame up 1.5 times (bilinear), as a phone of more
// pixels or a closer shot would take it: with a 2048 px card photo the
// detector's working factor is then odd (see detect's workPlanes).
func enlarged(img *image.RGBA) (image.Image, float64, func(image.Rectangle) image.Rectangle) {
	const k = 1.5
	out := image.NewRGBA(image.Rect(0, 0, int(float64(img.Rect.Dx())*k+0.5), int(float64(img.Rect.Dy())*k+0.5)))
	xdraw.BiLinear.Scale(out, out.Rect, img, img.Rect, xdraw.Src, nil)
	return out, k, func(r image.Rectangle) image.Rectangle {
		return image.Rect(int(math.Floor(float64(r.Min.X)/k)), int(math.Floor(float64(r.Min.Y)/k)),
			int(math.Ceil(float64(r.Max.X)/k)), int(math.Ceil(float64(r.Max.Y)/k)))
	}
}

// turned turns the frame a quarter clockwise: (x, y) goes to (H-1-y, x).
func turned(img *image.RGBA) (image.Image, float64, func(image.Rectangle) image.Rectangle) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewRGBA(image.Rect(0, 0, h, w))
	for y := range h {
		for x := range w {
			copy(out.Pix[x*out.Stride+(h-1-y)*4:], img.Pix[y*img.Stride+x*4:y*img.Stride+x*4+4])
		}
	}
	return out, 1, func(r image.Rectangle) image.Rectangle { return image.Rect(r.Min.Y, h-r.Max.X, r.Max.Y, h-r.Min.X) }
}

// osdMinSide: a frame whose shorter side is under this gets no burned-in
// text (burnedIn): its glyphs would be a few pixels.
const osdMinSide = 512

// burnedIn prints a camera's name at the frame's top left and the date and
// time at its bottom right, as trap cameras do, in glyphs 1.5 % of the
// frame's shorter side high (32 px on a 4K sheet: three times the glyphs
// of ../shared/realframes' own timestamps), white outlined in black
// (detect/internal/burnin). The text covers whatever lies there.
func burnedIn(img *image.RGBA) (image.Image, float64, func(image.Rectangle) image.Rectangle) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if min(w, h) < osdMinSide {
		return img, 1, same
	}
	out := image.NewRGBA(img.Rect)
	copy(out.Pix, img.Pix)
	size := 0.015 * float64(min(w, h))
	date := []string{"2022-07-28", "23:22:39"}
	dw, err := burnin.Width(size, date[0])
	if err == nil {
		_, err = burnin.Text(out, img.Rect.Min.X+2, img.Rect.Min.Y+2, size, "TRAP-07", "CAM 2")
	}
	if err == nil {
		_, err = burnin.Text(out, img.Rect.Max.X-dw-int(size/10)-2, img.Rect.Max.Y-int(2.1*size)-2, size, date...)
	}
	if err != nil {
		panic(err) // the embedded font is parsed the same way every time
	}
	return out, 1, same
}

// atNight places the frame in the middle of one a tenth larger (a
// twentieth on every side) whose other pixels are dark, luma about 25 with
// noise (the same every time): a light sheet photographed from farther
// than its trap's camera, with the night around it.
func atNight(img *image.RGBA) (image.Image, float64, func(image.Rectangle) image.Rectangle) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	W, H := w+2*(w/20), h+2*(h/20)
	out := image.NewRGBA(image.Rect(0, 0, W, H))
	seed := uint32(1)
	for i := 0; i < len(out.Pix); i += 4 {
		seed = seed*1664525 + 1013904223
		v := uint8(17 + seed>>28)
		out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = v, v, v+4, 255
	}
	off := image.Pt(w/20, h/20)
	draw.Draw(out, image.Rect(0, 0, w, h).Add(off), img, img.Rect.Min, draw.Src)
	return out, 1, func(r image.Rectangle) image.Rectangle {
		return r.Sub(off).Intersect(image.Rect(0, 0, w, h))
	}
}

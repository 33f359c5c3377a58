package trap_test

import (
	"image"
	"image/color"
	"math"
	"sort"
)

// frameStats are the numbers by which realstats_test.go compares synth's
// frames with real ones. Background numbers are measured on the bare
// sheet (or, on sticky cards, the bare card): luma outside every
// annotated box (grown by boxPad px) and, on cards, on the card only.
type frameStats struct {
	// BgMedian is the median over blocks of the block's median luma;
	// BgSpread the standard deviation of the block medians over BgMedian
	// (uneven light); Vignette the mean block median in the frame's
	// border band (outer 10 % of each side) over the mean in its centre
	// (middle 30 % of each side).
	BgMedian, BgSpread, Vignette float64
	// Texture is the robust standard deviation (1.4826 MAD) of luma
	// minus its 5x5 box mean on background pixels: fabric weave, speckle,
	// sensor and JPEG noise.
	Texture float64
	// Over is the fraction of the frame's pixels at luma >= 254.
	Over float64
	// Clipped is the fraction of the frame's pixels at its white point:
	// a level of 128 or more holding 2 % of the pixels or more and twice
	// as many as either neighbouring level (a camera that clips the bright
	// sheet, as detect/clip.go finds it); 0 when there is no such spike.
	Clipped float64
	// Card is the fraction of the frame covered by yellow card (sticky
	// frames; 0 on sheets).
	Card float64
	// Sizes are the longest sides (px) of the specimens counted in
	// Density (per megapixel of frame).
	Sizes   []float64
	Density float64
}

const (
	statBlock = 64 // block side in px for the background's block medians
	boxPad    = 12 // px around annotated boxes left out of the background
)

// isCard reports a yellow card pixel: clearly yellow (blue well under red
// and green) and not dark.
func isCard(r, g, b uint8) bool {
	return int(r)+int(g) > 2*int(b)+120 && r > 90 && g > 70
}

// measureFrame computes frameStats for img with the given specimen boxes
// (counted in Sizes and Density) and other annotated boxes (left out of
// the background only). sticky restricts the background to the card.
func measureFrame(img image.Image, specimens, others []image.Rectangle, sticky bool) frameStats {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	lum := make([]uint8, w*h)
	bg := make([]bool, w*h)
	var st frameStats
	over, card := 0, 0
	var levels [257]int
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r8, g8, b8, yy := pixelAt(img, b.Min.X+x, b.Min.Y+y)
			lum[y*w+x] = yy
			levels[yy]++
			if yy >= 254 {
				over++
			}
			onCard := isCard(r8, g8, b8)
			if onCard {
				card++
			}
			bg[y*w+x] = !sticky || onCard
		}
	}
	for _, bx := range append(append([]image.Rectangle{}, specimens...), others...) {
		bx = bx.Sub(b.Min).Inset(-boxPad).Intersect(image.Rect(0, 0, w, h))
		for y := bx.Min.Y; y < bx.Max.Y; y++ {
			clear(bg[y*w+bx.Min.X : y*w+bx.Max.X])
		}
	}
	st.Over = float64(over) / float64(w*h)
	for l := 128; l < 256; l++ {
		if n := levels[l]; float64(n) >= 0.02*float64(w*h) && n >= 2*levels[l-1] && n >= 2*levels[l+1] {
			st.Clipped = max(st.Clipped, float64(n)/float64(w*h))
		}
	}
	if sticky {
		st.Card = float64(card) / float64(w*h)
	}
	st.BgMedian, st.BgSpread, st.Vignette = blockStats(lum, bg, w, h)
	st.Texture = texture(lum, bg, w, h)
	for _, s := range specimens {
		st.Sizes = append(st.Sizes, float64(max(s.Dx(), s.Dy())))
	}
	st.Density = float64(len(specimens)) / (float64(w*h) / 1e6)
	return st
}

// pixelAt returns the RGB levels and luma of img at (x, y), fast for
// decoded JPEGs.
func pixelAt(img image.Image, x, y int) (r, g, b, lum uint8) {
	if m, ok := img.(*image.YCbCr); ok {
		yi, ci := m.YOffset(x, y), m.COffset(x, y)
		r, g, b = color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
		return r, g, b, m.Y[yi]
	}
	r32, g32, b32, _ := img.At(x, y).RGBA()
	r, g, b = uint8(r32>>8), uint8(g32>>8), uint8(b32>>8)
	return r, g, b, uint8((19595*uint32(r) + 38470*uint32(g) + 7471*uint32(b) + 1<<15) >> 16)
}

// blockStats returns the median of the block medians of background luma,
// their spread (std / median) and the border / centre ratio. Blocks with
// less than half their pixels on the background are skipped.
func blockStats(lum []uint8, bg []bool, w, h int) (median, spread, vignette float64) {
	var meds []float64
	var border, centre []float64
	var hist [256]int
	for by := 0; by+statBlock <= h; by += statBlock {
		for bx := 0; bx+statBlock <= w; bx += statBlock {
			hist = [256]int{}
			n := 0
			for y := by; y < by+statBlock; y++ {
				for x := bx; x < bx+statBlock; x++ {
					if bg[y*w+x] {
						hist[lum[y*w+x]]++
						n++
					}
				}
			}
			if n < statBlock*statBlock/2 {
				continue
			}
			m := float64(histQuantile(hist[:], n, 0.5))
			meds = append(meds, m)
			fx, fy := (float64(bx)+statBlock/2)/float64(w), (float64(by)+statBlock/2)/float64(h)
			switch {
			case fx < 0.1 || fx > 0.9 || fy < 0.1 || fy > 0.9:
				border = append(border, m)
			case fx > 0.35 && fx < 0.65 && fy > 0.35 && fy < 0.65:
				centre = append(centre, m)
			}
		}
	}
	if len(meds) == 0 {
		return 0, 0, 0
	}
	median = quantile(meds, 0.5)
	_, sd := meanStd(meds)
	spread = sd / math.Max(median, 1)
	if len(border) > 0 && len(centre) > 0 {
		mb, _ := meanStd(border)
		mc, _ := meanStd(centre)
		vignette = mb / math.Max(mc, 1)
	}
	return median, spread, vignette
}

// texture returns 1.4826 times the median absolute value of luma minus
// its 5x5 box mean over background pixels (whose 5x5 neighbourhood is
// all background).
func texture(lum []uint8, bg []bool, w, h int) float64 {
	// Integral image of luma and of the background mask.
	sum := make([]int64, (w+1)*(h+1))
	cnt := make([]int32, (w+1)*(h+1))
	for y := 0; y < h; y++ {
		var rs int64
		var rc int32
		for x := 0; x < w; x++ {
			rs += int64(lum[y*w+x])
			if bg[y*w+x] {
				rc++
			}
			sum[(y+1)*(w+1)+x+1] = sum[y*(w+1)+x+1] + rs
			cnt[(y+1)*(w+1)+x+1] = cnt[y*(w+1)+x+1] + rc
		}
	}
	var hist [2 * 256 * 25]int // |25*lum - box sum|, in 1/25 levels
	n := 0
	for y := 2; y < h-2; y++ {
		for x := 2; x < w-2; x++ {
			a, c := (y-2)*(w+1)+x-2, (y+3)*(w+1)+x+3
			b, d := (y-2)*(w+1)+x+3, (y+3)*(w+1)+x-2
			if cnt[c]-cnt[b]-cnt[d]+cnt[a] != 25 {
				continue
			}
			s := sum[c] - sum[b] - sum[d] + sum[a]
			dev := 25*int64(lum[y*w+x]) - s
			if dev < 0 {
				dev = -dev
			}
			hist[dev]++
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return 1.4826 * float64(histQuantile(hist[:], n, 0.5)) / 25
}

// histQuantile returns the q-quantile bin of a histogram holding n values.
func histQuantile(hist []int, n int, q float64) int {
	c, want := 0, int(q*float64(n))
	for i, k := range hist {
		if c += k; c > want {
			return i
		}
	}
	return len(hist) - 1
}

// quantile returns the q-quantile of v (nearest rank; v is sorted in place).
func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return 0
	}
	sort.Float64s(v)
	return v[min(len(v)-1, int(q*float64(len(v))))]
}

// meanStd returns the mean and standard deviation of v.
func meanStd(v []float64) (mean, sd float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(v)))
}

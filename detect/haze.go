package detect

import (
	"fmt"
	"image"
	"image/draw"
)

// A veiled card. A smudge on the phone's lens, a plastic sleeve or flare
// lays a veil over the photo: every channel is lifted by about the same
// amount and the rest compressed (v -> a + (1 - a/255) v), so every
// deviation the detector measures, relative to the card's luma, shrinks
// by a third at a = 60 while its thresholds stay. On
// ../shared/realframes/sticky veiled so (realeval's haze, 60 + 0.7 v),
// whitefly recall fell from 0.807 to 0.657 and judged insects from 176 to
// 121 of 179.
//
// A yellow card's blue channel is near 0 wherever nothing veils it, and
// its insects and specks are dark: the least channel of the card's cells
// at its hazeQuantile is 0-8 on the 18 cards as taken, and 60-66 veiled.
// At hazeMin or more, the card is searched on a copy with that level
// taken off every channel and the rest stretched back to the full range
// (Frame.Haze says by how much). A veil can wash a pale card's colour
// out of cardMask's reach (the close-up card 20231130_165304 veiled was
// searched as a sheet): with no card found, when the frame's own level is
// hazeMin to hazeMax (a dark surround's, veiled) and the cells with it
// taken off hold a card, the level is read on that card. A sheet has no
// such reference (a clipped white sheet has no dark cells at all; the
// sheets read 13-158) and is searched as it is: on none of the 15 sheet
// frames is a card found so. Veiled, the 18 cards now give whitefly
// recall 0.812 (centred 0.967) and 173 judged insects; every box on the
// 33 frames as taken, and under every other change of
// realeval.Perturbations, is the same. The limit: a pale card (yellow
// faded, or mixed with white) reads as veiled by its paleness too, unless
// its insects and specks cover a hundredth of it (every used card here
// does), and is then stretched as a veiled one is.
const (
	hazeQuantile = 0.01
	hazeMin      = 40
	hazeMax      = 90
)

// veil returns the black level to take off a frame whose working cells
// are py, pcb, pcr and whose card is card (nil: none found), or 0: a
// card's cardHaze when it is hazeMin or more; with no card found, when the
// frame's own is hazeMin to hazeMax and the cells with it taken off hold
// a card (a veil can wash a pale card's colour out of cardMask's reach),
// that card's cardHaze when it is hazeMin or more.
func veil(py, pcb, pcr plane, card []bool) float32 {
	if card != nil {
		if a := cardHaze(py, pcb, pcr, card); a >= hazeMin {
			return a
		}
		return 0
	}
	a := cardHaze(py, pcb, pcr, nil) // the whole frame's
	if a < hazeMin || a > hazeMax {
		return 0
	}
	s := 255 / (255 - a)
	dy, db, dr := newPlane(py.w, py.h), newPlane(py.w, py.h), newPlane(py.w, py.h)
	for i := range py.v {
		dy.v[i] = (py.v[i] - a) * s
		db.v[i] = 128 + (pcb.v[i]-128)*s
		dr.v[i] = 128 + (pcr.v[i]-128)*s
	}
	found := cardMask(dy, db, dr)
	if found == nil {
		return 0
	}
	if a = cardHaze(py, pcb, pcr, found); a < hazeMin {
		return 0
	}
	return a // read on the card found, not on the surround's darkest
}

// cardHaze returns the hazeQuantile of the least colour channel of the
// card's working cells (on: card, whose cells py, pcb, pcr hold; nil:
// every cell of the frame), read on every other cell of every other row
// (a histogram of whole levels: a few ms on a card's 3 M cells).
func cardHaze(py, pcb, pcr plane, card []bool) float32 {
	var hist [256]int
	n := 0
	for y := 0; y < py.h; y += 2 {
		for i := y * py.w; i < (y+1)*py.w; i += 2 {
			if card != nil && !card[i] {
				continue
			}
			v, cb, cr := py.v[i], pcb.v[i]-128, pcr.v[i]-128
			r := v + 1.402*cr
			g := v - 0.344136*cb - 0.714136*cr
			b := v + 1.772*cb
			hist[clampByte(min(r, g, b))]++
			n++
		}
	}
	if n == 0 {
		return 0
	}
	k := int(hazeQuantile * float64(n-1))
	for level, c := range hist {
		if k -= c; k < 0 {
			return float32(level)
		}
	}
	return 255
}

// analyzeDehazed is Analyze on a copy of img with the black level a taken
// off (dehaze), not tested for a veil again.
func analyzeDehazed(img image.Image, opts Options, a float32) (Frame, error) {
	plain, err := dehaze(img, a)
	if err != nil {
		return Frame{}, fmt.Errorf("detect: %w", err)
	}
	opts.dehazed = true
	fr, err := Analyze(plain, opts)
	fr.Haze = float64(a)
	return fr, err
}

// dehaze returns a copy of img (same bounds) with every channel v mapped
// to (v - a) * 255 / (255 - a), clamped: in YCbCr, luma likewise and
// chroma scaled about 128. A JPEG's *image.YCbCr keeps its subsampling.
func dehaze(img image.Image, a float32) (out image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("reading pixels: %v", r)
		}
	}()
	s := 255 / (255 - a)
	lut := func(f func(v float32) float32) (t [256]uint8) {
		for v := range t {
			t[v] = clampByte(f(float32(v)))
		}
		return t
	}
	if src, ok := img.(*image.YCbCr); ok {
		ly := lut(func(v float32) float32 { return (v - a) * s })
		lc := lut(func(v float32) float32 { return 128 + (v-128)*s })
		dst := &image.YCbCr{Y: make([]byte, len(src.Y)), Cb: make([]byte, len(src.Cb)), Cr: make([]byte, len(src.Cr)),
			YStride: src.YStride, CStride: src.CStride, SubsampleRatio: src.SubsampleRatio, Rect: src.Rect}
		for i, v := range src.Y {
			dst.Y[i] = ly[v]
		}
		for i := range src.Cb {
			dst.Cb[i], dst.Cr[i] = lc[src.Cb[i]], lc[src.Cr[i]]
		}
		return dst, nil
	}
	b := img.Bounds()
	dst := image.NewRGBA(b)
	draw.Draw(dst, b, img, b.Min, draw.Src)
	l := lut(func(v float32) float32 { return (v - a) * s })
	for i := range dst.Pix {
		if i%4 != 3 {
			dst.Pix[i] = l[dst.Pix[i]]
		}
	}
	return dst, nil
}

package detect

import (
	"fmt"
	"image"
	"image/draw"
)

// A veiled card or sheet. A smudge on the phone's lens, a plastic sleeve,
// dew on a trap camera's window or flare lays a veil over the photo: every
// channel is lifted by about the same amount and the rest compressed
// (v -> a + (1 - a/255) v), so every deviation the detector measures,
// relative to the surface's luma, shrinks by a third at a = 60 while its
// thresholds stay. On ../shared/realframes veiled so (realeval's haze,
// 60 + 0.7 v), whitefly recall fell from 0.807 to 0.657 and judged
// insects from 176 to 121 of 179; the light sheets' recall from 0.966 to
// 0.903 (small, pale and slender insects lost, moths in pieces).
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
// taken off hold a card, the level is read on that card. Veiled, the 18
// cards now give whitefly recall 0.812 (centred 0.967) and 173 judged
// insects. The limit: a pale card (yellow faded, or mixed with white)
// reads as veiled by its paleness too, unless its insects and specks
// cover a hundredth of it (every used card here does), and is then
// stretched as a veiled one is.
//
// A sheet is white, so its own cells tell nothing (their first percentile
// is 13-158 on the sheets as taken); its reference is its black, the
// darkest cells of its dark insects, read at sheetHazeQuantile (the
// darkest 0.01 %, about 14 of a 4K frame's cells read) where enough of the
// frame is black to read it on: the level at sheetBlackQuantile (the
// darkest 0.1 %) at most sheetBlackSpread above it. On 5 of the 13 sheets
// as taken it reads 0; under realeval's haze 60, and 60 + 0.7 v (the
// veil's own level) again with it taken off. The other 8 have too little
// black: sequential's grey sheet, whose darkest insects are grey (darkest
// 0.01 % 0-29, 0.1 % 53-76), and three sparse sheets, one of them
// denmark's whose darkest insect is a small brown moth (74 and 118): under
// a purple cast it read 68, was taken for a veil and stretched, and lost
// its pale green moth, until the spread was asked for. A frame with no
// card whose black reads sheetHazeMin to hazeMax is searched with that
// level taken off, as a veiled card is. A veil of 10 costs the sheets
// nothing, one of 20 a little, and both are left: a camera that writes
// video-range levels puts its black at 16 (synth's sheets with no
// specimens read 16-21 too), and a threshold there would stretch one frame and not the next
// (realeval's photometric veils a + (1 - a/255) v, recall / precision
// before -> now: 20: 0.949 / 0.943 both; 25: 0.949 / 0.927 -> 0.954 /
// 0.954; 30:
// 0.949 / 0.927 -> 0.954 / 0.960; 45: 0.931 / 0.953 -> 0.949 / 0.971;
// 75: 0.886 / 0.939 -> 0.926 / 0.970; as taken 0.966 / 0.949). Under
// realeval's haze the sheets score 0.937 / 0.948 (0.903 / 0.929 before);
// every box on the 33 frames as taken, and every figure under every
// other change, is the same. A frame said to be a sticky card
// (Options.Trap) is not read so: a grey-level card on flat dark cloth has
// no black, its cloth or its flies the darkest (two drawn tests' cards
// were stretched).
const (
	hazeQuantile       = 0.01
	hazeMin            = 40
	hazeMax            = 90
	sheetHazeQuantile  = 0.0001
	sheetHazeMin       = 24
	sheetBlackQuantile = 0.001
	sheetBlackSpread   = 10
)

// veil returns the black level to take off a frame whose working cells
// are py, pcb, pcr and whose card is card (nil: none found), or 0: a
// card's cardHaze when it is hazeMin or more; with no card found, when the
// frame's own is hazeMin to hazeMax and the cells with it taken off hold
// a card (a veil can wash a pale card's colour out of cardMask's reach),
// that card's cardHaze when it is hazeMin or more; else, when it may be a
// sheet (not said to be a sticky card), the level of the frame's darkest
// cells (sheetHazeQuantile) when it is sheetHazeMin to hazeMax, black
// enough of the frame to be read on (the level at sheetBlackQuantile at
// most sheetBlackSpread above it) and the frame's middle level at least
// twice it (a veiled sheet is still bright: a veil of 90 over a sheet of
// 150 leaves it at 180; a dark frame, the lamp off, is no veiled sheet).
func veil(py, pcb, pcr plane, card []bool, sheet bool) float32 {
	if card != nil {
		if a := cardHaze(py, pcb, pcr, card); a >= hazeMin {
			return a
		}
		return 0
	}
	frame := leastLevels(py, pcb, pcr, nil) // one reading for every test below
	if a := veiledCard(py, pcb, pcr, frame.at(hazeQuantile)); a > 0 {
		return a
	}
	if !sheet {
		return 0
	}
	a := frame.at(sheetHazeQuantile)
	if a < sheetHazeMin || a > hazeMax || frame.at(sheetBlackQuantile) > a+sheetBlackSpread || frame.at(0.5) < 2*a {
		return 0
	}
	return a
}

// veiledCard returns the black level of a card that a veil washed out of
// cardMask's reach (see veil), or 0; a is the whole frame's cardHaze.
func veiledCard(py, pcb, pcr plane, a float32) float32 {
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
// card's working cells (card, whose cells py, pcb, pcr hold).
func cardHaze(py, pcb, pcr plane, card []bool) float32 {
	return leastLevels(py, pcb, pcr, card).at(hazeQuantile)
}

// levels is a histogram of whole levels and how many values it holds.
type levels struct {
	hist [256]int
	n    int
}

// leastLevels returns the histogram of the least colour channel of the
// working cells on (nil: every cell), read on every other cell of every
// other row (a few ms on a card's 3 M cells).
func leastLevels(py, pcb, pcr plane, on []bool) levels {
	var l levels
	for y := 0; y < py.h; y += 2 {
		for i := y * py.w; i < (y+1)*py.w; i += 2 {
			if on != nil && !on[i] {
				continue
			}
			v, cb, cr := py.v[i], pcb.v[i]-128, pcr.v[i]-128
			r := v + 1.402*cr
			g := v - 0.344136*cb - 0.714136*cr
			b := v + 1.772*cb
			l.hist[clampByte(min(r, g, b))]++
			l.n++
		}
	}
	return l
}

// at returns the level at quantile q (0 when the histogram is empty).
func (l levels) at(q float64) float32 {
	if l.n == 0 {
		return 0
	}
	k := int(q * float64(l.n-1))
	for level, c := range l.hist {
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

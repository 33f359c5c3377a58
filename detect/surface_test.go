package detect

import (
	"errors"
	"image"
	"image/color"
	"math"
	"testing"
)

// greyed returns img in grey levels only (a monochrome camera's frame).
func greyed(img *image.RGBA) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	for i := 0; i < len(img.Pix); i += 4 {
		y := uint8((299*int(img.Pix[i]) + 587*int(img.Pix[i+1]) + 114*int(img.Pix[i+2]) + 500) / 1000)
		out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = y, y, y, 255
	}
	return out
}

// TestGreyCardOnCloth: a yellow card on dark cloth photographed by a
// monochrome camera, small dark flies on it, some beside its edge. Said
// to be a sticky card (Options.Trap), it is found by brightness and every
// fly is found. Searched as a sheet (Trap auto: no colour, no card), the
// cloth merged with the flies by the edge until a sheet's dark surround
// was cut off (surround.go): now every fly is found that way too.
func TestGreyCardOnCloth(t *testing.T) {
	img, paint, card := cardOnCloth(1400, 1000)
	var want []image.Point
	for y := card.Min.Y + 40; y < card.Max.Y-30; y += 110 {
		for x := card.Min.X + 30; x < card.Max.X-20; x += 150 {
			paint(float64(x), float64(y), 6, 4, color.RGBA{60, 45, 30, 255})
			want = append(want, image.Pt(x, y))
		}
	}
	frame := jpegRoundTrip(t, greyed(img), 90)
	for _, c := range []struct {
		trap     string
		minFound int
	}{{TrapSticky, len(want)}, {TrapAuto, len(want)}} {
		o := DefaultOptions(8)
		o.Trap = c.trap
		got, err := Detect(frame, o)
		if err != nil {
			t.Fatal(err)
		}
		found := countFound(got, want, func(s Specimen, p image.Point) bool {
			return p.In(s.Box.Inset(-2)) && s.Box.Dx() < 40 && s.Box.Dy() < 40
		})
		var huge int
		for _, s := range got {
			if s.Box.Dx() > card.Dx()/2 || s.Box.Dy() > card.Dy()/2 {
				huge++
			}
		}
		t.Logf("trap %q: %d of %d flies, %d detections, %d larger than half the card", c.trap, found, len(want), len(got), huge)
		if found < c.minFound || huge > 0 {
			t.Errorf("trap %q: %d of %d flies found, %d detections larger than half the card: %v", c.trap, found, len(want), huge, boxesOf(got))
		}
	}
}

// TestGreyCardFillsFrame: a grey-level card filling the frame (no
// surround to find it by) is searched whole, as a card, when the trap is
// said to be a sticky card; its flies are found.
func TestGreyCardFillsFrame(t *testing.T) {
	img, paint := cardFrame(1200, 900)
	var want []image.Point
	for y := 80; y < 850; y += 120 {
		for x := 80; x < 1150; x += 160 {
			paint(float64(x), float64(y), 6, 4, color.RGBA{60, 45, 30, 255})
			want = append(want, image.Pt(x, y))
		}
	}
	frame := jpegRoundTrip(t, greyed(img), 90)
	o := withDefaults(t, DefaultOptions(8))
	o.Trap = TrapSticky
	wp, err := workPlanes(frame, o)
	if err != nil {
		t.Fatal(err)
	}
	if wp.card == nil {
		t.Fatal("no card: want the whole frame searched as one")
	}
	got, err := Detect(frame, o)
	if err != nil {
		t.Fatal(err)
	}
	if found := countFound(got, want, centredWithin(4)); found < len(want) {
		t.Errorf("%d of %d flies found: %v", found, len(want), boxesOf(got))
	}
}

// TestTrapOption: an unknown Trap is refused; TrapSheet searches a yellow
// card's frame as a sheet (no card), TrapAuto and TrapSticky find the card
// by its colour; in grey levels TrapSticky finds it by its brightness,
// TrapAuto not at all (Frame.Surface says which, Frame.Colourless that
// the frame has no colour).
func TestTrapOption(t *testing.T) {
	o := DefaultOptions(8)
	o.Trap = "card"
	if _, err := Detect(image.NewRGBA(image.Rect(0, 0, 64, 64)), o); !errors.Is(err, ErrBadOptions) {
		t.Errorf("Trap %q: err %v, want ErrBadOptions", o.Trap, err)
	}
	img, _, _ := cardOnCloth(800, 600)
	grey := greyed(img)
	for _, c := range []struct {
		name    string
		img     image.Image
		trap    string
		surface string
	}{
		{"colour card, auto", img, TrapAuto, SurfaceCard},
		{"colour card, sticky", img, TrapSticky, SurfaceCard},
		{"colour card, sheet", img, TrapSheet, SurfaceSheet},
		{"grey card, auto", grey, TrapAuto, SurfaceSheet},
		{"grey card, sticky", grey, TrapSticky, SurfaceGreyCard},
	} {
		fr := analyzeAs(t, c.img, 8, c.trap)
		if fr.Surface != c.surface {
			t.Errorf("%s: Frame.Surface %q, want %q", c.name, fr.Surface, c.surface)
		}
		if want := c.img == image.Image(grey); fr.Colourless != want {
			t.Errorf("%s: Frame.Colourless %v, want %v", c.name, fr.Colourless, want)
		}
	}
}

// TestGreyCardWhiteflies: whiteflies on a grey-level card differ from it
// by their brightness alone (on a colour photo, by their colour: tint's
// chroma term). On a card found by brightness a pixel brighter than the
// card deviates by how much (tint.bright): 9/10 of them are found; without
// it, none.
func TestGreyCardWhiteflies(t *testing.T) {
	img, paint, card := cardOnCloth(1400, 1000)
	want := whiteflyGrid(img, paint, image.Rect(card.Min.X+60, card.Min.Y+60, card.Max.X-50, card.Max.Y-40), 110, 95, 4, 2.8, [3]uint8{40, 40, 40})
	frame := jpegRoundTrip(t, greyed(img), 90)
	o := DefaultOptions(8)
	o.Trap = TrapSticky
	got, err := Detect(frame, o)
	if err != nil {
		t.Fatal(err)
	}
	found := countFound(got, want, centredWithin(4))
	t.Logf("%d of %d whiteflies on a grey-level card, %d detections", found, len(want), len(got))
	if found < len(want)*9/10 {
		t.Errorf("%d of %d whiteflies found on a grey-level card (want 9/10): %v", found, len(want), boxesOf(got))
	}
}

// TestRectFill: a rectangle at any angle fills its least enclosing
// rectangle; an L and a thin cross do not.
func TestRectFill(t *testing.T) {
	const w, h = 200, 160
	shape := func(in func(x, y float64) bool) []bool {
		on := make([]bool, w*h)
		for y := range h {
			for x := range w {
				on[y*w+x] = in(float64(x), float64(y))
			}
		}
		return on
	}
	turned := func(deg float64) func(x, y float64) bool {
		c, s := math.Cos(deg*math.Pi/180), math.Sin(deg*math.Pi/180)
		return func(x, y float64) bool {
			u, v := (x-100)*c+(y-80)*s, -(x-100)*s+(y-80)*c
			return math.Abs(u) <= 60 && math.Abs(v) <= 35
		}
	}
	for _, c := range []struct {
		name     string
		on       []bool
		min, max float64
	}{
		{"rectangle", shape(turned(0)), 0.97, 1.01},
		{"rectangle turned 25 degrees", shape(turned(25)), 0.93, 1.01},
		{"L", shape(func(x, y float64) bool { return x >= 20 && x < 180 && y >= 20 && y < 140 && (x < 70 || y >= 100) }), 0.4, 0.6},
		{"cross", shape(func(x, y float64) bool { return math.Abs(x-100) < 10 || math.Abs(y-80) < 10 }), 0, 0.3},
	} {
		if got := rectFill(c.on, w, h); got < c.min || got > c.max {
			t.Errorf("%s: rectFill %.3f, want %.2f-%.2f", c.name, got, c.min, c.max)
		}
	}
}

// TestGreyCardOnGreyCloth: in grey levels a card on grey cloth is little
// brighter than its cloth (here 0.65 of it, as on the real cards on grey
// cloth); a card seen flat fills the rectangle round it, so it is still
// found by brightness and its cloth is not searched.
func TestGreyCardOnGreyCloth(t *testing.T) {
	const w, h = 1400, 1000
	img, _ := cardFrame(w, h)
	c, s := math.Cos(0.2), math.Sin(0.2) // the card turned about 11 degrees
	in := func(x, y int) bool {
		u, v := float64(x-700)*c+float64(y-500)*s, -float64(x-700)*s+float64(y-500)*c
		return math.Abs(u) <= 480 && math.Abs(v) <= 320
	}
	for y := range h {
		for x := range w {
			if !in(x, y) {
				v := uint8(110 + (x*7+y*13)%9) // grey cloth, a little texture
				img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
			}
		}
	}
	o := withDefaults(t, DefaultOptions(8))
	o.Trap = TrapSticky
	wp, err := workPlanes(jpegRoundTrip(t, greyed(img), 90), o)
	if err != nil {
		t.Fatal(err)
	}
	var cardOn, cardN, clothOn, clothN int
	for i, on := range wp.card {
		x, y := (i%wp.w)*wp.f+wp.f/2, (i/wp.w)*wp.f+wp.f/2
		if in(x, y) {
			cardN++
			if on {
				cardOn++
			}
		} else {
			clothN++
			if on {
				clothOn++
			}
		}
	}
	t.Logf("card cells searched %d of %d, cloth cells %d of %d", cardOn, cardN, clothOn, clothN)
	if float64(cardOn) < 0.9*float64(cardN) || float64(clothOn) > 0.02*float64(clothN) {
		t.Errorf("card cells searched %d of %d (want 0.9), cloth cells %d of %d (want at most 0.02)", cardOn, cardN, clothOn, clothN)
	}
}

// TestGreyCardOddFrames: on a sticky trap, frames with no card to find by
// any means (one grey level, black, white, noise, a single bright line,
// the smallest frame Detect takes) are searched whole and give no error.
func TestGreyCardOddFrames(t *testing.T) {
	fill := func(w, h int, at func(x, y int) uint8) *image.Gray {
		img := image.NewGray(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				img.SetGray(x, y, color.Gray{Y: at(x, y)})
			}
		}
		return img
	}
	rng := uint32(1)
	for _, c := range []struct {
		name string
		img  image.Image
	}{
		{"one level", fill(300, 200, func(int, int) uint8 { return 128 })},
		{"black", fill(300, 200, func(int, int) uint8 { return 0 })},
		{"white", fill(300, 200, func(int, int) uint8 { return 255 })},
		{"noise", fill(300, 200, func(int, int) uint8 { rng = rng*1664525 + 1013904223; return uint8(rng >> 24) })},
		{"a bright line", fill(300, 200, func(x, y int) uint8 { return map[bool]uint8{true: 250, false: 20}[y == 100] })},
		{"a bright half", fill(300, 200, func(x, y int) uint8 { return map[bool]uint8{true: 220, false: 20}[x >= 150] })},
		{"smallest", fill(minFrameSide, minFrameSide, func(x, y int) uint8 { return uint8(x * 15) })},
	} {
		o := DefaultOptions(8)
		o.Trap = TrapSticky
		fr, err := Analyze(c.img, o)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if fr.Surface != SurfaceGreyCard {
			t.Errorf("%s: searched as %q, want %q", c.name, fr.Surface, SurfaceGreyCard)
		}
	}
}

package detect

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// TestCardOnGreyClothUnderCast: a card covering a quarter of the frame on
// grey cloth, photographed under a cool white balance, as the card
// 20231209_162100 of ../shared/realframes/sticky (which was searched as a
// sheet so, none of its whiteflies found): the cast lifts the cloth's
// chromaticity over cardChroma and the cloth outnumbers the card, so the
// saturated cells' median falls short of cardMinColour; the card is read
// on its strongly coloured cells instead (cardColour).
func TestCardOnGreyClothUnderCast(t *testing.T) {
	const w, h = 1400, 1000
	card := image.Rect(350, 240, 1050, 760) // 26 % of the frame
	img, paint := cardFrame(w, h)
	rng := rand.New(rand.NewPCG(3, 4))
	for y := range h {
		for x := range w {
			if !image.Pt(x, y).In(card) {
				n := rng.NormFloat64() * 3
				img.SetRGBA(x, y, color.RGBA{clampU8(101 + n), clampU8(105 + n), clampU8(108 + n), 255})
			}
		}
	}
	want := whiteflyGrid(img, paint, image.Rect(card.Min.X+80, card.Min.Y+70, card.Max.X-60, card.Max.Y-50), 110, 95, 4, 2.8, [3]uint8{6, 8, 55})
	for _, c := range []struct {
		name string
		gain [3]float64
	}{{"as taken", [3]float64{1, 1, 1}}, {"cool", [3]float64{0.9, 0.95, 1.15}}, {"purple", [3]float64{0.85, 0.75, 1.05}}} {
		cast := image.NewRGBA(img.Rect)
		for i := range img.Pix {
			if i%4 == 3 {
				cast.Pix[i] = 255
				continue
			}
			cast.Pix[i] = clampU8(float64(img.Pix[i]) * c.gain[i%4])
		}
		frame := jpegRoundTrip(t, cast, 90)
		o := withDefaults(t, DefaultOptions(8))
		py, pcb, pcr, err := downscaleYCC(frame, max(1, (w+o.WorkSize-1)/o.WorkSize))
		if err != nil {
			t.Fatal(err)
		}
		kb, kr, ok := medianChroma(py, pcb, pcr, cardChroma)
		first := ok && kb*kb+kr*kr >= cardMinColour*cardMinColour
		if c.name != "as taken" && first {
			t.Fatalf("%s: the saturated cells' median (%.2f, %.2f) is a card's already: the scene does not test the second reading", c.name, kb, kr)
		}
		got, err := Detect(frame, DefaultOptions(8))
		if err != nil {
			t.Fatal(err)
		}
		found := countFound(got, want, centredWithin(4))
		t.Logf("%s: first median a card's %v, %d of %d whiteflies, %d detections", c.name, first, found, len(want), len(got))
		if found < len(want)*9/10 {
			t.Errorf("%s: %d of %d whiteflies found (want 9/10): %v", c.name, found, len(want), boxesOf(got))
		}
	}
}

// TestCardColourStrongCellsBound: when the saturated cells' median falls
// short of cardMinColour, the cells cardMinColour or more from grey are a
// card only when their own median is cardStrongColour or more (the DSLR
// photos' grass, 0.30-0.32 so, is no card; a card under a cast, 0.54).
func TestCardColourStrongCellsBound(t *testing.T) {
	const w, h = 200, 150
	frame := func(strong float32) (plane, plane, plane) {
		py, pcb, pcr := newPlane(w, h), newPlane(w, h), newPlane(w, h)
		for i := range py.v {
			py.v[i] = 120
			m := float32(0.17) // a tinted surround: saturated, short of cardMinColour
			switch {
			case i%10 < 3: // 30 % of the cells: strongly coloured
				m = strong
			case i%10 < 5: // 20 %: grey
				m = 0.02
			}
			pcb.v[i] = 128 - m*0.95*py.v[i] // yellowish: Cb down, Cr a little up
			pcr.v[i] = 128 + m*0.31*py.v[i]
		}
		return py, pcb, pcr
	}
	for _, c := range []struct {
		strong float32
		card   bool
	}{{0.31, false}, {0.36, false}, {0.45, true}, {0.55, true}} {
		py, pcb, pcr := frame(c.strong)
		kb, kr, _ := medianChroma(py, pcb, pcr, cardChroma)
		if kb*kb+kr*kr >= cardMinColour*cardMinColour {
			t.Fatalf("strong cells at %.2f: the saturated cells' median (%.2f, %.2f) is a card's already", c.strong, kb, kr)
		}
		if _, _, ok := cardColour(py, pcb, pcr); ok != c.card {
			t.Errorf("strong cells at %.2f of chromaticity: card %v, want %v", c.strong, ok, c.card)
		}
	}
}

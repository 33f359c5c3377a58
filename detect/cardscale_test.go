package detect

import (
	"image"
	"image/color"
	"math"
	"testing"
)

func TestCardResample(t *testing.T) {
	card := image.Pt(2048, 1536)
	for _, c := range []struct {
		ppm, up, down float64
		sz            image.Point
	}{
		{8, 1, 1, card}, {8.4, 1, 1, card}, {11.9, 1, 1, card}, {12, 1, 1.5, card}, {15.9, 1, 1.9875, card}, {16, 1, 2, card}, {23.9, 1, 2.9875, card}, {24, 1, 3, card},
		{64, 1, 8, card}, {1e300, 1, 1, card}, {math.Inf(1), 1, 1, card}, {1e-9, 1, 1, card}, {1e-300, 1, 1, card},
		{7.9, 8 / 7.9, 1, card}, {6.5, 8 / 6.5, 1, card}, {6, 8 / 6.0, 1, card}, {4, 2, 1, card}, {3.9, 8 / 3.9, 1, image.Pt(1024, 768)}, {3.9, 1, 1, card}, {2, 4, 1, image.Pt(1024, 768)},
		{16, 1, 1, image.Pt(40, 31)}, {12, 1, 1, image.Pt(23, 80)}, {12, 1, 1.5, image.Pt(24, 80)}, // reduced below the least frame
		{5, 1, 1, image.Pt(4096, 3072)}, {4, 1, 1, image.Pt(2048, 1537)}, // enlarged over 4096x3072 pixels
	} {
		if up, down := cardResample(c.ppm, c.sz); math.Abs(up-c.up) > 1e-12 || math.Abs(down-c.down) > 1e-12 {
			t.Errorf("cardResample(%v, %v) = %v, %v, want %v, %v", c.ppm, c.sz, up, down, c.up, c.down)
		}
	}
}

// TestMeanReduce: each reduced pixel is its block's mean, the last row and
// column of blocks averaging what is left of an odd-sized frame, and a
// frame not at the origin reads from its own bounds.
func TestMeanReduce(t *testing.T) {
	img := image.NewRGBA(image.Rect(3, 5, 8, 8)) // 5 x 3
	for y := 5; y < 8; y++ {
		for x := 3; x < 8; x++ {
			v := uint8(10*(x-3) + 100*(y-5))
			img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	got, err := meanReduce(img, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rect != image.Rect(0, 0, 3, 2) {
		t.Fatalf("reduced to %v, want (0,0)-(3,2)", got.Rect)
	}
	// Grey pixels: luma is the grey level, chroma neutral.
	want := [][]uint8{{55, 75, 90}, {205, 225, 240}}
	for y := range 2 {
		for x := range 3 {
			c := got.YCbCrAt(x, y)
			if c.Y != want[y][x] || c.Cb != 128 || c.Cr != 128 {
				t.Errorf("pixel (%d,%d) = %v, want Y %d, Cb Cr 128", x, y, c, want[y][x])
			}
		}
	}
}

// TestFrameRescale: what is found on a frame reduced by 2 is mapped back
// to the frame's pixels (its bounds need not start at the origin): boxes
// and lengths doubled, areas four times, centres to their blocks'
// centres, boxes clipped to the frame, mm and shapes unchanged.
func TestFrameRescale(t *testing.T) {
	b := image.Rect(10, 20, 111, 81) // 101 x 61: the last reduced column and row are half blocks
	fr := Frame{
		Specimens: []Specimen{{
			Box: image.Rect(4, 5, 51, 31), Extent: image.Rect(3, 4, 51, 31), CenterX: 20, CenterY: 10,
			AreaPx: 100, AreaMM2: 6.25, CoverAreaPx: 90, LengthPx: 12, WidthPx: 6, LengthMM: 3, WidthMM: 1.5,
			Orientation: 0.5, Solidity: 0.9, ThicknessPx: 4, Contrast: 0.4, TouchesEdge: true,
		}},
		Checkerboards: []Checkerboard{{Box: image.Rect(1, 1, 11, 6), SquarePx: 2.5, Squares: 8, grid: image.Rect(2, 2, 10, 5)}},
		Rulers:        []Ruler{{Box: image.Rect(0, 0, 30, 4), PixelsPerMM: 4, Ticks: 20, Angle: 1, ox: 1, oy: 2, dir: -1, first: 0, last: 19, markMM: 3}},
		SolidBars:     []SolidBar{{Box: image.Rect(5, 20, 25, 22), LengthPx: 20, WidthPx: 2, Angle: 0.1, Fill: 0.9}},
		PixelsPerMM:   4, ScaleSource: "config",
	}
	fr.rescale(2, b)
	s := fr.Specimens[0]
	if s.Box != image.Rect(18, 30, 111, 81) || s.Extent != image.Rect(16, 28, 111, 81) {
		t.Errorf("box %v, extent %v: want (18,30)-(111,81) and (16,28)-(111,81), clipped to the frame", s.Box, s.Extent)
	}
	if s.CenterX != 50.5 || s.CenterY != 40.5 {
		t.Errorf("centre (%v, %v), want (50.5, 40.5)", s.CenterX, s.CenterY)
	}
	if s.AreaPx != 400 || s.CoverAreaPx != 360 || s.LengthPx != 24 || s.WidthPx != 12 || s.ThicknessPx != 8 {
		t.Errorf("pixel sizes %+v: want areas x4, lengths x2", s)
	}
	if s.AreaMM2 != 6.25 || s.LengthMM != 3 || s.WidthMM != 1.5 || s.Orientation != 0.5 || s.Solidity != 0.9 || s.Contrast != 0.4 || !s.TouchesEdge {
		t.Errorf("mm sizes and shape changed: %+v", s)
	}
	if c := fr.Checkerboards[0]; c.Box != image.Rect(12, 22, 32, 32) || c.grid != image.Rect(14, 24, 30, 30) || c.SquarePx != 5 || c.Squares != 8 {
		t.Errorf("checkerboard %+v", c)
	}
	if r := fr.Rulers[0]; r.Box != image.Rect(10, 20, 70, 28) || r.PixelsPerMM != 8 || r.ox != 12.5 || r.oy != 24.5 || r.Angle != 1 || r.dir != -1 || r.last != 19 || r.markMM != 3 {
		t.Errorf("ruler %+v", r)
	}
	// The ruler's markings are where they were: a point 2 mm along it maps
	// to the same ruler coordinates at both scales.
	small := Ruler{PixelsPerMM: 4, Angle: 1, ox: 1, oy: 2, dir: -1}
	ux, uy := math.Cos(1), math.Sin(1)
	s0, t0 := small.coords(1-2*4*uy, 2+2*4*ux)
	s1, t1 := fr.Rulers[0].coords(12.5+2*(-2*4*uy), 24.5+2*(2*4*ux))
	if math.Abs(s0-s1) > 1e-9 || math.Abs(t0-t1) > 1e-9 {
		t.Errorf("ruler coordinates (%v, %v) on the reduced frame, (%v, %v) mapped back", s0, t0, s1, t1)
	}
	if sb := fr.SolidBars[0]; sb.Box != image.Rect(20, 60, 60, 64) || sb.LengthPx != 40 || sb.WidthPx != 4 || sb.Angle != 0.1 || sb.Fill != 0.9 {
		t.Errorf("solid bar %+v", sb)
	}
	if fr.PixelsPerMM != 8 || fr.ScaleSource != "config" {
		t.Errorf("scale %v from %s, want 8 from config", fr.PixelsPerMM, fr.ScaleSource)
	}
}

// TestCardAtFineScale: the same card photographed at 1.5 and 2 times the
// scale (12 and 16 px/mm, 3072 x 2304 and 4096 x 3072) is searched
// reduced to 8 px/mm (a sheet at that scale is not), and its whiteflies
// come out in the frame's own pixels: the same ones found as at 8 px/mm,
// centred on them, boxes and areas the size they were drawn (at 8 px/mm
// JPEG's halved chroma blurs them larger).
func TestCardAtFineScale(t *testing.T) {
	const a, b = 4.5, 3.0 // a whitefly's half axes at 8 px/mm, in pixels
	draw := func(k float64) (image.Image, []image.Point) {
		img, paint, card := cardOnCloth(int(2048*k), int(1536*k))
		var at []image.Point
		for gy := range 5 {
			for gx := range 7 {
				p := image.Pt(card.Min.X+card.Dx()*(2*gx+1)/14, card.Min.Y+card.Dy()*(2*gy+1)/10)
				o := img.RGBAAt(p.X, p.Y)
				paint(float64(p.X), float64(p.Y), a*k, b*k, color.RGBA{o.R + 8, o.G + 10, o.B + 75, 255})
				at = append(at, p)
			}
		}
		return jpegRoundTrip(t, img, 85), at
	}
	find := func(img image.Image, ppm float64) []Specimen {
		fr, err := Analyze(img, DefaultOptions(ppm))
		if err != nil {
			t.Fatal(err)
		}
		if fr.PixelsPerMM != ppm {
			t.Errorf("frame scale %v, want %v", fr.PixelsPerMM, ppm)
		}
		return fr.Specimens
	}
	nearest := func(ss []Specimen, p image.Point) (Specimen, bool) {
		for _, s := range ss {
			if math.Hypot(s.CenterX-float64(p.X), s.CenterY-float64(p.Y)) <= 2 {
				return s, true
			}
		}
		return Specimen{}, false
	}
	img1, at1 := draw(1)
	one := find(img1, 8)
	sheet := image.NewRGBA(image.Rect(0, 0, 1024, 768))
	for i := range sheet.Pix {
		sheet.Pix[i] = 220
	}
	for _, k := range []float64{1.5, 2} {
		ppm := 8 * k
		img2, at2 := draw(k)
		o := withDefaults(t, DefaultOptions(ppm))
		if wp, err := workPlanes(img2, o); err != nil || wp.down != k || wp.up != 1 {
			t.Fatalf("card at %v px/mm: not searched reduced by %v (%v)", ppm, k, err)
		}
		if wp, err := workPlanes(sheet, o); err != nil || wp.up*wp.down != 0 {
			t.Fatalf("sheet at %v px/mm: searched reduced (%v)", ppm, err)
		}
		two := find(img2, ppm)
		if len(two) != len(one) {
			t.Errorf("%d specimens at %v px/mm, %d at 8", len(two), ppm, len(one))
		}
		found := 0
		for i := range at1 {
			_, ok1 := nearest(one, at1[i])
			s, ok2 := nearest(two, at2[i])
			if ok1 != ok2 {
				t.Errorf("whitefly %d found at 8 px/mm %v, at %v %v", i, ok1, ppm, ok2)
			}
			if !ok2 {
				continue
			}
			found++
			// Drawn 2ka x 2kb px (0.66 mm^2), anti-aliased.
			if d := s.Box.Size(); float64(d.X) < 2*k*a-2 || float64(d.X) > 3*k*a || float64(d.Y) < 2*k*b-2 || float64(d.Y) > 3*k*b {
				t.Errorf("whitefly %d at %v px/mm: box %v, drawn %vx%v", i, ppm, d, 2*k*a, 2*k*b)
			}
			// The covered area (the size the metadata uses): AreaPx also
			// counts the pixels that a reduction by 1.5 mixes with the card
			// as whole (1.06-1.08 mm^2 here, as JPEG's chroma does at 8 px/mm).
			if drawn, got := math.Pi*a*b/64, s.CoverAreaPx/(ppm*ppm); got < 0.8*drawn || got > 1.25*drawn {
				t.Errorf("whitefly %d at %v px/mm: covers %.2f mm^2, drawn %.2f", i, ppm, got, drawn)
			}
		}
		if found < len(at1)*9/10 {
			t.Errorf("at %v px/mm: found %d of %d whiteflies", ppm, found, len(at1))
		}
	}
}

// TestEnlarge: an enlarged pixel interpolates between the source pixels'
// centres, clamped at the borders, by an integer factor or any other.
func TestEnlarge(t *testing.T) {
	img := image.NewGray(image.Rect(7, 9, 10, 11)) // 3 x 2, not at the origin
	copy(img.Pix, []uint8{0, 100, 200, 100, 200, 240})
	got, err := enlarge(img, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rect != image.Rect(0, 0, 6, 4) {
		t.Fatalf("enlarged to %v, want (0,0)-(6,4)", got.Rect)
	}
	want := [][]uint8{
		{0, 25, 75, 125, 175, 200},
		{25, 50, 100, 146, 189, 210},
		{75, 100, 150, 189, 216, 230},
		{100, 125, 175, 210, 230, 240},
	}
	for y := range 4 {
		for x := range 6 {
			if c := got.YCbCrAt(x, y); c.Y != want[y][x] || c.Cb != 128 || c.Cr != 128 {
				t.Errorf("pixel (%d,%d) = %v, want Y %d", x, y, c, want[y][x])
			}
		}
	}
	// By 1.5: 4 x 1 pixels become 6 x 2, each at (o + 0.5) / 1.5 - 0.5.
	line := image.NewGray(image.Rect(0, 0, 4, 1))
	copy(line.Pix, []uint8{0, 100, 200, 100})
	got, err = enlarge(line, 1.5)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rect != image.Rect(0, 0, 6, 2) {
		t.Fatalf("enlarged by 1.5 to %v, want (0,0)-(6,2)", got.Rect)
	}
	for y := range 2 {
		for x, v := range []uint8{0, 50, 117, 183, 150, 100} {
			if c := got.YCbCrAt(x, y); c.Y != v {
				t.Errorf("by 1.5: pixel (%d,%d) = %v, want Y %d", x, y, c, v)
			}
		}
	}
}

// TestFrameRescaleEnlarged: what is found on a frame enlarged by 2 maps
// back to boxes widened to whole pixels, centres at the source pixels'.
func TestFrameRescaleEnlarged(t *testing.T) {
	fr := Frame{Specimens: []Specimen{{Box: image.Rect(3, 4, 9, 11), CenterX: 5.5, CenterY: 7, AreaPx: 40, LengthPx: 8, ThicknessPx: 4}}, PixelsPerMM: 8}
	fr.rescale(0.5, image.Rect(100, 50, 160, 90))
	s := fr.Specimens[0]
	if s.Box != image.Rect(101, 52, 105, 56) || s.CenterX != 102.5 || s.CenterY != 53.25 || s.AreaPx != 10 || s.LengthPx != 4 || s.ThicknessPx != 2 || fr.PixelsPerMM != 4 {
		t.Errorf("mapped back to %+v at %v px/mm", s, fr.PixelsPerMM)
	}
}

// TestCardAtCoarseScale: a card photographed at half the scale (4 px/mm,
// 1024 x 768) with slender whiteflies 4.5 x 2 px (9 x 4.4 px at 8 px/mm),
// under the 3 px thickness floor, is searched enlarged to 8 px/mm, and
// they are found, in the frame's own pixels. Searched as it is, none is.
func TestCardAtCoarseScale(t *testing.T) {
	img, paint, card := cardOnCloth(1024, 768)
	var at []image.Point
	for gy := range 5 {
		for gx := range 7 {
			p := image.Pt(card.Min.X+card.Dx()*(2*gx+1)/14, card.Min.Y+card.Dy()*(2*gy+1)/10)
			o := img.RGBAAt(p.X, p.Y)
			paint(float64(p.X), float64(p.Y), 2.25, 1.1, color.RGBA{o.R + 8, o.G + 10, o.B + 75, 255})
			at = append(at, p)
		}
	}
	o := withDefaults(t, DefaultOptions(4))
	if wp, err := workPlanes(img, o); err != nil || wp.up != 2 || wp.down != 1 {
		t.Fatalf("card at 4 px/mm: not searched enlarged by 2 (%v)", err)
	}
	fr, err := Analyze(img, DefaultOptions(4))
	if err != nil {
		t.Fatal(err)
	}
	if fr.PixelsPerMM != 4 {
		t.Errorf("frame scale %v, want 4", fr.PixelsPerMM)
	}
	found := 0
	for i, p := range at {
		for _, s := range fr.Specimens {
			if math.Hypot(s.CenterX-float64(p.X), s.CenterY-float64(p.Y)) > 1.5 {
				continue
			}
			found++
			if d := s.Box.Size(); d.X < 3 || d.X > 8 || d.Y < 1 || d.Y > 5 || !s.Box.In(img.Bounds()) {
				t.Errorf("whitefly %d: box %v, drawn 4.5 x 2.2 px", i, s.Box)
			}
			break
		}
	}
	if found < len(at)*9/10 || len(fr.Specimens) > len(at)+2 {
		t.Errorf("found %d of %d whiteflies with %d detections", found, len(at), len(fr.Specimens))
	}
}

// TestCardBlocks: a card's background blocks are half a sheet's (1/64 of
// the frame), at most cardMaxBlockMM: 32 frame pixels on a card photo of
// 1024 to 4096 px at 8 px/mm, 1/64 of a 2048 px frame at 10 px/mm.
func TestCardBlocks(t *testing.T) {
	for _, c := range []struct {
		w       int
		ppm     float64
		blockPx int
	}{{1024, 8, 32}, {2048, 8, 32}, {2560, 8, 32}, {4096, 8, 32}, {2048, 10, 32}, {2400, 10.4, 42}} {
		img, _, _ := cardOnCloth(c.w, c.w*3/4)
		wp, err := workPlanes(img, withDefaults(t, DefaultOptions(c.ppm)))
		if err != nil || wp.card == nil {
			t.Fatalf("%d px: no card (%v)", c.w, err)
		}
		if px := wp.block * wp.f; px != c.blockPx {
			t.Errorf("%d px at %v px/mm: blocks of %d cells of %d px = %d px, want %d", c.w, c.ppm, wp.block, wp.f, px, c.blockPx)
		}
	}
}

// TestCardResampledOnce: a card at 7.3 px/mm is searched on a copy
// enlarged to 8 px/mm, which in floats is 7.999999999999999 px/mm, and
// that copy is searched as it is, not enlarged again (two resamplings for
// one).
func TestCardResampledOnce(t *testing.T) {
	img, _, _ := cardOnCloth(1024, 768)
	opts := DefaultOptions(7.3)
	wp, err := workPlanes(img, withDefaults(t, opts))
	if err != nil || wp.up != 8/7.3 || wp.down != 1 {
		t.Fatalf("card at 7.3 px/mm: enlarged by %v, reduced by %v, want %v and 1 (%v)", wp.up, wp.down, 8/7.3, err)
	}
	big, err := enlarge(img, wp.up)
	if err != nil {
		t.Fatal(err)
	}
	o := resampledOptions(opts, wp.up, 1)
	if o.PixelsPerMM >= 8 {
		t.Fatalf("the copy's scale %v: the case this test is for is under 8 in floats", o.PixelsPerMM)
	}
	if wp, err := workPlanes(big, withDefaults(t, o)); err != nil || wp.card == nil || wp.up*wp.down != 0 {
		t.Errorf("the copy at %v px/mm: enlarged by %v, reduced by %v, want searched as it is (%v)", o.PixelsPerMM, wp.up, wp.down, err)
	}
}

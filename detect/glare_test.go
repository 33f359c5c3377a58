package detect

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// TestCardGlareNotSpecimen: glossy glue catching the light, drawn as a
// 9 mm net of faint pale ridges 3 px wide, is not reported; a spider with
// its legs spread (as thin for its width, but dark) and a pair of touching
// whiteflies are.
func TestCardGlareNotSpecimen(t *testing.T) {
	img, paint := cardFrame(900, 600)
	glare := image.Rect(120, 150, 192, 222) // 72 px: 9 mm at 8 px/mm
	for y := glare.Min.Y; y < glare.Max.Y; y++ {
		for x := glare.Min.X; x < glare.Max.X; x++ {
			dx, dy := (x-glare.Min.X)%18, (y-glare.Min.Y)%18
			if dx < 3 || dy < 3 || (x-glare.Min.X+y-glare.Min.Y)%36 < 3 {
				o := img.RGBAAt(x, y)
				img.SetRGBA(x, y, color.RGBA{min(255, o.R+12), min(255, o.G+14), min(255, o.B+70), 255})
			}
		}
	}
	spider := image.Pt(500, 200)
	paint(float64(spider.X), float64(spider.Y), 6, 5, color.RGBA{70, 50, 30, 255})
	for k := range 8 { // legs: 1.5 px wide, 4 mm
		a := math.Pi/8 + float64(k)*math.Pi/4
		for r := 5.0; r < 37; r += 0.5 {
			x, y := float64(spider.X)+r*math.Cos(a), float64(spider.Y)+r*math.Sin(a)
			paint(x, y, 1, 1, color.RGBA{80, 60, 35, 255})
		}
	}
	pair := image.Pt(700, 400)
	o := img.RGBAAt(pair.X, pair.Y)
	pale := color.RGBA{o.R + 8, o.G + 10, o.B + 75, 255}
	paint(float64(pair.X), float64(pair.Y), 5, 3, pale)
	paint(float64(pair.X+9), float64(pair.Y+5), 5, 3, pale)
	got := detectCard(t, img)
	for _, s := range got {
		if s.Box.Overlaps(glare) && s.Box.Dx() >= 40 {
			t.Errorf("glare reported as a specimen: %v (contrast %.2f, thickness %.0f of width %.0f px)", s.Box, s.Contrast, s.ThicknessPx, s.WidthPx)
		}
	}
	if countFound(got, []image.Point{spider}, centredWithin(6)) != 1 {
		t.Errorf("spider not found: %v", boxesOf(got))
	}
	if countFound(got, []image.Point{pair, pair.Add(image.Pt(9, 5))}, func(s Specimen, p image.Point) bool { return p.In(s.Box) }) != 2 {
		t.Errorf("touching whiteflies not found: %v", boxesOf(got))
	}
}

// TestGlareAmongFlecks: a thin, flat net of Contrast 0.35 (the bare card
// between sparkling glue's flecks, read against the flecks' white) is
// glare when white flecks lie around it; not on clean card, not when the
// only white is its own (whitish wings), not when it is dark, and not when
// it is less flat (an insect's partly covered limbs).
func TestGlareAmongFlecks(t *testing.T) {
	card := color.RGBA{212, 182, 20, 255}
	box := image.Rect(60, 60, 140, 140)
	net := Specimen{Box: box, AreaPx: 2000, CoverAreaPx: 1900, Contrast: 0.35, ThicknessPx: 4, WidthPx: 60}
	y0, cb0, cr0 := rgbToYCC(card.R, card.G, card.B)
	frame := func(fleck func(x, y int) bool, white color.RGBA) (*image.RGBA, *work) {
		img := image.NewRGBA(image.Rect(0, 0, 200, 200))
		bg := newPlane(200, 200)
		for y := range 200 {
			for x := range 200 {
				c := card
				if fleck(x, y) {
					c = white
				}
				img.SetRGBA(x, y, c)
				bg.v[y*200+x] = float32(y0)
			}
		}
		return img, &work{f: 1, bg: bg, kb: (float32(cb0) - 128) / float32(y0), kr: (float32(cr0) - 128) / float32(y0)}
	}
	sparkle := func(x, y int) bool { return x%9 < 3 && y%7 < 2 } // 0.095 of the frame
	wings := func(x, y int) bool { return image.Pt(x, y).In(box.Inset(10)) && sparkle(x, y) }
	none := func(int, int) bool { return false }
	white := color.RGBA{250, 248, 236, 255}
	for _, c := range []struct {
		name     string
		fleck    func(x, y int) bool
		white    color.RGBA
		contrast float64
		want     bool
	}{
		{"among flecks", sparkle, white, 0.35, true},
		{"clean card", none, white, 0.35, false},
		{"own whitish wings", wings, color.RGBA{246, 240, 170, 255}, 0.35, false},
		{"own white parts", wings, white, 0.35, false},
		{"dark, among flecks", sparkle, white, 0.6, false},
		{"faint, clean card", none, white, 0.2, true},
	} {
		img, wp := frame(c.fleck, c.white)
		s := net
		s.Contrast = c.contrast
		if got := isGlare(img, s, wp, 8); got != c.want {
			t.Errorf("%s: isGlare %v, want %v (flecks %.3f of the margin)", c.name, got, c.want, fleckShare(img, box, wp))
		}
	}
	img, wp := frame(sparkle, white)
	limbs := net
	limbs.CoverAreaPx = 0.82 * limbs.AreaPx // an insect's partly covered limbs
	if isGlare(img, limbs, wp, 8) {
		t.Errorf("a net among flecks 0.82 flat (a spider in glare, hazed) taken for glare")
	}
}

// TestCardPaleGlareNotSpecimen: light thrown back by the glue, drawn as a
// whitish arc 11 mm long and 5 px wide and as a straight streak 7.5 mm
// long, is not reported; a whitefly on a close-up card (a whitish oval 6 x 3 mm),
// as pale, is.
func TestCardPaleGlareNotSpecimen(t *testing.T) {
	img, paint := cardFrame(900, 600)
	card := image.NewRGBA(img.Bounds())
	copy(card.Pix, img.Pix)
	whitish := func(x, y float64) color.RGBA { // the clean card's colour there, whiter
		o := card.RGBAAt(int(x), int(y))
		return color.RGBA{o.R + 12, o.G + 14, o.B + 80, 255}
	}
	arc := image.Rect(150, 120, 250, 220)
	for a := 0.0; a < math.Pi/2; a += 0.02 { // a quarter circle of radius 60 px
		x, y := 160+60*math.Cos(a), 130+60*math.Sin(a)
		paint(x, y, 2.5, 2.5, whitish(x, y))
	}
	streak := image.Rect(400, 150, 480, 170)
	for x := 410.0; x < 470; x++ { // straight, 7.5 mm long and 5 px wide
		paint(x, 160, 2.5, 2.5, whitish(x, 160))
	}
	fly := image.Pt(650, 400)
	paint(float64(fly.X), float64(fly.Y), 24, 12, whitish(float64(fly.X), float64(fly.Y)))
	got := detectCard(t, img)
	for _, s := range got {
		for _, r := range []image.Rectangle{arc, streak} {
			if s.Box.Overlaps(r) && max(s.Box.Dx(), s.Box.Dy()) >= 40 {
				t.Errorf("pale glare reported as a specimen: %v (contrast %.2f, solidity %.2f, thickness %.0f of length %.0f px)", s.Box, s.Contrast, s.Solidity, s.ThicknessPx, s.LengthPx)
			}
		}
	}
	if countFound(got, []image.Point{fly}, centredWithin(6)) != 1 {
		t.Errorf("whitish whitefly not found: %v", boxesOf(got))
	}
}

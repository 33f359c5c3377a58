package detect

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"strconv"
	"testing"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// inkOnSheet returns a w x h grey sheet and a drawer that prints on it in
// black Go Bold letters size px high.
func inkOnSheet(t *testing.T, w, h int, size float64) (*image.RGBA, *font.Drawer) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{214, 212, 218, 255}), image.Point{}, draw.Src)
	ft, err := opentype.Parse(gobold.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(ft, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		t.Fatal(err)
	}
	return img, &font.Drawer{Dst: img, Src: image.NewUniform(color.RGBA{20, 20, 25, 255}), Face: face}
}

// TestPrintedLabelNotSpecimens: a label printed in 5 mm letters on a
// sheet is words of ink, one piece each, not insects; three moths resting
// in a row, level with each other, are insects.
func TestPrintedLabelNotSpecimens(t *testing.T) {
	const ppm = 10.0
	img, d := inkOnSheet(t, 1400, 900, 5*ppm)
	label := image.Rect(300, 150, 1000, 320)
	draw.Draw(img, label, image.NewUniform(color.RGBA{245, 245, 240, 255}), image.Point{}, draw.Src)
	d.Dot = fixed.P(label.Min.X+20, label.Min.Y+65)
	d.DrawString("TRAP 07 VT")
	d.Dot = fixed.P(label.Min.X+20, label.Min.Y+135)
	d.DrawString("2022-06-22 NORTH")
	var moths []image.Point
	for x := 400; x <= 900; x += 250 { // 12 x 6 mm, 13 mm apart
		moths = append(moths, image.Pt(x, 600))
		for y := 560; y < 640; y++ {
			for xx := x - 70; xx < x+70; xx++ {
				if dx, dy := (float64(xx)+0.5-float64(x))/60, (float64(y)+0.5-600)/30; dx*dx+dy*dy <= 1 {
					v := uint8(90 + 40*math.Abs(dx))
					img.SetRGBA(xx, y, color.RGBA{v, v - 20, v - 40, 255})
				}
			}
		}
	}
	got, err := Detect(img, DefaultOptions(ppm))
	if err != nil {
		t.Fatal(err)
	}
	if n := countFound(got, moths, centredWithin(5)); n != len(moths) {
		t.Errorf("found %d of %d moths in a row (%v)", n, len(moths), boxesOf(got))
	}
	for _, s := range got {
		if s.Box.Overlaps(label) {
			t.Errorf("printed word reported as a specimen: %v (thickness %.0f px, contrast %.2f)", s.Box, s.ThicknessPx, s.Contrast)
		}
	}
}

// TestRulerNotSpecimens: a pale paper ruler on the sheet, 150 x 20 mm with
// its mm ticks and a number every 10 mm, is neither a pale moth (too
// narrow, faintMaxAspect) nor a row of insects (its numbers are text, 10
// mm apart); a moth beside it is found.
func TestRulerNotSpecimens(t *testing.T) {
	const ppm = 10.0
	img, d := inkOnSheet(t, 2000, 1000, 4*ppm)
	ruler := image.Rect(200, 200, 1700, 400)
	draw.Draw(img, ruler, image.NewUniform(color.RGBA{235, 230, 200, 255}), image.Point{}, draw.Src)
	ink := d.Src
	for mm := 0; mm <= 145; mm++ {
		x, l := ruler.Min.X+25+mm*10, 30
		if mm%10 == 0 {
			l = 70
		} else if mm%5 == 0 {
			l = 50
		}
		draw.Draw(img, image.Rect(x, ruler.Min.Y, x+2, ruler.Min.Y+l), ink, image.Point{}, draw.Src)
	}
	for cm := 0; cm <= 14; cm++ {
		d.Dot = fixed.P(ruler.Min.X+15+cm*100, ruler.Max.Y-30)
		d.DrawString(strconv.Itoa(cm))
	}
	moth := image.Pt(950, 720) // 20 x 8 mm, brown
	for y := 670; y < 770; y++ {
		for x := 840; x < 1060; x++ {
			if dx, dy := (float64(x)+0.5-950)/100, (float64(y)+0.5-720)/40; dx*dx+dy*dy <= 1 {
				img.SetRGBA(x, y, color.RGBA{120, 100, 80, 255})
			}
		}
	}
	got, err := Detect(img, DefaultOptions(ppm))
	if err != nil {
		t.Fatal(err)
	}
	if countFound(got, []image.Point{moth}, centredWithin(30)) != 1 {
		t.Errorf("the moth is not found (%v)", boxesOf(got))
	}
	for _, s := range got {
		if s.Box.Overlaps(ruler) {
			t.Errorf("the ruler or part of it reported as a specimen: %v", s.Box)
		}
	}
}

// TestTextLinesEnd: pieces narrower than a fifth of their height each fit
// after themselves and after one another as the next word of a line; the
// line search must still end (it grew without end on a grey phone photo
// of a card, 24 GB), and two such pieces are no line of text.
func TestTextLinesEnd(t *testing.T) {
	ss := []Specimen{
		{Box: image.Rect(100, 100, 102, 140), Contrast: 0.8, ThicknessPx: 2},
		{Box: image.Rect(101, 100, 103, 140), Contrast: 0.8, ThicknessPx: 2},
		{Box: image.Rect(100, 300, 140, 302), Contrast: 0.8, ThicknessPx: 2}, // the same, lying flat
		{Box: image.Rect(100, 301, 140, 303), Contrast: 0.8, ThicknessPx: 2},
	}
	done := make(chan []Specimen, 1)
	go func() { done <- dropTextLines(append([]Specimen(nil), ss...)) }()
	select {
	case got := <-done:
		if len(got) != len(ss) {
			t.Errorf("kept %d of %d pieces, want all (two thin pieces are no line of text): %v", len(got), len(ss), boxesOf(got))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("dropTextLines did not return in 10 s")
	}
}

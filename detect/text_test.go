package detect

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// TestPrintedLabelNotSpecimens: a label printed in 5 mm letters on a
// sheet is words of ink, one piece each, not insects; three moths resting
// in a row, level with each other, are insects.
func TestPrintedLabelNotSpecimens(t *testing.T) {
	const ppm = 10.0
	img := image.NewRGBA(image.Rect(0, 0, 1400, 900))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{214, 212, 218, 255}), image.Point{}, draw.Src)
	ft, err := opentype.Parse(gobold.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(ft, &opentype.FaceOptions{Size: 5 * ppm, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		t.Fatal(err)
	}
	label := image.Rect(300, 150, 1000, 320)
	draw.Draw(img, label, image.NewUniform(color.RGBA{245, 245, 240, 255}), image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.RGBA{20, 20, 25, 255}), Face: face}
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

package detect

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/trapnet/trapnet/synth/trap"
)

// surface returns a w x h frame of colour c with a little noise.
func surface(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < len(img.Pix); i += 4 {
		n := rng.NormFloat64() * 3
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = clampU8(float64(c.R)+n), clampU8(float64(c.G)+n), clampU8(float64(c.B)+n), 255
	}
	return img
}

func clampU8(v float64) uint8 { return uint8(min(255, max(0, v+0.5))) }

// mothAt draws a brown ellipse of semi-axes a, b px centred at (x, y).
func mothAt(img *image.RGBA, x, y, a, b float64) {
	for yy := int(y - b); yy <= int(y+b); yy++ {
		for xx := int(x - a); xx <= int(x+a); xx++ {
			if dx, dy := (float64(xx)+0.5-x)/a, (float64(yy)+0.5-y)/b; dx*dx+dy*dy <= 1 {
				img.SetRGBA(xx, yy, color.RGBA{110, 85, 60, 255})
			}
		}
	}
}

// TestRulerScale: a millimetre ruler on a sheet or a card, at several
// scales and turns, gives the frame's scale (to 1 %) and is no specimen,
// nor are its numbers; a moth beside it is found and measured at the
// ruler's scale. The card may be dim (about half the white ruler's luma,
// so that its ticks merge with it where they meet the ruler's edge) or
// shaded on its right half, and the ruler turned so that its thin ticks'
// own axes are off by a degree or more (126 and 131 degrees: read from
// them alone, the base line ran off the far ticks and the numbers beyond
// were reported).
func TestRulerScale(t *testing.T) {
	sheet, card, dim := color.RGBA{200, 198, 192, 255}, color.RGBA{205, 185, 40, 255}, color.RGBA{155, 138, 27, 255}
	wood, white, clear := color.NRGBA{200, 165, 115, 255}, color.NRGBA{246, 246, 242, 255}, color.NRGBA{255, 255, 255, 50}
	for _, tc := range []struct {
		name       string
		bg         color.RGBA
		body       color.NRGBA
		ppm, angle float64
		shadeRight bool // the frame's right half dim
	}{
		{"wooden ruler on a sheet, level", sheet, wood, 10, 0, false},
		{"wooden ruler on a sheet, turned 30 degrees", sheet, wood, 10, 30, false},
		{"wooden ruler on a sheet, upright, 6 px/mm", sheet, wood, 6, 90, false},
		{"wooden ruler on a sheet, 4 px/mm", sheet, wood, 4, 160, false},
		{"white ruler on a card, turned 20 degrees", card, white, 8, 20, false},
		{"clear ruler on a card, turned 200 degrees", card, clear, 8, 200, false},
		{"white ruler on a card, turned 126 degrees", card, white, 8, 126, false},
		{"white ruler on a card, turned 131 degrees", card, white, 8, 131, false},
		{"white ruler on a dim card, turned 10 degrees", dim, white, 8, 10, false},
		{"white ruler across a card's shaded half, turned 5 degrees", card, white, 8, 5, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := surface(2400, 1500, tc.bg)
			if tc.shadeRight {
				half := surface(1200, 1500, dim)
				draw.Draw(img, image.Rect(1200, 0, 2400, 1500), half, image.Point{}, draw.Src)
			}
			r := trap.Ruler{X: 1200 - 80*tc.ppm*math.Cos(tc.angle*math.Pi/180), Y: 750 - 80*tc.ppm*math.Sin(tc.angle*math.Pi/180), Angle: tc.angle * math.Pi / 180, PixelsPerMM: tc.ppm, LengthMM: 150}
			// the ruler from its corner: shift so its middle is the frame's
			r.X, r.Y = r.X+12*tc.ppm*math.Sin(r.Angle), r.Y-12*tc.ppm*math.Cos(r.Angle)
			if err := trap.DrawRuler(img, r, tc.body); err != nil {
				t.Fatal(err)
			}
			moth := image.Pt(200, 150) // 16 x 8 mm, a corner away from the ruler
			mothAt(img, 200, 150, 8*tc.ppm, 4*tc.ppm)
			o := DefaultOptions(tc.ppm * 1.3) // the configured scale is off by 30 %
			fr, err := Analyze(img, o)
			if err != nil {
				t.Fatal(err)
			}
			if fr.ScaleSource != "ruler" || math.Abs(fr.PixelsPerMM/tc.ppm-1) > 0.01 {
				t.Fatalf("scale %.3f px/mm from %q, want %.1f from the ruler (rulers %+v)", fr.PixelsPerMM, fr.ScaleSource, tc.ppm, fr.Rulers)
			}
			found := false
			for _, s := range fr.Specimens {
				c := image.Pt(int(s.CenterX), int(s.CenterY))
				if d := c.Sub(moth); max(d.X, -d.X) < 10 && max(d.Y, -d.Y) < 10 {
					found = true
					if math.Abs(s.LengthMM/16-1) > 0.1 {
						t.Errorf("moth measured %.1f mm long, want 16", s.LengthMM)
					}
					continue
				}
				if r.OnBody(s.CenterX, s.CenterY) && max(s.Box.Dx(), s.Box.Dy()) >= 20 {
					t.Errorf("part of the ruler reported as a specimen: %v", s.Box)
				}
			}
			if !found {
				t.Errorf("the moth is not found (%v)", boxesOf(fr.Specimens))
			}
		})
	}
}

// TestNotRuler: evenly spaced bars of one length (a fence, a grille, a
// comb of glue streaks) are no ruler: without the longer tick every 5 mm
// the frame keeps its configured scale.
func TestNotRuler(t *testing.T) {
	img := surface(1600, 800, color.RGBA{200, 198, 192, 255})
	draw.Draw(img, image.Rect(300, 300, 1300, 500), image.NewUniform(color.RGBA{200, 165, 115, 255}), image.Point{}, draw.Src)
	for k := range 90 {
		x := 320 + 10*k
		draw.Draw(img, image.Rect(x, 300, x+2, 340), image.Black, image.Point{}, draw.Src)
	}
	fr, err := Analyze(img, DefaultOptions(10))
	if err != nil {
		t.Fatal(err)
	}
	if len(fr.Rulers) != 0 || fr.ScaleSource != "config" {
		t.Errorf("bars of one length taken for a ruler: %+v (scale from %q)", fr.Rulers, fr.ScaleSource)
	}
}

// TestNoRulerScale: with Options.NoRulerScale the ruler is still no
// specimen, and the configured scale stays.
func TestNoRulerScale(t *testing.T) {
	img := surface(2000, 1000, color.RGBA{205, 185, 40, 255})
	r := trap.Ruler{X: 200, Y: 300, PixelsPerMM: 8, LengthMM: 150}
	if err := trap.DrawRuler(img, r, color.NRGBA{246, 246, 242, 255}); err != nil {
		t.Fatal(err)
	}
	o := DefaultOptions(9)
	o.NoRulerScale = true
	fr, err := Analyze(img, o)
	if err != nil {
		t.Fatal(err)
	}
	if fr.ScaleSource != "config" || fr.PixelsPerMM != 9 || len(fr.Rulers) != 1 {
		t.Errorf("scale %.2f from %q, %d rulers; want 9 from config and the ruler seen", fr.PixelsPerMM, fr.ScaleSource, len(fr.Rulers))
	}
	for _, s := range fr.Specimens {
		if r.OnBody(s.CenterX, s.CenterY) && max(s.Box.Dx(), s.Box.Dy()) >= 20 {
			t.Errorf("part of the ruler reported as a specimen: %v", s.Box)
		}
	}
}

// TestRulerDirection: a ruler's ticks are found along its whole length at
// every turn. The ticks are thin blobs whose own axes the pixel grid
// biases, the same way for all of them (by 2.6 degrees when turned 91
// degrees): read from them alone, the base line ran off the far ticks, and
// only 27 of 101 were found. The line through their ends on the base line
// gives the direction.
func TestRulerDirection(t *testing.T) {
	for deg := 0.0; deg < 180; deg += 7 {
		img := surface(1600, 1600, color.RGBA{205, 185, 40, 255})
		a := deg * math.Pi / 180
		r := trap.Ruler{X: 800 - 55*8*math.Cos(a) + 12*8*math.Sin(a), Y: 800 - 55*8*math.Sin(a) - 12*8*math.Cos(a), Angle: a, PixelsPerMM: 8, LengthMM: 100}
		if err := trap.DrawRuler(img, r, color.NRGBA{246, 246, 242, 255}); err != nil {
			t.Fatal(err)
		}
		ru, ok := findRuler(img, r.Box())
		want := math.Mod(a+math.Pi/2, math.Pi) // the ticks stand across the ruler
		if !ok || ru.Ticks != 101 || ru.last-ru.first != 100 || angleDiff(ru.Angle, want) > 0.2*math.Pi/180 || math.Abs(ru.PixelsPerMM/8-1) > 0.002 {
			t.Errorf("turned %.0f degrees: found %v, %d ticks over %d-%d mm, direction %.2f degrees off, %.3f px/mm; want 101 ticks over 100 mm, 8 px/mm",
				deg, ok, ru.Ticks, ru.first, ru.last, angleDiff(ru.Angle, want)*180/math.Pi, ru.PixelsPerMM)
		}
	}
}

// TestInsectTouchingRuler: an insect resting against a ruler's ticked edge
// is one working-resolution component with its ticks; the ruler is cut
// out of it (cutRuler) and the insect found, less what of it lies on the
// ruler's edge. Before, it went with the ruler.
func TestInsectTouchingRuler(t *testing.T) {
	for _, off := range []float64{0, 0.3} { // mm between the insect and the edge
		img := surface(2000, 1000, color.RGBA{205, 185, 40, 255})
		r := trap.Ruler{X: 200, Y: 400, PixelsPerMM: 8, LengthMM: 150}
		if err := trap.DrawRuler(img, r, color.NRGBA{246, 246, 242, 255}); err != nil {
			t.Fatal(err)
		}
		var want []image.Point
		for _, x := range []float64{600, 900, 1240} {
			y := 400 - off*8 - 8
			mothAt(img, x, y, 24, 8) // 6 x 2 mm
			want = append(want, image.Pt(int(x), int(math.Round(y))))
		}
		fr, err := Analyze(img, DefaultOptions(8))
		if err != nil {
			t.Fatal(err)
		}
		if len(fr.Rulers) != 1 {
			t.Fatalf("%.1f mm off: %d rulers, want 1", off, len(fr.Rulers))
		}
		if got := countFound(fr.Specimens, want, centredWithin(6)); got != len(want) {
			t.Errorf("%.1f mm off: %d of %d insects found (%v)", off, got, len(want), boxesOf(fr.Specimens))
		}
	}
}

// TestInsectBesideRuler: a small insect 1.5-2.5 mm off the ruler's ticked
// edge is no marking of it (they start at the edge) and is found.
func TestInsectBesideRuler(t *testing.T) {
	img := surface(2000, 1000, color.RGBA{205, 185, 40, 255})
	r := trap.Ruler{X: 200, Y: 400, PixelsPerMM: 8, LengthMM: 150}
	if err := trap.DrawRuler(img, r, color.NRGBA{246, 246, 242, 255}); err != nil {
		t.Fatal(err)
	}
	mothAt(img, 900, 400-2*8, 8, 4) // 2 x 1 mm, its middle 2 mm above the edge
	fr, err := Analyze(img, DefaultOptions(8))
	if err != nil {
		t.Fatal(err)
	}
	if len(fr.Rulers) != 1 {
		t.Fatalf("%d rulers, want 1", len(fr.Rulers))
	}
	for _, s := range fr.Specimens {
		if math.Abs(s.CenterX-900) < 4 && math.Abs(s.CenterY-384) < 4 {
			return
		}
	}
	t.Errorf("the insect beside the ruler is not found (%v)", boxesOf(fr.Specimens))
}

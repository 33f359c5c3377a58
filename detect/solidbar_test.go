package detect

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/trapnet/trapnet/synth/trap"
)

// TestSolidBarScale: a solid bar of the configured length, on a sheet or a
// card, level or turned, with or without its caption, gives the frame's
// scale (to 1 %, the configured scale 30 % off) and is no specimen; a moth
// beside it is found and measured at the bar's scale.
func TestSolidBarScale(t *testing.T) {
	sheet, card := color.RGBA{200, 198, 192, 255}, color.RGBA{205, 185, 40, 255}
	black := color.RGBA{25, 25, 30, 255}
	for _, tc := range []struct {
		name          string
		bg            color.RGBA
		ppm, angle    float64
		lmm, wmm      float64
		caption       bool
		configuredPPM float64
	}{
		{"10 mm bar with caption on a sheet, level", sheet, 10, 0, 10, 1, true, 13},
		{"30 mm bar on a sheet, turned 30 degrees", sheet, 10, 30, 30, 2, false, 7},
		{"20 mm bar on a sheet, upright, 6 px/mm", sheet, 6, 90, 20, 1.5, true, 7.8},
		{"10 mm bar on a sheet, 4 px/mm, turned 160 degrees", sheet, 4, 160, 10, 1, false, 5.2},
		{"10 mm bar with caption on a card, 8 px/mm, turned 20 degrees", card, 8, 20, 10, 1, true, 10.4},
		{"50 mm tape on a card, 8 px/mm", card, 8, 0, 50, 5, false, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := surface(2400, 1500, tc.bg)
			b := trap.SolidBar{X: 1000, Y: 700, Angle: tc.angle * math.Pi / 180, PixelsPerMM: tc.ppm, LengthMM: tc.lmm, WidthMM: tc.wmm, Caption: tc.caption}
			if err := trap.DrawSolidBar(img, b, black); err != nil {
				t.Fatal(err)
			}
			moth := image.Pt(300, 250)
			mothAt(img, 300, 250, 8*tc.ppm, 4*tc.ppm) // 16 x 8 mm
			// a dark beetle (4 x 2.5 mm) 6 mm beyond the bar's end, where a
			// caption might be
			ca, sa := math.Cos(b.Angle), math.Sin(b.Angle)
			along, across := (tc.lmm+8)*tc.ppm, tc.wmm/2*tc.ppm
			beetle := image.Pt(int(b.X+ca*along-sa*across), int(b.Y+sa*along+ca*across))
			capsuleAt(img, float64(beetle.X), float64(beetle.Y), 4*tc.ppm, 2.5*tc.ppm, b.Angle, color.RGBA{30, 28, 25, 255})
			o := DefaultOptions(tc.configuredPPM)
			o.SolidBarMM = tc.lmm
			fr, err := Analyze(img, o)
			if err != nil {
				t.Fatal(err)
			}
			if fr.ScaleSource != "solid_bar" || math.Abs(fr.PixelsPerMM/tc.ppm-1) > 0.01 {
				t.Fatalf("scale %.3f px/mm from %q, want %.1f from the bar (bars %+v)", fr.PixelsPerMM, fr.ScaleSource, tc.ppm, fr.SolidBars)
			}
			found, foundBeetle := false, false
			for _, s := range fr.Specimens {
				if d := image.Pt(int(s.CenterX), int(s.CenterY)).Sub(beetle); max(d.X, -d.X) < 5 && max(d.Y, -d.Y) < 5 {
					foundBeetle = true
					continue
				}
				if d := image.Pt(int(s.CenterX), int(s.CenterY)).Sub(moth); max(d.X, -d.X) < 10 && max(d.Y, -d.Y) < 10 {
					found = true
					if math.Abs(s.LengthMM/16-1) > 0.1 {
						t.Errorf("moth measured %.1f mm long, want 16", s.LengthMM)
					}
					continue
				}
				if s.Box.Overlaps(b.Box()) && max(s.Box.Dx(), s.Box.Dy()) >= 20 {
					t.Errorf("the bar or its caption reported as a specimen: %v (bar %v) contrast %.2f thick %.1f", s.Box, b.Box(), s.Contrast, s.ThicknessPx)
				}
			}
			if !found || !foundBeetle {
				t.Errorf("moth found %v, beetle by the bar found %v (%v)", found, foundBeetle, boxesOf(fr.Specimens))
			}
			// Without the setting the bar is not sought: the scale stays,
			// and a bar under 12 times as long as wide (MaxAspect: longer
			// ones pass for fibres) is taken for a specimen.
			fr, err = Analyze(img, DefaultOptions(tc.configuredPPM))
			if err != nil {
				t.Fatal(err)
			}
			if fr.ScaleSource != "config" || len(fr.SolidBars) != 0 {
				t.Errorf("without SolidBarMM: scale from %q, bars %+v", fr.ScaleSource, fr.SolidBars)
			}
			onBar := 0
			for _, s := range fr.Specimens {
				if b.OnBar(s.CenterX, s.CenterY) {
					onBar++
				}
			}
			if onBar == 0 && tc.lmm < 12*tc.wmm {
				t.Errorf("without SolidBarMM the bar is no specimen either: the test shows nothing")
			}
		})
	}
}

// capsuleAt draws a dark body of length l and width w px with round ends
// (a beetle or a fly seen from above), turned by angle, centred at (x, y).
func capsuleAt(img *image.RGBA, x, y, l, w, angle float64, c color.RGBA) {
	ca, sa := math.Cos(angle), math.Sin(angle)
	r := w / 2
	for yy := int(y - l); yy <= int(y+l); yy++ {
		for xx := int(x - l); xx <= int(x+l); xx++ {
			dx, dy := float64(xx)+0.5-x, float64(yy)+0.5-y
			u, v := ca*dx+sa*dy, -sa*dx+ca*dy
			u = max(0, math.Abs(u)-(l/2-r))
			if u*u+v*v <= r*r {
				img.SetRGBA(xx, yy, c)
			}
		}
	}
}

// TestNotSolidBar: with SolidBarMM set and no bar in view, dark insects of
// about the bar's length (round-ended bodies, a moth, a banded one) are
// not taken for it: the configured scale stays and each is reported.
func TestNotSolidBar(t *testing.T) {
	img := surface(2000, 1000, color.RGBA{200, 198, 192, 255})
	dark := color.RGBA{40, 35, 30, 255}
	capsuleAt(img, 300, 300, 100, 30, 0, dark)         // 10 x 3 mm
	capsuleAt(img, 700, 300, 120, 25, 0.5, dark)       // 12 x 2.5 mm, turned
	capsuleAt(img, 1100, 300, 90, 18, math.Pi/2, dark) // upright
	mothAt(img, 1500, 300, 60, 20)
	// a banded body: dark with two pale bands
	capsuleAt(img, 500, 700, 110, 28, 0, dark)
	for _, bx := range []int{470, 530} {
		for yy := 680; yy < 720; yy++ {
			for xx := bx; xx < bx+8; xx++ {
				if img.RGBAAt(xx, yy).R < 100 {
					img.SetRGBA(xx, yy, color.RGBA{150, 140, 120, 255})
				}
			}
		}
	}
	o := DefaultOptions(10)
	o.SolidBarMM = 10
	fr, err := Analyze(img, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(fr.SolidBars) != 0 || fr.ScaleSource != "config" {
		t.Errorf("an insect taken for the scale bar: %+v (scale from %q)", fr.SolidBars, fr.ScaleSource)
	}
	if len(fr.Specimens) != 5 {
		t.Errorf("%d specimens, want 5: %v", len(fr.Specimens), boxesOf(fr.Specimens))
	}
}

// TestSolidBarOptions: a negative or infinite SolidBarMM is refused.
func TestSolidBarOptions(t *testing.T) {
	for _, v := range []float64{-1, math.Inf(1), math.NaN()} {
		o := DefaultOptions(10)
		o.SolidBarMM = v
		if _, err := Analyze(image.NewRGBA(image.Rect(0, 0, 64, 64)), o); err == nil {
			t.Errorf("SolidBarMM %v accepted", v)
		}
	}
}

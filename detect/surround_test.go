package detect

import (
	"image"
	"image/color"
	"testing"
)

// TestSheetInDarkSurround: a light sheet photographed with the night
// around it (a dark border on every side, a twentieth of the frame or
// more; black, or lit a little by the trap's lamp), moths on it, two of
// them cut by the sheet's edge. The surround is cut off (surround.go):
// every moth is found and nothing is as large as the sheet. Without it the
// surround joined the moths by the edge into one frame-sized piece.
func TestSheetInDarkSurround(t *testing.T) {
	for _, dark := range []uint8{18, 60} {
		sheetInSurround(t, dark)
	}
}

// sheetInSurround is TestSheetInDarkSurround with the surround at luma
// dark.
func sheetInSurround(t *testing.T, dark uint8) {
	const w, h = 1400, 1000
	sheet := image.Rect(90, 70, 1310, 930)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	moths := []image.Rectangle{}
	for _, c := range []image.Point{{300, 300}, {700, 500}, {1000, 700}, {500, 750}} {
		moths = append(moths, image.Rect(c.X-40, c.Y-25, c.X+40, c.Y+25))
	}
	moths = append(moths, image.Rect(60, 400, 150, 450), image.Rect(810, 20, 850, 130)) // cut by the sheet's edge (not round: a grommet cut by the border is a disc, notinsect.go)
	for y := range h {
		for x := range w {
			n := uint8((x*7919 + y*104729) % 13)
			c := color.RGBA{dark + n/2, dark + n/2, dark + 4 + n/2, 255}
			if image.Pt(x, y).In(sheet) {
				c = color.RGBA{214 + n, 212 + n, 206 + n, 255}
				for _, m := range moths {
					cx, cy := float64(m.Min.X+m.Max.X)/2, float64(m.Min.Y+m.Max.Y)/2
					dx, dy := (float64(x)+0.5-cx)/(float64(m.Dx())/2), (float64(y)+0.5-cy)/(float64(m.Dy())/2)
					if dx*dx+dy*dy <= 1 {
						c = color.RGBA{110, 80, 60, 255}
					}
				}
			}
			img.SetRGBA(x, y, c)
		}
	}
	got, err := Detect(jpegRoundTrip(t, img, 90), DefaultOptions(10))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range got {
		if s.Box.Dx() > sheet.Dx()/2 || s.Box.Dy() > sheet.Dy()/2 {
			t.Errorf("surround %d: a specimen %v as large as the sheet", dark, s.Box)
		}
	}
	for _, m := range moths {
		want := m.Intersect(sheet)
		found := false
		for _, s := range got {
			if IoU(s.Box, want) >= 0.5 {
				found = true
			}
		}
		if !found {
			t.Errorf("surround %d: moth %v not found: %v", dark, want, boxesOf(got))
		}
	}
}

package detect

import (
	"errors"
	"image"
	"image/color"
	"testing"
)

// fakeVerifier calls every crop junk (p), or fails (err), and records the
// crops it was shown.
type fakeVerifier struct {
	p     float64
	err   error
	crops []image.Rectangle
}

func (v *fakeVerifier) NotInsect(crop image.Image) (float64, error) {
	v.crops = append(v.crops, crop.Bounds())
	return v.p, v.err
}

// TestVerifierJudgesLargeCardSpecimens: on a card the verifier sees the
// specimens of VerifierMinMM or more, and those it gives over
// VerifierReject go; small ones and a failing verifier keep them; a sheet
// is never judged.
func TestVerifierJudgesLargeCardSpecimens(t *testing.T) {
	card, paint := cardFrame(900, 600)
	for x := 150; x < 800; x += 200 {
		paint(float64(x), 150, 30, 12, color.RGBA{60, 45, 30, 255}) // a 7.5 mm fly
		paint(float64(x), 420, 8, 5, color.RGBA{60, 45, 30, 255})   // a 2 mm speck
	}
	sheet := image.NewRGBA(card.Bounds())
	for i := range sheet.Pix {
		sheet.Pix[i] = 225
	}
	for x := 150; x < 800; x += 200 {
		for y := 150 - 12; y < 150+12; y++ {
			for dx := -30; dx < 30; dx++ {
				sheet.SetRGBA(x+dx, y, color.RGBA{60, 45, 30, 255})
			}
		}
	}
	run := func(img image.Image, v *fakeVerifier, reject float64) Frame {
		t.Helper()
		o := DefaultOptions(8)
		o.Verifier, o.VerifierReject = v, reject
		fr, err := Analyze(img, o)
		if err != nil {
			t.Fatal(err)
		}
		return fr
	}
	base, err := Analyze(card, DefaultOptions(8))
	if err != nil || len(base.Specimens) != 8 {
		t.Fatalf("without a verifier: %d specimens (%v), want 8", len(base.Specimens), err)
	}
	for _, c := range []struct {
		name                         string
		v                            *fakeVerifier
		reject                       float64
		kept, rejected, errs, judged int
	}{
		{"junk", &fakeVerifier{p: 0.95}, 0.9, 4, 4, 0, 4},
		{"under the line", &fakeVerifier{p: 0.85}, 0.9, 8, 0, 0, 4},
		{"failing", &fakeVerifier{err: errors.New("broken")}, 0.9, 8, 0, 4, 4},
	} {
		fr := run(card, c.v, c.reject)
		if len(fr.Specimens) != c.kept || fr.Rejected != c.rejected || fr.VerifyErrors != c.errs || len(c.v.crops) != c.judged {
			t.Errorf("%s: kept %d, rejected %d, errors %d, judged %d; want %d, %d, %d, %d", c.name,
				len(fr.Specimens), fr.Rejected, fr.VerifyErrors, len(c.v.crops), c.kept, c.rejected, c.errs, c.judged)
		}
		for _, s := range fr.Specimens {
			if c.rejected > 0 && max(s.Box.Dx(), s.Box.Dy()) >= 40 {
				t.Errorf("%s: a fly kept at %v", c.name, s.Box)
			}
		}
	}
	v := &fakeVerifier{p: 1}
	if fr := run(sheet, v, 0.9); len(fr.Specimens) != 4 || len(v.crops) != 0 || fr.Rejected != 0 {
		t.Errorf("sheet: %d specimens, %d judged, %d rejected; want 4, 0, 0", len(fr.Specimens), len(v.crops), fr.Rejected)
	}
}

// TestVerifierCropNormalised: the crop's border is brought to the same
// yellow whatever the light, and the specimen keeps its contrast.
func TestVerifierCropNormalised(t *testing.T) {
	for _, light := range []float64{0.6, 1, 1.2} {
		img := image.NewRGBA(image.Rect(0, 0, 200, 200))
		for y := range 200 {
			for x := range 200 {
				c := color.RGBA{uint8(180 * light), uint8(170 * light), uint8(40 * light), 255}
				if x >= 90 && x < 110 && y >= 90 && y < 110 {
					c = color.RGBA{uint8(90 * light), uint8(85 * light), uint8(20 * light), 255}
				}
				img.SetRGBA(x, y, c)
			}
		}
		c := VerifierCrop(img, image.Rect(90, 90, 110, 110))
		if c.Bounds().Dx() < 28 {
			t.Fatalf("light %v: crop %v holds no margin", light, c.Bounds())
		}
		edge, mid := c.RGBAAt(0, 0), c.RGBAAt(c.Bounds().Dx()/2, c.Bounds().Dy()/2)
		if absDiff(edge.R, 210) > 2 || absDiff(edge.G, 200) > 2 || absDiff(edge.B, 60) > 2 {
			t.Errorf("light %v: border %v, want about (210, 200, 60)", light, edge)
		}
		if absDiff(mid.R, 105) > 3 || absDiff(mid.G, 100) > 3 {
			t.Errorf("light %v: specimen %v, want about half the border", light, mid)
		}
	}
}

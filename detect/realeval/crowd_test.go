package realeval

import (
	"image"
	"image/color"
	"testing"
)

// Crowded pastes the insects asked for, each clear of every other box by
// the gap, with the sheet's pixels under them; the same seed pastes the
// same.
func TestCrowded(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for i := range img.Pix {
		img.Pix[i] = 230
	}
	moth := image.Rect(100, 100, 160, 140)
	for y := moth.Min.Y; y < moth.Max.Y; y++ {
		for x := moth.Min.X; x < moth.Max.X; x++ {
			img.Set(x, y, color.RGBA{60, 50, 40, 255})
		}
	}
	a := Annotation{Width: 800, Height: 600, Objects: []Object{
		{Box: [4]int{100, 100, 160, 140}, Kind: KindInsect},
		{Box: [4]int{300, 300, 320, 310}, Kind: KindInsect}, // under 40 px: not copied
		{Box: [4]int{500, 50, 700, 80}, Kind: KindNotInsect},
	}}
	out, ann := Crowded(img, a, 12, 8, 7)
	pasted := ann.Objects[len(a.Objects):]
	if len(pasted) != 12 {
		t.Fatalf("%d pasted, want 12", len(pasted))
	}
	all := ann.Objects
	for i, p := range pasted {
		r := p.Rect()
		if p.Kind != KindInsect || !r.In(out.Bounds()) || (r.Dx() != 60 || r.Dy() != 40) && (r.Dx() != 40 || r.Dy() != 60) {
			t.Errorf("pasted %d: %+v", i, p)
		}
		for j, o := range all {
			if j != len(a.Objects)+i && r.Inset(-8).Overlaps(o.Rect()) {
				t.Errorf("pasted %v within 8 px of %v", r, o.Rect())
			}
		}
		if c := out.RGBAAt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2); c.R > 100 {
			t.Errorf("pasted %v: its centre is %v, not the moth's", r, c)
		}
	}
	_, again := Crowded(img, a, 12, 8, 7)
	for i := range ann.Objects {
		if ann.Objects[i] != again.Objects[i] {
			t.Fatalf("seed 7 twice: %v then %v", ann.Objects[i], again.Objects[i])
		}
	}
	if img.RGBAAt(400, 400).R != 230 {
		t.Error("the frame given was changed")
	}
}

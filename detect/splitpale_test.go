package detect

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// domeAt darkens img inside the ellipse (x, y, a, b, turned by angle rad)
// from 0.4 of peak at its rim to peak at its centre (1 - r^2), as
// the darker of the two where shapes overlap. tone scales the darkness on the ellipse's
// right of its minor axis (1: even).
func domeAt(img *image.RGBA, x, y, a, b, angle, peak, tone float64) {
	c, s := math.Cos(angle), math.Sin(angle)
	r := int(math.Max(a, b)) + 1
	for yy := int(y) - r; yy <= int(y)+r; yy++ {
		for xx := int(x) - r; xx <= int(x)+r; xx++ {
			px, py := float64(xx)+0.5-x, float64(yy)+0.5-y
			u, v := (px*c+py*s)/a, (-px*s+py*c)/b
			d := 1 - u*u - v*v
			if d <= 0 || !image.Pt(xx, yy).In(img.Bounds()) {
				continue
			}
			k := peak * (0.4 + 0.6*d)
			if u > 0 {
				k *= tone
			}
			p := img.RGBAAt(xx, yy)
			dim := func(v uint8) uint8 { return min(v, uint8(float64(v)*(1-k)+0.5)) }
			img.SetRGBA(xx, yy, color.RGBA{dim(p.R), dim(p.G), dim(p.B), 255})
		}
	}
}

// TestPaleSplitKeepsOneMoth: splitPale divides a component into its
// darker and paler cells, so it must leave one moth whole whatever its
// shading: a dark body between pale wings on both sides (two pale pieces),
// a dark and a pale half meeting at a step (no fainter seam between them),
// and a dark moth alone. That it does split a pale insect resting against a
// dark one is checked on real sheets (realeval.TestRealTouchingPairs): a
// drawn pair is either split by its cores already or lost as a shadow.
func TestPaleSplitKeepsOneMoth(t *testing.T) {
	type dome struct{ x, y, a, b, angle, peak, tone float64 }
	tests := []struct {
		name  string
		domes []dome
		want  image.Rectangle
	}{
		{"dark body between pale wings", []dome{{300, 300, 14, 45, 0, 0.8, 1}, {262, 300, 34, 40, 0, 0.42, 1}, {338, 300, 34, 40, 0, 0.42, 1}}, image.Rect(228, 255, 372, 345)},
		{"dark and pale halves", []dome{{300, 300, 70, 40, 0, 0.8, 0.45}}, image.Rect(230, 260, 370, 340)},
		{"a dark moth alone", []dome{{300, 300, 60, 40, 0.5, 0.7, 1}}, image.Rect(240, 260, 360, 340)},
	}
	for _, tc := range tests {
		img := image.NewRGBA(image.Rect(0, 0, 1200, 700))
		for i := 0; i < len(img.Pix); i += 4 {
			n := uint8(i / 4 * 7919 % 13)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = 200+n, 198+n, 192+n, 255
		}
		for _, d := range tc.domes {
			domeAt(img, d.x, d.y, d.a, d.b, d.angle, d.peak, d.tone)
		}
		o := DefaultOptions(10)
		o.WorkSize = 300 // working cells of 4 x 4 px, as on a 4K frame
		got, err := Detect(img, o)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || IoU(got[0].Box, tc.want) < 0.5 {
			t.Errorf("%s: specimens %v, want one fitting %v", tc.name, boxesOf(got), tc.want)
		}
	}
}

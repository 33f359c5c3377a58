package detect

import (
	"image"
	"math"
	"math/rand"
	"testing"
)

// paintOutline paints into dark (w wide) the outline of an ellipse centred
// at (cx, cy) with half-axes a and b turned by angle (radians), thick px
// wide and of darkness v, and returns its centre.
func paintOutline(dark []float64, w int, cx, cy, a, b, angle, thick, v float64) image.Point {
	r := math.Max(a, b) + thick
	sin, cos := math.Sincos(angle)
	for y := int(cy - r); y <= int(cy+r); y++ {
		for x := int(cx - r); x <= int(cx+r); x++ {
			px, py := float64(x)+0.5-cx, float64(y)+0.5-cy
			u, q := px*cos+py*sin, -px*sin+py*cos
			if d := math.Sqrt(u*u/(a*a)+q*q/(b*b)) - 1; math.Abs(d)*math.Min(a, b) <= thick/2 {
				dark[y*w+x] = math.Max(dark[y*w+x], v)
			}
		}
	}
	return image.Pt(int(cx), int(cy))
}

// TestOutlined: a pale moth drawn by its outline (thin dark strokes, an
// eye, a faint body) holds sharp strokes against a woven, noisy sheet; a
// stain as dark, fading over 10 px, and the bare sheet do not, whatever
// the weave.
func TestOutlined(t *testing.T) {
	w, h := 900, 400
	for _, weave := range []float64{0, 12} {
		rng := rand.New(rand.NewSource(3))
		dark := make([]float64, w*h)
		moth := image.Rect(270, 135, 330, 265)
		paintDark(dark, w, 300, 200, 14, 55, 0.08, 1) // the pale wings
		paintOutline(dark, w, 300, 200, 14, 55, 0.2, 2.5, 0.3)
		paintDark(dark, w, 300, 150, 3, 3, 0.4, 1) // an eye
		stain := image.Rect(560, 165, 640, 235)
		paintDark(dark, w, 600, 200, 30, 25, 0.3, 10)
		img := darkSheet(dark, w, h, func(x, y int) float64 {
			v := rng.NormFloat64() * 3
			if y%6 < 2 && (x/7)%3 != 0 { // short horizontal threads
				v -= weave
			}
			return v
		})
		jimg := jpegRoundTrip(t, img, 85)
		for _, c := range []struct {
			what string
			box  image.Rectangle
			want bool
		}{
			{"pale moth", moth, true},
			{"stain", stain, false},
			{"bare sheet", image.Rect(420, 150, 480, 250), false},
		} {
			if got := outlined(jimg, c.box); got != c.want {
				t.Errorf("weave %v: %s %v: outlined %v, want %v", weave, c.what, c.box, got, c.want)
			}
		}
	}
}

// TestJoinOutlines: on a grid of working cells, an eye and a tail in the
// mask joined by an outline at 0.7 of the threshold become one component;
// the same with a seeded cell, touching the border, or with too few mask
// cells (a speck in the sheet's weave) are left as they are.
func TestJoinOutlines(t *testing.T) {
	const w, h, seed, minCells = 40, 30, 0.3, 6
	for _, c := range []struct {
		name   string
		at     int     // the object's left column
		darkMx float32 // its darkest cell
		mask   int     // cells of the eye and of the tail in the mask
		joined bool
	}{
		{"pale insect", 10, 0.27, 4, true},
		{"seeded insect", 10, 0.35, 4, false},
		{"at the border", 0, 0.27, 4, false},
		{"speck in the weave", 10, 0.27, 2, false},
		{"too faint", 10, 0.2, 4, false},
	} {
		norm, dark := make([]float32, w*h), make([]float32, w*h)
		mask := make([]uint8, w*h)
		set := func(x, y int, n, d float32) {
			norm[y*w+x], dark[y*w+x] = n, d
			if n > 1 {
				mask[y*w+x] = 1
			}
		}
		for y := 5; y < 25; y++ { // the outline, one cell wide
			set(c.at, y, 0.7, 0.1)
			set(c.at+4, y, 0.7, 0.1)
		}
		for x := c.at; x <= c.at+4; x++ {
			set(x, 5, 0.7, 0.1)
			set(x, 24, 0.7, 0.1)
		}
		for k := range c.mask { // the eye at the top, the tail at the bottom
			set(c.at+1+k%3, 5+k/3, 1.5, c.darkMx)
			set(c.at+1+k%3, 24-k/3, 1.5, c.darkMx*0.9)
		}
		labels, comps := labelComponents(mask, dark, w, h)
		last := int32(len(comps))
		before := len(comps)
		comps = joinOutlines(labels, comps, norm, dark, w, h, minCells, seed, &last)
		joined := len(comps) == 1 && comps[0].n > 2*c.mask && last == int32(before)+1
		if joined != c.joined {
			t.Errorf("%s: %d pieces -> %d components (%+v), joined %v, want %v", c.name, before, len(comps), comps, joined, c.joined)
		}
		if joined {
			cc := comps[0]
			if cc.x0 != c.at || cc.x1 != c.at+5 || cc.y0 != 5 || cc.y1 != 25 {
				t.Errorf("%s: joined component's box %d,%d-%d,%d, want the outline's", c.name, cc.x0, cc.y0, cc.x1, cc.y1)
			}
			for y := 5; y < 25; y++ {
				if labels[y*w+c.at] != cc.label {
					t.Fatalf("%s: outline cell (%d,%d) labelled %d, want %d", c.name, c.at, y, labels[y*w+c.at], cc.label)
				}
			}
		}
	}
}

package detect

import (
	"image"
	"math"
	"testing"
)

// ell is an ellipse centred on (x, y) with half-axes a, b, turned by
// angle rad.
type ell struct{ x, y, a, b, angle float64 }

// holds reports whether (x, y) lies inside e.
func (e ell) holds(x, y float64) bool {
	c, s := math.Cos(e.angle), math.Sin(e.angle)
	px, py := x-e.x, y-e.y
	u, v := (px*c+py*s)/e.a, (-px*s+py*c)/e.b
	return u*u+v*v <= 1
}

// silhouette returns a w x h grid of labels, 1 on the cells inside any of
// ells.
func silhouette(w, h int, ells ...ell) []int32 {
	labels := make([]int32, w*h)
	for k := range labels {
		for _, e := range ells {
			if e.holds(float64(k%w)+0.5, float64(k/w)+0.5) {
				labels[k] = 1
			}
		}
	}
	return labels
}

// componentOf returns label 1 of labels (w x h) as a component.
func componentOf(labels []int32, w int) component {
	c := component{label: 1, x0: w, y0: len(labels) / w}
	for k, l := range labels {
		if l != 1 {
			continue
		}
		x, y := k%w, k/w
		c.n++
		c.x0, c.x1 = min(c.x0, x), max(c.x1, x+1)
		c.y0, c.y1 = min(c.y0, y), max(c.y1, y+1)
	}
	return c
}

// TestSplitNotch cuts working-cell silhouettes: two insects whose wings
// overlap are cut where their outlines meet, each part close to one of
// them; one insect, whatever its outline's bays, is left whole.
func TestSplitNotch(t *testing.T) {
	tests := []struct {
		name string
		ells []ell
		want []image.Rectangle // the parts' boxes, nil: left whole
	}{
		{"two ovals overlapping", []ell{{20, 20, 12, 8, 0.3}, {40, 22, 10, 9, -0.5}}, []image.Rectangle{image.Rect(8, 11, 31, 30), image.Rect(30, 13, 50, 32)}},
		{"a round and a long one end to end", []ell{{20, 20, 9, 9, 0}, {40, 20, 13, 5, 0}}, []image.Rectangle{image.Rect(11, 11, 29, 29), image.Rect(28, 15, 53, 25)}},
		{"one oval", []ell{{30, 20, 20, 10, 0.4}}, nil},
		// Wings spread: two lobes each side of a slender body, with bays
		// at the head, the tail and between fore- and hindwings.
		{"wings spread", []ell{{18, 16, 12, 7, -0.5}, {42, 16, 12, 7, 0.5}, {21, 30, 8, 6, 0.4}, {39, 30, 8, 6, -0.4}, {30, 23, 2.5, 13, 0}}, nil},
		{"a moth at rest (a delta)", []ell{{30, 20, 6, 14, 0}, {24, 24, 5, 12, 0.45}, {36, 24, 5, 12, -0.45}}, nil},
	}
	for _, tc := range tests {
		const w, h = 64, 48
		labels := silhouette(w, h, tc.ells...)
		dark := make([]float32, w*h)
		next := int32(1)
		parts := splitNotch(labels, componentOf(labels, w), dark, w, notchSize{40, w * h}, &next)
		if tc.want == nil {
			if parts != nil {
				t.Errorf("%s: cut into %v, want it whole", tc.name, partBoxes(parts))
			}
			continue
		}
		if len(parts) != 2 {
			t.Errorf("%s: %d parts, want 2", tc.name, len(parts))
			continue
		}
		got := partBoxes(parts)
		if got[0].Min.X > got[1].Min.X {
			got[0], got[1] = got[1], got[0]
		}
		for i := range got {
			if IoU(got[i], tc.want[i]) < 0.7 {
				t.Errorf("%s: part %d %v, want about %v", tc.name, i, got[i], tc.want[i])
			}
		}
	}
}

// TestSplitNotchBounds: a component over the largest size cut, or with a
// part under the least, is left whole.
func TestSplitNotchBounds(t *testing.T) {
	const w, h = 64, 48
	for _, size := range []notchSize{{40, 300}, {300, w * h}, {0, 0}} {
		labels := silhouette(w, h, ell{20, 20, 12, 8, 0.3}, ell{40, 22, 10, 9, -0.5})
		next := int32(1)
		if parts := splitNotch(labels, componentOf(labels, w), make([]float32, w*h), w, size, &next); parts != nil {
			t.Errorf("size %+v: cut into %v, want it whole", size, partBoxes(parts))
		}
	}
}

func partBoxes(cs []component) []image.Rectangle {
	var out []image.Rectangle
	for _, c := range cs {
		out = append(out, image.Rect(c.x0, c.y0, c.x1, c.y1))
	}
	return out
}

// TestDetectSplitsEvenlyDarkPair: two evenly dark insects whose wings
// overlap have no cores of their own at any level (splitComponents) and
// neither is paler (splitPale); they are found as two by their outline.
// One evenly dark insect with its wings spread is found as one.
func TestDetectSplitsEvenlyDarkPair(t *testing.T) {
	tests := []struct {
		name string
		ells []ell
		want []image.Rectangle
	}{
		{"two overlapping", []ell{{300, 300, 60, 36, 0.3}, {405, 310, 55, 30, -0.5}}, []image.Rectangle{image.Rect(240, 262, 362, 338), image.Rect(357, 270, 453, 350)}},
		{"wings spread", []ell{{240, 264, 60, 35, -0.5}, {360, 264, 60, 35, 0.5}, {255, 330, 40, 30, 0.4}, {345, 330, 40, 30, -0.4}, {300, 295, 12, 65, 0}}, []image.Rectangle{image.Rect(186, 230, 414, 362)}},
	}
	for _, tc := range tests {
		var ps []paint
		for _, e := range tc.ells {
			ps = append(ps, filled(e, 70))
		}
		wantBoxes(t, tc.name, detectAs4K(t, sheetWith(1200, 700, ps...)), tc.want, 0.6)
	}
}

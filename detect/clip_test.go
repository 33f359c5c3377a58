package detect

import (
	"image"
	"testing"
)

// TestClipLevel: a white point is a spike in the cells' luma histogram,
// wherever it lies; a smooth top or a mild bump is none.
func TestClipLevel(t *testing.T) {
	ramp := func(n int, lo, hi float32) []float32 { // n cells spread evenly over [lo, hi]
		v := make([]float32, n)
		for i := range v {
			v[i] = lo + (hi-lo)*float32(i)/float32(n)
		}
		return v
	}
	flat := func(n int, at float32) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = at
		}
		return v
	}
	cat := func(parts ...[]float32) plane {
		var v []float32
		for _, p := range parts {
			v = append(v, p...)
		}
		return plane{w: len(v), h: 1, v: v}
	}
	for _, c := range []struct {
		name   string
		py     plane
		want   float32
		wantOK bool
	}{
		{"half the sheet clipped at 228", cat(flat(5000, 228), ramp(5000, 150, 232)), 228, true},
		{"a fifth clipped at 255", cat(flat(2000, 255), ramp(8000, 120, 255)), 255, true},
		{"no spike: a smooth top", cat(ramp(10000, 150, 240)), 0, false},
		{"a mild bump (3.9 % against 3.3 %)", cat(flat(390, 228), flat(330, 227), flat(330, 229), ramp(8950, 150, 227)), 0, false},
	} {
		wpt := clipLevel(c.py)
		if wpt.ok != c.wantOK || (wpt.ok && wpt.level != c.want) {
			t.Errorf("%s: clipLevel %v, %v; want %v, %v", c.name, wpt.level, wpt.ok, c.want, c.wantOK)
		}
	}
}

// TestClippedSheetForeground: where the sheet's background is the white
// point, a pale patch deviating 0.1 (under WeakThreshold) is foreground;
// where the white point lies elsewhere (a lamp's clipped glare, the sheet
// itself darker than it) the same patch is not. The seed test is the same
// in both.
func TestClippedSheetForeground(t *testing.T) {
	const w, h = 64, 64
	patch := image.Rect(20, 20, 34, 34)
	for _, c := range []struct {
		name  string
		glare float32 // luma of a clipped glare spot covering the top rows (0: none)
		want  bool
	}{
		{"sheet clipped at 228", 0, true},
		{"white point 245 on a glare spot", 245, false},
	} {
		wp := &work{f: 1, block: 16, w: w, h: h, tint: flatTint(0, 0)}
		wp.py, wp.pcb, wp.pcr, wp.bg = newPlane(w, h), newPlane(w, h), newPlane(w, h), newPlane(w, h)
		for y := range h {
			for x := range w {
				i := y*w + x
				wp.py.v[i], wp.bg.v[i], wp.pcb.v[i], wp.pcr.v[i] = 228, 228, 128, 128
				if c.glare > 0 && y < 12 {
					wp.py.v[i], wp.bg.v[i] = c.glare, c.glare
				}
				if image.Pt(x, y).In(patch) {
					wp.py.v[i] = 205 // deviation 0.10
				}
			}
		}
		fg := wp.foreground(DefaultOptions(10))
		mid := (patch.Min.Y+patch.Max.Y)/2*w + (patch.Min.X+patch.Max.X)/2
		if got := fg.mask[mid] == 1; got != c.want {
			wpt := clipLevel(wp.py)
			t.Errorf("%s: patch foreground %v, want %v (white point %v %v)", c.name, got, c.want, wpt.level, wpt.ok)
		}
		if fg.dark[mid] >= float32(DefaultOptions(10).StrongThreshold) {
			t.Errorf("%s: the patch seeds (dark %.2f)", c.name, fg.dark[mid])
		}
	}
}

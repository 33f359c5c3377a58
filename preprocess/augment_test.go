package preprocess

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// ramp returns a size x size x 3 tensor with value y*100+x*10+c.
func ramp(size int) []float32 {
	t := make([]float32, size*size*3)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			for c := 0; c < 3; c++ {
				t[(y*size+x)*3+c] = float32(y*100 + x*10 + c)
			}
		}
	}
	return t
}

func TestShiftFlip(t *testing.T) {
	const n = 3
	at := func(tt []float32, x, y, c int) float32 { return tt[(y*n+x)*3+c] }
	cases := []struct {
		name string
		op   func([]float32) []float32
		// want(x, y, c) for the transformed tensor
		want func(x, y, c int) float32
	}{
		{"flipH", func(v []float32) []float32 { FlipH(v, n); return v }, func(x, y, c int) float32 { return float32(y*100 + (n-1-x)*10 + c) }},
		{"flipV", func(v []float32) []float32 { FlipV(v, n); return v }, func(x, y, c int) float32 { return float32((n-1-y)*100 + x*10 + c) }},
		{"transpose", func(v []float32) []float32 { Transpose(v, n); return v }, func(x, y, c int) float32 { return float32(x*100 + y*10 + c) }},
		{"shift +1,-1", func(v []float32) []float32 {
			d := make([]float32, len(v))
			Shift(d, v, n, 1, -1)
			return d
		}, func(x, y, c int) float32 {
			sx, sy := x+1, y-1
			if sx >= n || sy < 0 {
				return 0
			}
			return float32(sy*100 + sx*10 + c)
		}},
	}
	for _, tc := range cases {
		got := tc.op(ramp(n))
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				for c := 0; c < 3; c++ {
					if g, w := at(got, x, y, c), tc.want(x, y, c); g != w {
						t.Fatalf("%s: (%d,%d,%d) = %v, want %v", tc.name, x, y, c, g, w)
					}
				}
			}
		}
	}
}

func TestAugmentDeterministic(t *testing.T) {
	a := Augment{Pad: 2, HFlip: true, VFlip: true}
	run := func(seed uint64) []float32 {
		v := ramp(8)
		a.Apply(v, 8, rand.New(rand.NewPCG(seed, 1)), nil)
		return v
	}
	if !slices.Equal(run(5), run(5)) {
		t.Fatal("same seed gave different augmentations")
	}
	differs := false
	for s := uint64(0); s < 10 && !differs; s++ {
		differs = !slices.Equal(run(s), ramp(8))
	}
	if !differs {
		t.Fatal("augmentation never changed the tensor")
	}
	v := ramp(4)
	Augment{}.Apply(v, 4, rand.New(rand.NewPCG(1, 2)), nil)
	if !slices.Equal(v, ramp(4)) || (Augment{}).Enabled() {
		t.Fatal("zero Augment changed the tensor")
	}
}

// TestAugmentTurnsAndJitter checks that transposes with both flips reach all
// eight right-angle turns and mirror images of a tensor, and that jitter
// changes each channel by a gain and offset within its bounds, the same
// for a given seed; an Augment without the new fields draws as before.
func TestAugmentTurnsAndJitter(t *testing.T) {
	const n = 4
	seen := map[string]bool{}
	a := Augment{HFlip: true, VFlip: true, Transpose: true}
	for s := uint64(0); s < 200; s++ {
		v := ramp(n)
		a.Apply(v, n, rand.New(rand.NewPCG(s, 3)), nil)
		seen[fmt.Sprint(v[:3*n])] = true // the first row tells the eight apart
	}
	if len(seen) != 8 {
		t.Errorf("%d distinct turns and mirror images, want 8", len(seen))
	}
	j := Augment{Jitter: 0.2}
	for s := uint64(0); s < 20; s++ {
		v := ramp(n)
		j.Apply(v, n, rand.New(rand.NewPCG(s, 4)), nil)
		for c := range 3 {
			// v = r*gain + off for the ramp's values r of channel c: two
			// pixels give gain and offset.
			r0, r1 := float64(c), float64(100+c) // (0,0) and (0,1)
			g := (float64(v[3*n+c]) - float64(v[c])) / (r1 - r0)
			off := float64(v[c]) - r0*g
			if g < 0.8-1e-4 || g > 1.2+1e-4 || off < -0.2-1e-3 || off > 0.2+1e-3 {
				t.Errorf("seed %d channel %d: gain %v offset %v outside 1 +- 0.2, +- 0.2", s, c, g, off)
			}
		}
	}
	old := Augment{Pad: 1, HFlip: true, VFlip: true}
	v, w := ramp(n), ramp(n)
	old.Apply(v, n, rand.New(rand.NewPCG(9, 9)), nil)
	rng := rand.New(rand.NewPCG(9, 9))
	dx, dy := rng.IntN(3)-1, rng.IntN(3)-1
	if dx != 0 || dy != 0 {
		d := make([]float32, len(w))
		Shift(d, w, n, dx, dy)
		w = d
	}
	if rng.IntN(2) == 1 {
		FlipH(w, n)
	}
	if rng.IntN(2) == 1 {
		FlipV(w, n)
	}
	if !slices.Equal(v, w) {
		t.Error("an Augment without transpose or jitter no longer draws as before")
	}
}

func TestAugmentCheck(t *testing.T) {
	for _, tc := range []struct {
		a  Augment
		ok bool
	}{
		{Augment{}, true},
		{Augment{Pad: 2, Jitter: 0.3, Transpose: true}, true},
		{Augment{Pad: -1}, false},
		{Augment{Jitter: 1}, false},
		{Augment{Jitter: -0.1}, false},
		{Augment{Jitter: math.NaN()}, false},
	} {
		if err := tc.a.Check(); (err == nil) != tc.ok {
			t.Errorf("%+v: Check() = %v", tc.a, err)
		}
	}
}

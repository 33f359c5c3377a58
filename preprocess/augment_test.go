package preprocess

import (
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

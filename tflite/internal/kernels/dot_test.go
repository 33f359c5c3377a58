package kernels

import (
	"math/rand/v2"
	"testing"
)

// TestDotI8x4Agrees checks the (possibly SIMD) DotI8x4 against the plain-Go
// version for lengths around the vector width and extreme values.
func TestDotI8x4Agrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	t.Logf("SIMD: %v", SIMD)
	for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 48, 100, 144, 1152} {
		for _, fill := range []string{"random", "extreme"} {
			v := make([][]int8, 5)
			for k := range v {
				v[k] = make([]int8, n)
				for i := range v[k] {
					if fill == "random" {
						v[k][i] = int8(rng.IntN(256) - 128)
					} else {
						v[k][i] = -128
					}
				}
			}
			g0, g1, g2, g3 := DotI8x4(v[0], v[1], v[2], v[3], v[4])
			w0, w1, w2, w3 := dotI8x4Go(v[0], v[1], v[2], v[3], v[4])
			if g0 != w0 || g1 != w1 || g2 != w2 || g3 != w3 {
				t.Errorf("n=%d %s: %d %d %d %d, want %d %d %d %d", n, fill, g0, g1, g2, g3, w0, w1, w2, w3)
			}
		}
	}
}

func BenchmarkDotI8x4(b *testing.B) {
	x := make([]int8, 144)
	for i := 0; i < b.N; i++ {
		DotI8x4(x, x, x, x, x)
	}
}

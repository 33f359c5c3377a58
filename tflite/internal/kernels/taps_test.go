package kernels

import "testing"

// tapRange (constant time) agrees with the straightforward scan it replaced.
func TestTapRangeMatchesScan(t *testing.T) {
	scan := func(i0, k, d, n int) (k0, k1 int) {
		k1 = k
		for k0 < k && i0+k0*d < 0 {
			k0++
		}
		for k1 > k0 && i0+(k1-1)*d >= n {
			k1--
		}
		return
	}
	for n := 1; n <= 6; n++ {
		for k := 1; k <= 7; k++ {
			for d := 1; d <= 3; d++ {
				for i0 := -12; i0 <= 8; i0++ {
					a0, a1 := tapRange(i0, k, d, n)
					b0, b1 := scan(i0, k, d, n)
					if a0 != b0 || a1 != b1 {
						t.Fatalf("i0=%d k=%d d=%d n=%d: got [%d,%d), scan [%d,%d)", i0, k, d, n, a0, a1, b0, b1)
					}
				}
			}
		}
	}
}

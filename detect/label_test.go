package detect

import "testing"

// TestLabel8 compares label8 with flood8 on random masks: the same
// partition into 8-connected components, and the same sizes.
func TestLabel8(t *testing.T) {
	for seed := range 20 {
		w, h := 37+seed, 23+2*seed
		mask := make([]bool, w*h)
		s := uint32(seed*2654435761 + 1)
		for i := range mask {
			s = s*1664525 + 1013904223
			mask[i] = s>>28 < uint32(4+seed%8) // densities 1/4 to 11/16
		}
		labels, sizes := label8(mask, w, h)
		ref := make([]int32, w*h)
		var stack []int
		id := int32(0)
		for i := range mask {
			if !mask[i] || ref[i] != 0 {
				continue
			}
			id++
			ref[i] = id
			var n int
			n, stack = flood8(i, w, h, stack, func(q int) bool {
				if mask[q] && ref[q] == 0 {
					ref[q] = id
					return true
				}
				return false
			})
			if l := labels[i]; l == 0 || sizes[l] != n {
				t.Fatalf("seed %d: cell %d: label %d of size %v, flood8 finds %d cells", seed, i, l, sizes, n)
			}
		}
		if len(sizes) != int(id)+1 {
			t.Fatalf("seed %d: %d labels, flood8 finds %d components", seed, len(sizes)-1, id)
		}
		same := map[int32]int32{} // flood8's id -> label8's label, one to one
		for i := range mask {
			if (labels[i] == 0) != (ref[i] == 0) {
				t.Fatalf("seed %d: cell %d labelled %d, flood8 %d", seed, i, labels[i], ref[i])
			}
			if ref[i] == 0 {
				continue
			}
			if l, ok := same[ref[i]]; ok && l != labels[i] {
				t.Fatalf("seed %d: component %d split between labels %d and %d", seed, ref[i], l, labels[i])
			}
			same[ref[i]] = labels[i]
		}
	}
}

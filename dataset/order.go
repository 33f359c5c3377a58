package dataset

import "math/rand/v2"

// mix derives a per-(epoch, position) stream from the seed.
func mix(seed uint64, epoch, pos int) (uint64, uint64) {
	z := seed ^ 0x9e3779b97f4a7c15*uint64(epoch+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	return z, uint64(pos)*0x94d049bb133111eb + uint64(epoch)
}

// order returns the sample indices of epoch.
func (l *Loader) order(epoch int) []int {
	n := len(l.samples)
	s1, s2 := mix(l.opts.Seed, epoch, -1)
	rng := rand.New(rand.NewPCG(s1, s2))
	switch {
	case l.opts.Weights != nil:
		return weightedDraws(l.opts.Weights, n, rng)
	case l.opts.Shuffle:
		return rng.Perm(n)
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// weightedDraws draws n indices with replacement, proportionally to w
// (negative, NaN or infinite weights count as 0; all zero: uniform).
func weightedDraws(w []float64, n int, rng *rand.Rand) []int {
	cum := make([]float64, len(w))
	total := 0.0
	for i, x := range w {
		if x > 0 && x < 1e300 {
			total += x
		}
		cum[i] = total
	}
	out := make([]int, n)
	for i := range out {
		if total <= 0 {
			out[i] = rng.IntN(len(w))
			continue
		}
		u := rng.Float64() * total
		lo, hi := 0, len(cum)-1
		for lo < hi {
			m := (lo + hi) / 2
			if cum[m] > u {
				hi = m
			} else {
				lo = m + 1
			}
		}
		out[i] = lo
	}
	return out
}

package trap

import "math/rand/v2"

// splitmix mixes a seed and an index into a well-spread 64-bit value: the
// seed of frame i's random streams (the same mixing as synth's row seeds).
func splitmix(seed, i uint64) uint64 {
	z := seed + 0x9e3779b97f4a7c15*(i+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// uni returns a uniform random number in [lo, hi).
func uni(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

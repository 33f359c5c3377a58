package synth

import "math/rand/v2"

const nucleotides = "ACGT"

func randomBarcode(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = nucleotides[r.IntN(4)]
	}
	return b
}

// mutate returns a copy of b with about rate of its positions changed.
func mutate(r *rand.Rand, b []byte, rate float64) []byte {
	out := append([]byte(nil), b...)
	for i := range out {
		if r.Float64() < rate {
			out[i] = nucleotides[r.IntN(4)]
		}
	}
	return out
}

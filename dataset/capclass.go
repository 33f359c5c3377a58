package dataset

import "math/rand/v2"

// CapPerClass keeps at most n samples of each class (a seeded random subset,
// in input order); n <= 0 keeps everything. Fine-tuning uses it to replay a
// bounded share of the old training data next to the new crops.
func CapPerClass(samples []Sample, n int, seed uint64) []Sample {
	if n <= 0 {
		return samples
	}
	rng := rand.New(rand.NewPCG(seed, 0xca9))
	byClass := map[int][]int{}
	for i := range samples {
		byClass[samples[i].Class] = append(byClass[samples[i].Class], i)
	}
	keep := make([]bool, len(samples))
	for _, idx := range byClass {
		rng.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		for _, i := range idx[:min(n, len(idx))] {
			keep[i] = true
		}
	}
	var out []Sample
	for i, k := range keep {
		if k {
			out = append(out, samples[i])
		}
	}
	return out
}

package dataset

import (
	"math"
	"math/rand/v2"
)

// SplitFraction splits samples deterministically into two parts, a with
// about frac of each class and b with the rest (stratified by Class; the
// samples with Class < 0 form one more stratum). The same input order and
// seed always give the same parts. The NAS search uses it to split train
// 50/50 into search-train and search-val.
func SplitFraction(samples []Sample, frac float64, seed uint64) (a, b []Sample) {
	frac = math.Max(0, math.Min(1, frac))
	strata := map[int][]int{}
	var keys []int
	for i := range samples {
		c := max(samples[i].Class, -1)
		if _, ok := strata[c]; !ok {
			keys = append(keys, c)
		}
		strata[c] = append(strata[c], i)
	}
	inA := make([]bool, len(samples))
	for _, c := range keys {
		idx := strata[c]
		rng := rand.New(rand.NewPCG(seed, uint64(int64(c))+0x5851f42d4c957f2d))
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		k := int(math.Round(frac * float64(len(idx))))
		for _, i := range idx[:k] {
			inA[i] = true
		}
	}
	for i := range samples {
		if inA[i] {
			a = append(a, samples[i])
		} else {
			b = append(b, samples[i])
		}
	}
	return a, b
}

// ClassWeights returns per-class loss weights proportional to the inverse
// square root of the class frequency, scaled so that the average weight
// over the counted samples is 1. Classes with no samples get 0.
func ClassWeights(counts []int) []float32 {
	w := make([]float32, len(counts))
	var sum, n float64
	for _, c := range counts {
		if c > 0 {
			sum += float64(c) / math.Sqrt(float64(c))
			n += float64(c)
		}
	}
	if sum == 0 {
		return w
	}
	scale := n / sum
	for i, c := range counts {
		if c > 0 {
			w[i] = float32(scale / math.Sqrt(float64(c)))
		}
	}
	return w
}

// BalancedWeights returns per-sample sampling weights for
// LoaderOptions.Weights: a sample of a class with n samples gets n^-power
// (power 1: every class drawn equally often; 0.5: inverse square root;
// 0: uniform). Samples with Class < 0 get 0.
func BalancedWeights(samples []Sample, numClasses int, power float64) []float64 {
	counts := ClassCounts(samples, numClasses)
	w := make([]float64, len(samples))
	for i := range samples {
		if c := samples[i].Class; c >= 0 && c < numClasses {
			w[i] = math.Pow(float64(counts[c]), -power)
		}
	}
	return w
}

// ImbalanceRatio is the largest class count over the smallest non-zero one
// (0 when there are no samples).
func ImbalanceRatio(counts []int) float64 {
	lo, hi := 0, 0
	for _, c := range counts {
		if c <= 0 {
			continue
		}
		if lo == 0 || c < lo {
			lo = c
		}
		hi = max(hi, c)
	}
	if lo == 0 {
		return 0
	}
	return float64(hi) / float64(lo)
}

package dataset

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/trapnet/trapnet/preprocess"
)

// FitNormalisation returns prep with Mean and Std replaced by the per-channel
// statistics of up to limit training images (a seeded random subset; 0: all)
// after prep's resize, on [0, 1] values. Unreadable images are skipped and
// reported to rep; it fails only when no image could be read. Use it for any
// photo source other than BIOSCAN-5M, whose published values
// (preprocess.Default) fit its white-background crops only.
func FitNormalisation(samples []Sample, prep preprocess.Params, limit int, seed uint64, rep *Report) (preprocess.Params, int, error) {
	idx := rand.New(rand.NewPCG(seed, 0x6e6f726d)).Perm(len(samples))
	if limit > 0 && limit < len(idx) {
		idx = idx[:limit]
	}
	raw := prep
	raw.Mean, raw.Std = [3]float32{}, [3]float32{1, 1, 1}
	buf := make([]float32, raw.Len())
	var sum, sq [3]float64
	var px float64
	n := 0
	for _, i := range idx {
		img, path, kind, err := DecodeImage(samples[i])
		if err == nil {
			err = preprocess.Into(buf, img, raw)
			kind = UnreadableImage
		}
		if err != nil {
			if rep != nil {
				rep.Add(Issue{Kind: kind, File: path, Reason: fmt.Sprintf("%v (normalisation statistics; skipped)", err)})
			}
			continue
		}
		for j, v := range buf {
			sum[j%3] += float64(v)
			sq[j%3] += float64(v) * float64(v)
		}
		px += float64(len(buf) / 3)
		n++
	}
	if n == 0 {
		return prep, 0, fmt.Errorf("normalisation statistics: none of %d training images could be read", len(idx))
	}
	for c := range 3 {
		m := sum[c] / px
		prep.Mean[c] = float32(m)
		prep.Std[c] = float32(math.Max(math.Sqrt(math.Max(sq[c]/px-m*m, 0)), 1e-3))
	}
	return prep, n, nil
}

// TrainPrep returns the image transform at size for training on srcs:
// BIOSCAN-5M's published statistics when every source is BIOSCAN-5M,
// otherwise statistics fitted on up to limit (0: 2000) of the train
// samples; n is the number of images they were fitted on (0 for BIOSCAN).
func TrainPrep(srcs []Source, train []Sample, size, limit int, seed uint64, rep *Report) (prep preprocess.Params, n int, err error) {
	if AllBIOSCAN(srcs) {
		return preprocess.Default(size), 0, nil
	}
	if limit <= 0 {
		limit = 2000
	}
	return FitNormalisation(train, preprocess.Default(size), limit, seed, rep)
}

package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/trapnet/trapnet/dataset"
)

// splitmix mixes a seed and an index into a well-spread 64-bit value.
func splitmix(seed, i uint64) uint64 {
	z := seed + 0x9e3779b97f4a7c15*(i+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// seenCounts returns per-frequency-rank row counts for n species whose
// largest and smallest counts have ratio imb and whose sum is at most
// budget: geometric decay n_k = nMin * imb^((n-1-k)/(n-1)).
func seenCounts(n int, imb float64, budget int) ([]int, error) {
	sum := 0.0
	w := make([]float64, n)
	for k := range w {
		w[k] = math.Pow(imb, float64(n-1-k)/float64(n-1))
		sum += w[k]
	}
	nMin := math.Floor(float64(budget) / sum)
	if nMin < 3 {
		need := int(math.Ceil(3 * sum))
		return nil, fmt.Errorf("synth: %d labelled images cannot give %d species at imbalance %g with at least 3 images each (train, val, test); need about %d", budget, n, imb, need)
	}
	counts := make([]int, n)
	used := 0
	for k := range counts {
		counts[k] = int(math.Round(nMin * w[k]))
		used += counts[k]
	}
	// Spread what the integer nMin left over across the middle ranks, in
	// proportion to their counts, keeping the first and last (and so the
	// ratio) fixed and the counts non-increasing.
	if n > 2 && used < budget {
		mid := 0
		for k := 1; k < n-1; k++ {
			mid += counts[k]
		}
		left := budget - used
		for k := 1; k < n-1 && mid > 0; k++ {
			add := left * counts[k] / mid
			counts[k] = min(counts[k]+add, counts[0])
		}
	}
	return counts, nil
}

// allocate decides which species and split every row gets, shuffles the
// rows and gives each its seed.
func allocate(cat *Catalog, o *Options) ([]row, error) {
	r := rand.New(rand.NewPCG(o.Seed, 0xa110c))
	var seen, unseen []int
	for i := range cat.Species {
		if cat.Species[i].Seen {
			seen = append(seen, i)
		} else {
			unseen = append(unseen, i)
		}
	}
	nUnseenRows := 0
	if len(unseen) > 0 {
		nUnseenRows = max(4*len(unseen), int(math.Round(0.06*float64(o.Images))))
	}
	nHeld := 0
	if len(unseen) > 0 {
		nHeld = max(1, int(math.Round(0.01*float64(o.Images))))
	}
	nPre := max(1, int(math.Round(0.04*float64(o.Images))))
	budget := o.Images - nUnseenRows - nHeld - nPre
	counts, err := seenCounts(len(seen), o.Imbalance, budget)
	if err != nil {
		return nil, err
	}
	var rows []row
	add := func(sp int, split string, blank int) {
		rows = append(rows, row{species: sp, split: split, blank: blank})
	}
	order := r.Perm(len(seen)) // frequency rank -> species
	total := 0
	for k, n := range counts {
		sp := seen[order[k]]
		nv := max(1, int(math.Round(0.15*float64(n))))
		nt := max(1, int(math.Round(0.15*float64(n))))
		for i := 0; i < n; i++ {
			switch {
			case i < nv:
				add(sp, dataset.SplitVal, 0)
			case i < nv+nt:
				add(sp, dataset.SplitTest, 0)
			default:
				add(sp, dataset.SplitTrain, 0)
			}
		}
		total += n
	}
	for i := 0; i < nUnseenRows; i++ {
		sp := unseen[i%len(unseen)]
		switch j := i / len(unseen); {
		case j%4 < 2:
			add(sp, dataset.SplitKeyUnseen, 0)
		case j%4 == 2:
			add(sp, dataset.SplitValUnseen, 0)
		default:
			add(sp, dataset.SplitTestUnseen, 0)
		}
	}
	for i := 0; i < nHeld; i++ {
		add(unseen[r.IntN(len(unseen))], dataset.SplitOtherHeldout, 1)
	}
	// Pretrain absorbs rounding: rows of seen species without a species
	// label; some also lack genus (and subfamily, family).
	nPre = o.Images - len(rows)
	for i := 0; i < nPre; i++ {
		blank := 1
		if u := r.Float64(); u < 0.3 {
			blank = 2
		} else if u < 0.4 {
			blank = 4
		}
		add(seen[r.IntN(len(seen))], dataset.SplitPretrain, blank)
	}
	r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	for i := range rows {
		rows[i].index = i
		rows[i].seed = splitmix(o.Seed, uint64(i))
	}
	return rows, nil
}

// projectCode is the BOLD-style project prefix of processids from a region.
func projectCode(reg Region) string {
	p := strings.ToUpper(strings.ReplaceAll(reg.Province, " ", ""))
	c := strings.ToUpper(strings.ReplaceAll(reg.Country, " ", ""))
	return "SY" + c[:1] + p[:2]
}

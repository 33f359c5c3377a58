package search

import (
	"math"
	"slices"
)

// ArchSchedule fixes when and how fast the architecture parameters learn,
// so that a search moves its alphas at any run length, from a few hundred
// pair steps on a CPU to ~10^5 on a GPU.
//
//   - Warm-up: the first WarmupFrac of the steps train the weights only (as
//     PC-DARTS and P-DARTS do): architecture gradients taken through
//     untrained ops mostly rank the ops by their initialisation, and the
//     parameter-free ops (skip, pools) win them.
//   - Learning rate tied to the run length: Adam moves a parameter by about
//     its learning rate per step when the gradient's sign holds, so
//     ArchLR·(architecture steps) bounds how far an alpha can travel. DARTS
//     (lr 3e-4, 50 CIFAR-10 epochs of ~390 steps) has a budget of about 6
//     logits; LogitBudget keeps that budget: ArchLR = max(OptConfig.ArchLR,
//     LogitBudget / architecture steps). A 90-step CPU demo gets ~0.09, a
//     BIOSCAN-5M search (~10^5 steps) DARTS's 3e-4.
//   - Stopping: only after warm-up, when the derived genotype has not
//     changed for StopPatience epochs and is Decided: a result that no
//     longer changes, not merely a slow entropy.
type ArchSchedule struct {
	WarmupFrac    float64 // share of pair steps without architecture steps (default 0.25)
	LogitBudget   float64 // ArchLR × architecture steps (default 6; <= 0: keep OptConfig.ArchLR)
	StopPatience  int     // epochs the genotype must stay unchanged to stop early (0: never)
	DecidedMargin float64 // median margin that counts as decided (default 0.05)
}

// DefaultArchSchedule returns the schedule described on ArchSchedule.
func DefaultArchSchedule() ArchSchedule {
	return ArchSchedule{WarmupFrac: 0.25, LogitBudget: 6, StopPatience: 3, DecidedMargin: 0.05}
}

// WarmupSteps is the number of weight-only steps of a run of total steps.
func (s ArchSchedule) WarmupSteps(total int) int {
	return int(math.Round(math.Min(math.Max(s.WarmupFrac, 0), 0.9) * float64(total)))
}

// ArchLR is the alpha learning rate for a run of total steps, at least
// floor (OptConfig.ArchLR).
func (s ArchSchedule) ArchLR(floor float64, total int) float64 {
	steps := total - s.WarmupSteps(total)
	if s.LogitBudget <= 0 || steps < 1 {
		return floor
	}
	return math.Max(floor, s.LogitBudget/float64(steps))
}

// Margin is the top-1 minus top-2 weight of a softmax row: how decided an
// edge is (0: a tie; near 0 for alphas at their 1e-3 initialisation).
func Margin(w []float64) float64 {
	if len(w) < 2 {
		return 1
	}
	s := slices.Clone(w)
	slices.Sort(s)
	return s[len(s)-1] - s[len(s)-2]
}

// Decided reports whether a genotype's kept edges are decided: median kept
// weight >= 1.5 × uniform and median margin >= DecidedMargin.
func (s ArchSchedule) Decided(d Decision) bool {
	return d.MedianTop >= 1.5*d.Uniform && d.MedianMargin >= s.DecidedMargin
}

// stalled reports whether the last patience+1 genotype signatures (one per
// epoch after warm-up) are equal and the latest genotype is decided.
func (s ArchSchedule) stalled(sigs []string, decided bool) bool {
	p := s.StopPatience
	if p <= 0 || len(sigs) < p+1 || !decided {
		return false
	}
	last := sigs[len(sigs)-1]
	for _, g := range sigs[len(sigs)-1-p:] {
		if g != last {
			return false
		}
	}
	return true
}

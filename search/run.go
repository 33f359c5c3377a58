package search

import (
	stdctx "context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/context/checkpoints"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
	"github.com/trapnet/trapnet/loopkit"
)

// Source yields batches of one split. Next returns io.EOF at the end of an
// epoch; Reset(epoch) starts epoch (deterministically shuffled).
type Source interface {
	Next() (*Batch, error)
	Reset(epoch int)
}

// RunConfig configures a search run.
type RunConfig struct {
	Net    NetConfig
	Opt    OptConfig
	Derive DeriveOptions
	Size   int // image side
	Epochs int
	// StepsPerEpoch is the number of pair steps per epoch (train batches).
	StepsPerEpoch int
	// MaxSteps stops after this many pair steps in total (0: no limit).
	MaxSteps int
	// MaxImages stops once this many training images were seen (0: no limit).
	MaxImages int
	Batch     int
	Seed      int
	Out       string // run directory
	Resume    bool
	// CheckpointEvery saves every so many steps (0: only at epoch ends and on interrupt).
	CheckpointEvery int
	// Schedule is the architecture warm-up, learning rate and stop rule
	// (DefaultArchSchedule).
	Schedule ArchSchedule
	// Params, when set, counts the trainable parameters of a genotype's
	// derived net at the searched settings for genotype.json (the derived
	// net is package trainer's; cmd/trainer wires it in).
	Params func(*Genotype) (int64, error) `json:"-"`
}

// ErrInterrupted is returned when the context was cancelled; a checkpoint
// was written and the run can be resumed.
var ErrInterrupted = errors.New("search interrupted; checkpoint written, continue with --resume")

// Progress receives one call per step.
type Progress func(step, total int, r StepResult, imagesPerSec float64)

// runState is saved next to the checkpoint.
type runState struct {
	Step        int       `json:"step"`
	Epoch       int       `json:"epoch"`
	StepInEpoch int       `json:"step_in_epoch"`
	Images      int       `json:"images"`
	Entropies   []float64 `json:"entropies"`
	// Signatures are the derived genotypes at the epoch ends after warm-up.
	Signatures []string `json:"signatures,omitempty"`
	Done       bool     `json:"done"`
}

// Run searches: weight-only warm-up steps, then alternating pair steps over
// train and val (cfg.Schedule), logging to Out/search.jsonl, checkpointing
// to Out/checkpoint, and finally writing Out/genotype.json, alphas.png,
// genotype.png and alpha_trajectories.png. It returns the derived genotype.
func Run(c stdctx.Context, backend backends.Backend, cfg RunConfig, train, val Source, classWeights []float32, progress Progress) (*Genotype, error) {
	if cfg.StepsPerEpoch < 1 || cfg.Epochs < 1 {
		return nil, fmt.Errorf("search: need >= 1 epoch and >= 1 step per epoch (got %d, %d)", cfg.Epochs, cfg.StepsPerEpoch)
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, err
	}
	ctx := context.New()
	ctx.SetParam(ParamSeed, cfg.Seed)
	ckDir := filepath.Join(cfg.Out, "checkpoint")
	statePath := filepath.Join(cfg.Out, "search_state.json")
	var st runState
	if cfg.Resume {
		if err := loopkit.LoadState(statePath, &st); err != nil {
			return nil, err
		}
	} else if _, err := os.Stat(ckDir); err == nil {
		return nil, fmt.Errorf("%s exists: use --resume or a new --out", ckDir)
	}
	ck, err := checkpoints.Build(ctx).Dir(ckDir).Keep(2).Done()
	if err != nil {
		return nil, err
	}
	total := cfg.Epochs * cfg.StepsPerEpoch
	if cfg.MaxSteps > 0 {
		total = min(total, cfg.MaxSteps)
	}
	warmup := cfg.Schedule.WarmupSteps(total)
	cfg.Opt.ArchLR = cfg.Schedule.ArchLR(cfg.Opt.ArchLR, total)
	arch, err := NewArchitect(backend, ctx, cfg.Net, cfg.Opt, cfg.Size, classWeights)
	if err != nil {
		return nil, err
	}
	log, err := loopkit.OpenLog(filepath.Join(cfg.Out, "search.jsonl"))
	if err != nil {
		return nil, err
	}
	defer log.Close()
	save := func() error {
		if st.Step > 0 { // variables exist only after the first step
			if err := ck.Save(); err != nil {
				return err
			}
		}
		return loopkit.SaveState(statePath, st)
	}
	_ = log.Write(ScheduleLog{Kind: "schedule", Steps: total, WarmupSteps: warmup, ArchLR: cfg.Opt.ArchLR,
		LogitBudget: cfg.Schedule.LogitBudget, StopPatience: cfg.Schedule.StopPatience})
	alphaEvery := max(1, total/200)
	val.Reset(st.Epoch)
	for ; st.Epoch < cfg.Epochs && !st.Done; st.Epoch++ {
		train.Reset(st.Epoch)
		for i := 0; i < st.StepInEpoch; i++ { // resume mid-epoch
			if _, err := train.Next(); err != nil {
				break
			}
		}
		var sum StepResult
		steps, archSteps := 0, 0
		for st.StepInEpoch < cfg.StepsPerEpoch && !st.Done {
			interrupted := func() (*Genotype, error) {
				if err := save(); err != nil {
					return nil, err
				}
				return nil, ErrInterrupted
			}
			if loopkit.Interrupted(c) {
				return interrupted()
			}
			tb, err := train.Next()
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				if loopkit.Interrupted(c) {
					return interrupted()
				}
				return nil, err
			}
			lr := loopkit.CosineLR(cfg.Opt.WeightLR, cfg.Opt.WeightLRMin, int64(st.Step), int64(total))
			t0 := time.Now()
			var r StepResult
			n := tb.N
			if st.Step < warmup {
				r, err = arch.StepWeights(tb, lr)
			} else {
				var vb *Batch
				if vb, err = nextVal(val, st); err != nil {
					if loopkit.Interrupted(c) {
						return interrupted()
					}
					return nil, err
				}
				n += vb.N
				r, err = arch.Step(tb, vb, lr)
			}
			if err != nil {
				return nil, err
			}
			ips := float64(n) / time.Since(t0).Seconds()
			st.Step++
			st.StepInEpoch++
			st.Images += tb.N
			an, ar, err := arch.Alphas()
			if err != nil {
				return nil, err
			}
			if err := loopkit.CheckLoss(int64(st.Step), r.TrainLoss, r.ValLoss); err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			archStep := st.Step > warmup
			_ = log.Write(StepLog{Kind: "step", Step: st.Step, Epoch: st.Epoch, ArchStep: archStep,
				TrainLoss: r.TrainLoss, TrainAcc: r.TrainAcc, ValLoss: r.ValLoss, ValAcc: r.ValAcc, LR: lr,
				EntropyNormal: MeanEntropy(an), EntropyReduce: MeanEntropy(ar), ImagesPerSec: ips,
				GlobalStep: int64(optimizers.GetGlobalStep(ctx))})
			if st.Step%alphaEvery == 0 || st.Step == warmup || st.Step == total {
				_ = log.Write(AlphasLog{Kind: "alphas", AlphaStep: AlphaStep{Step: st.Step, Normal: RowSoftmax(an), Reduce: RowSoftmax(ar)}})
			}
			sum.TrainLoss += r.TrainLoss
			sum.TrainAcc += r.TrainAcc
			sum.ValLoss += r.ValLoss
			sum.ValAcc += r.ValAcc
			steps++
			if archStep {
				archSteps++
			}
			if progress != nil {
				progress(st.Step, total, r, ips)
			}
			if (cfg.MaxSteps > 0 && st.Step >= cfg.MaxSteps) || (cfg.MaxImages > 0 && st.Images >= cfg.MaxImages) {
				st.Done = true
			}
			if cfg.CheckpointEvery > 0 && st.Step%cfg.CheckpointEvery == 0 {
				if err := save(); err != nil {
					return nil, err
				}
			}
		}
		an, ar, err := arch.Alphas()
		if err != nil {
			return nil, err
		}
		ent := (MeanEntropy(an) + MeanEntropy(ar)) / 2
		st.Entropies = append(st.Entropies, ent)
		if steps > 0 {
			k, ka := float64(steps), float64(max(archSteps, 1))
			_ = log.Write(EpochLog{Kind: "epoch", Epoch: st.Epoch, Step: st.Step, TrainLoss: sum.TrainLoss / k,
				TrainAcc: sum.TrainAcc / k, ValLoss: sum.ValLoss / ka, ValAcc: sum.ValAcc / ka, AlphaEntropy: ent})
		}
		if st.Step > warmup {
			g, err := Derive(arch.Net.Ops, arch.Net.Nodes, an, ar, cfg.Derive)
			if err != nil {
				return nil, err
			}
			st.Signatures = append(st.Signatures, g.Signature())
			if cfg.Schedule.stalled(st.Signatures, cfg.Schedule.Decided(g.Decide())) {
				_ = log.Write(StopLog{Kind: "early_stop", Epoch: st.Epoch,
					Reason: fmt.Sprintf("genotype unchanged for %d epochs after warm-up and decided", cfg.Schedule.StopPatience)})
				st.Done = true
			}
		}
		st.StepInEpoch = 0
		if err := save(); err != nil {
			return nil, err
		}
	}
	st.Done = true
	if err := save(); err != nil {
		return nil, err
	}
	return finish(arch, cfg, st, warmup)
}

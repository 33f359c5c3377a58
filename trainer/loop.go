package trainer

import (
	"context"
	"errors"
	"fmt"
	"github.com/trapnet/trapnet/trainer/metrics"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gomlx/gomlx/pkg/ml/context/checkpoints"
	"github.com/schollz/progressbar/v3"
	"github.com/trapnet/trapnet/loopkit"
)

// Hyper are the optimisation hyper-parameters.
type Hyper struct {
	Epochs    int     `json:"epochs"`
	BatchSize int     `json:"batch"`
	LR        float64 `json:"lr"`
	MinLR     float64 `json:"min_lr"`
	// WeightDecay is Adam's decoupled weight decay.
	WeightDecay float64 `json:"weight_decay"`
	DropPath    float64 `json:"drop_path"`
	// Patience stops training after this many epochs without a better
	// validation macro-F1 (0: never).
	Patience int    `json:"patience"`
	Seed     uint64 `json:"seed"`
}

// FitOptions are the data and side effects of Fit.
type FitOptions struct {
	Train, Val BatchSource
	// ClassWeights weight the loss per class (nil: uniform).
	ClassWeights []float32
	// Names are the class names (for per-class reports).
	Names []string
	// LogPath receives one EpochLog JSON line per epoch ("": none).
	LogPath string
	// Progress receives a progress bar per epoch (nil: none).
	Progress io.Writer
	// OnBest is called after an epoch that improved the validation
	// macro-F1 (e.g. to export the model).
	OnBest func(epoch int, m *metrics.Metrics) error
	// CheckpointDir keeps the latest weights and loop state for Resume
	// ("": no checkpoints).
	CheckpointDir string
	Resume        bool
}

// FitResult summarises a training run.
type FitResult struct {
	BestEpoch   int                `json:"best_epoch"`
	BestMacroF1 float64            `json:"best_val_macro_f1"`
	Epochs      []metrics.EpochLog `json:"-"`
	// Interrupted is true when ctx was cancelled (a checkpoint was saved).
	Interrupted bool `json:"interrupted"`
	// ImagesPerSec is the mean training throughput.
	ImagesPerSec float64 `json:"images_per_sec"`
}

// loopState is what --resume needs besides the weights.
type loopState struct {
	Epoch int   `json:"epoch"` // last completed epoch (1-based)
	Step  int64 `json:"step"`
	// EpochStep counts the steps already taken in the interrupted epoch
	// Epoch+1; resume skips that many batches of it.
	EpochStep  int64   `json:"epoch_step"`
	BestF1     float64 `json:"best_f1"`
	BestEpoch  int     `json:"best_epoch"`
	BadEpochs  int     `json:"bad_epochs"`
	Finished   bool    `json:"finished"`
	TrainedFor float64 `json:"seconds"`
}

const stateFile = "state.json"

// attachCheckpoints loads the latest checkpoint (if resuming) and fixes
// which variables are trainable: loaded variables default to trainable.
func (r *Runner) attachCheckpoints(dir string, resume bool) (*checkpoints.Handler, *loopState, error) {
	st := &loopState{BestF1: -1}
	if !resume {
		if err := os.RemoveAll(dir); err != nil {
			return nil, nil, err
		}
	} else if err := loopkit.LoadState(filepath.Join(dir, stateFile), st); err != nil {
		return nil, nil, err
	}
	h, err := checkpoints.Build(r.Ctx).Dir(dir).Keep(2).Immediate().Done()
	if err != nil {
		return nil, nil, fmt.Errorf("checkpoint %s: %w", dir, err)
	}
	for v := range r.Ctx.IterVariables() {
		isNet := strings.HasPrefix(v.Scope(), "/"+netScope)
		v.Trainable = isNet && v.Name() != "mean" && v.Name() != "var"
	}
	return h, st, nil
}

func (st *loopState) save(dir string) error {
	return loopkit.SaveState(filepath.Join(dir, stateFile), st)
}

// cosineLR is the learning rate at step of total.
func cosineLR(h Hyper, step, total int64) float64 {
	return loopkit.CosineLR(h.LR, h.MinLR, step, total)
}

// Fit trains with cosine-annealed Adam, evaluating on Val after every epoch
// and stopping early on its macro-F1. Cancelling ctx stops after the current
// step, saves a checkpoint and returns with Interrupted set.
func (r *Runner) Fit(ctx context.Context, h Hyper, o FitOptions) (*FitResult, error) {
	if h.Epochs < 1 || h.BatchSize < 1 {
		return nil, fmt.Errorf("fit: epochs %d and batch %d must be >= 1", h.Epochs, h.BatchSize)
	}
	if n := o.Train.Len(); n < h.BatchSize {
		// Only full batches train (a partial one would recompile the
		// graph): nothing would, and the untrained model would be kept.
		return nil, fmt.Errorf("fit: %d training samples, fewer than a batch of %d: no step would train; use a batch of at most %d (--batch)", n, h.BatchSize, n)
	}
	st := &loopState{BestF1: -1}
	var ckpt *checkpoints.Handler
	if o.CheckpointDir != "" {
		var err error
		if ckpt, st, err = r.attachCheckpoints(o.CheckpointDir, o.Resume); err != nil {
			return nil, err
		}
	}
	res := &FitResult{BestEpoch: st.BestEpoch, BestMacroF1: st.BestF1}
	if o.LogPath != "" { // keep the lines of the epochs the checkpoint holds
		prev, err := metrics.ReadLog(o.LogPath)
		if err != nil {
			return nil, err
		}
		res.Epochs = prev[:min(len(prev), st.Epoch)]
		if err := os.Remove(o.LogPath); err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		for _, e := range res.Epochs {
			if err := metrics.AppendLog(o.LogPath, e); err != nil {
				return nil, err
			}
		}
	}
	stepsPerEpoch := int64(max(o.Train.Len()/h.BatchSize, 1))
	total := stepsPerEpoch * int64(h.Epochs)
	var imgs, secs float64
	saveState := func() error {
		if ckpt == nil {
			return nil
		}
		if err := ckpt.Save(); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		return st.save(o.CheckpointDir)
	}
	for epoch := st.Epoch + 1; epoch <= h.Epochs && !st.Finished; epoch++ {
		start := time.Now()
		o.Train.Reset(epoch)
		var bar *progressbar.ProgressBar
		if o.Progress != nil {
			bar = loopkit.Bar(o.Progress, stepsPerEpoch, fmt.Sprintf("epoch %d/%d", epoch, h.Epochs),
				progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
		}
		var lossSum float64
		var seen, correct int
		skip := st.EpochStep // batches of this epoch the checkpoint already holds
		for {
			if loopkit.Interrupted(ctx) {
				res.Interrupted = true
				return res, saveState() // resume skips the EpochStep batches done
			}
			b, err := o.Train.Next(ctx)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				if ctx.Err() != nil {
					continue
				}
				return nil, fmt.Errorf("epoch %d: %w", epoch, err)
			}
			if b.N != h.BatchSize { // a partial batch would recompile the graph
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			lr := cosineLR(h, st.Step, total)
			if err := r.SetLR(lr); err != nil {
				return nil, err
			}
			w := make([]float32, b.N)
			for i, y := range b.Labels {
				w[i] = 1
				if o.ClassWeights != nil && y >= 0 && int(y) < len(o.ClassWeights) {
					w[i] = o.ClassWeights[y]
				}
			}
			loss, c, err := r.TrainStep(b, w)
			if err != nil {
				return nil, fmt.Errorf("epoch %d step %d: %w", epoch, st.Step, err)
			}
			if err := loopkit.CheckLoss(st.Step, loss); err != nil {
				return nil, fmt.Errorf("epoch %d: %w", epoch, err)
			}
			st.Step++
			st.EpochStep++
			lossSum += loss * float64(b.N)
			seen += b.N
			correct += c
			if bar != nil {
				_ = bar.Add(1)
			}
		}
		el := time.Since(start).Seconds()
		imgs += float64(seen)
		secs += el
		st.TrainedFor += el
		vm, vloss, err := r.Evaluate(ctx, o.Val, h.BatchSize, o.Names)
		if err != nil {
			return nil, fmt.Errorf("epoch %d validation: %w", epoch, err)
		}
		e := metrics.EpochLog{Epoch: epoch, Step: st.Step, LR: cosineLR(h, st.Step, total), ValLoss: vloss,
			ValAccuracy: vm.Accuracy, ValMacroF1: vm.MacroF1, Seconds: el}
		if seen > 0 {
			e.TrainLoss, e.TrainAccuracy, e.ImagesPerSec = lossSum/float64(seen), float64(correct)/float64(seen), float64(seen)/el
		}
		if vm.MacroF1 > st.BestF1 {
			st.BestF1, st.BestEpoch, st.BadEpochs, e.Best = vm.MacroF1, epoch, 0, true
			if o.OnBest != nil {
				if err := o.OnBest(epoch, vm); err != nil {
					return nil, err
				}
			}
		} else {
			st.BadEpochs++
		}
		slog.Info("epoch", "epoch", epoch, "of", h.Epochs, "train_loss", round3(e.TrainLoss), "train_acc", round3(e.TrainAccuracy),
			"val_loss", round3(vloss), "val_macro_f1", round3(vm.MacroF1), "best", e.Best, "seconds", round3(el))
		st.Epoch, st.EpochStep = epoch, 0
		st.Finished = h.Patience > 0 && st.BadEpochs >= h.Patience
		res.Epochs = append(res.Epochs, e)
		if o.LogPath != "" {
			if err := metrics.AppendLog(o.LogPath, e); err != nil {
				return nil, err
			}
		}
		if err := saveState(); err != nil {
			return nil, err
		}
	}
	res.BestEpoch, res.BestMacroF1 = st.BestEpoch, st.BestF1
	if secs > 0 {
		res.ImagesPerSec = imgs / secs
	}
	return res, nil
}

// round3 rounds v to 3 decimals for log lines.
func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

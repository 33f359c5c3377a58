package trainer

import (
	"fmt"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
)

// Runner holds a plan's variables and the compiled GoMLX graphs that train
// and apply it.
type Runner struct {
	Plan    *Plan
	Ctx     *context.Context
	backend backends.Backend
	opt     optimizers.Interface
	train   *context.Exec
	predict *context.Exec
}

// NewRunner prepares a plan for training with Adam (decoupled weight decay
// wd) and drop-path probability dropPath; seed fixes initialisation and
// drop-path draws.
func NewRunner(p *Plan, backend backends.Backend, seed uint64, wd, dropPath float64) (*Runner, error) {
	ctx := context.New()
	ctx.SetParam(ParamSeed, int(seed))
	ctx.SetParam(ParamDropPath, dropPath)
	if err := ctx.SetRNGStateFromSeed(int64(seed)); err != nil {
		return nil, err
	}
	r := &Runner{Plan: p, Ctx: ctx, backend: backend, opt: optimizers.Adam().WeightDecay(wd).Done()}
	var err error
	r.train, err = context.NewExec(backend, ctx, r.trainGraph)
	if err != nil {
		return nil, err
	}
	r.predict, err = context.NewExec(backend, ctx, func(ctx *context.Context, img, meta *Node) *Node {
		ctx.SetTraining(img.Graph(), false)
		return p.Forward(ctx, img, r.metaOrNil(meta))
	})
	return r, err
}

func (r *Runner) metaOrNil(meta *Node) *Node {
	if r.Plan.Arch.Modality == ImageOnly {
		return nil
	}
	return meta
}

// trainGraph computes the class-weighted cross-entropy of a batch (plus the
// weighted auxiliary-head loss when the plan has one), applies one
// optimiser step and returns the main loss and the number of correct
// predictions among examples with weight > 0.
func (r *Runner) trainGraph(ctx *context.Context, img, meta, labels, weights *Node) (*Node, *Node) {
	g := img.Graph()
	ctx.SetTraining(g, true)
	logits, aux := r.Plan.forward(ctx, img, r.metaOrNil(meta))
	k := r.Plan.Arch.Classes
	onehot := OneHot(labels, k, dtypes.Float32)
	wsum := MaxScalar(ReduceAllSum(weights), 1e-6)
	weightedCE := func(logits *Node) *Node {
		ce := Neg(ReduceSum(Mul(onehot, LogSoftmax(logits, -1)), -1))
		return Div(ReduceAllSum(Mul(ce, weights)), wsum)
	}
	loss := weightedCE(logits) // reported; the auxiliary loss only trains
	total := loss
	if aux != nil {
		total = Add(loss, MulScalar(weightedCE(aux), r.Plan.Arch.AuxWeight))
	}
	r.opt.UpdateGraph(ctx, g, total)
	hit := ConvertDType(Equal(ArgMax(logits, -1, dtypes.Int32), labels), dtypes.Float32)
	correct := ReduceAllSum(Mul(hit, ConvertDType(GreaterThan(weights, ZerosLike(weights)), dtypes.Float32)))
	return loss, correct
}

// SetLR sets the optimiser's learning rate.
func (r *Runner) SetLR(lr float64) error {
	return optimizers.LearningRateVar(r.Ctx, dtypes.Float32, lr).SetValue(tensors.FromScalar(float32(lr)))
}

// inputs converts a batch to tensors; meta gets one zero column when the
// batch has none.
func batchTensors(n, size, metaDim int, images, meta []float32) (*tensors.Tensor, *tensors.Tensor) {
	if metaDim == 0 {
		metaDim, meta = 1, make([]float32, n)
	}
	return tensors.FromFlatDataAndDimensions(images, n, size, size, 3), tensors.FromFlatDataAndDimensions(meta, n, metaDim)
}

// TrainStep runs one optimiser step on a batch. weights are per-example loss
// weights (0 leaves an example out). It returns the batch loss and the
// number of correctly classified weighted examples.
func (r *Runner) TrainStep(b *Batch, weights []float32) (loss float64, correct int, err error) {
	if len(weights) != b.N || len(b.Labels) != b.N {
		return 0, 0, fmt.Errorf("train step: %d labels and %d weights for %d examples", len(b.Labels), len(weights), b.N)
	}
	labels := make([]int32, b.N)
	for i, y := range b.Labels {
		if y >= 0 && int(y) < r.Plan.Arch.Classes {
			labels[i] = y
		} else {
			weights[i] = 0
		}
	}
	img, meta := batchTensors(b.N, b.Size, b.MetaDim, b.Images, b.Meta)
	out, err := r.train.Exec(img, meta, tensors.FromFlatDataAndDimensions(labels, b.N), tensors.FromFlatDataAndDimensions(weights, b.N))
	if err != nil {
		return 0, 0, err
	}
	l := tensors.MustCopyFlatData[float32](out[0])[0]
	c := tensors.MustCopyFlatData[float32](out[1])[0]
	return float64(l), int(c + 0.5), nil
}

// Predict returns the logits [N, K] of a batch in inference mode.
func (r *Runner) Predict(b *Batch) ([]float32, error) {
	img, meta := batchTensors(b.N, b.Size, b.MetaDim, b.Images, b.Meta)
	out, err := r.predict.Exec(img, meta)
	if err != nil {
		return nil, err
	}
	return tensors.MustCopyFlatData[float32](out[0]), nil
}

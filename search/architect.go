package search

import (
	"fmt"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
)

// OptConfig holds the hyper-parameters of the bi-level optimisation.
type OptConfig struct {
	WeightLR, WeightLRMin float64 // cosine schedule 0.025 -> 0.001
	Momentum              float64 // 0.9
	WeightDecay           float64 // 3e-4
	GradClip              float64 // 5 (global norm; <= 0: off)
	ArchLR                float64 // 3e-4
	ArchBeta1, ArchBeta2  float64 // 0.5, 0.999
	ArchWeightDecay       float64 // 1e-3
	// SecondOrder selects DARTS's unrolled approximation: the architecture
	// gradient is taken at w' = w - ξ∇w L_train (ξ = current weight lr,
	// momentum included) and corrected by -ξ times a finite-difference
	// Hessian-vector product (ε = 0.01/‖∇w' L_val‖).
	SecondOrder bool
}

// DefaultOptConfig returns the DARTS defaults.
func DefaultOptConfig() OptConfig {
	return OptConfig{WeightLR: 0.025, WeightLRMin: 0.001, Momentum: 0.9, WeightDecay: 3e-4, GradClip: 5,
		ArchLR: 3e-4, ArchBeta1: 0.5, ArchBeta2: 0.999, ArchWeightDecay: 1e-3}
}

// Batch is one batch of examples: Images NHWC [N, H, W, 3], Meta [N, D],
// Labels [N].
type Batch struct {
	N      int
	Images []float32
	Meta   []float32
	Labels []int32
}

// StepResult reports one pair step (architecture step then weight step).
type StepResult struct {
	TrainLoss, TrainAcc float64 // weight step, on the search-train batch
	ValLoss, ValAcc     float64 // architecture step, on the search-val batch
}

// Architect owns the supernet's two optimisers and runs the bi-level update:
// per Step, one Adam step on alpha over a validation batch, then one SGD step
// on the weights over a training batch, compiled as one graph.
type Architect struct {
	Net                  NetConfig
	Opt                  OptConfig
	Size                 int // image side
	ctx                  *context.Context
	archExec, weightExec *context.Exec
	backend              backends.Backend
	cw                   *tensors.Tensor
	alpha                [2]*context.Variable
}

// NewArchitect prepares the pair-step graph. classWeights (length
// net.Classes, nil: all 1) weight the cross-entropy.
func NewArchitect(backend backends.Backend, ctx *context.Context, net NetConfig, opt OptConfig, size int, classWeights []float32) (*Architect, error) {
	if err := net.Validate(); err != nil {
		return nil, err
	}
	net = net.WithDefaults()
	if classWeights == nil {
		classWeights = make([]float32, net.Classes)
		for i := range classWeights {
			classWeights[i] = 1
		}
	}
	if len(classWeights) != net.Classes {
		return nil, fmt.Errorf("search: %d class weights for %d classes", len(classWeights), net.Classes)
	}
	a := &Architect{Net: net, Opt: opt, Size: size, ctx: ctx.Checked(false), backend: backend,
		cw: tensors.FromFlatDataAndDimensions(append([]float32(nil), classWeights...), net.Classes)}
	an, ar := AlphaVars(a.ctx, net.Nodes, len(net.Ops))
	a.alpha = [2]*context.Variable{an, ar}
	var err error
	// Two graphs rather than one: the engine would otherwise overlap the
	// two passes and hold both sets of activations (higher peak memory).
	if a.archExec, err = context.NewExec(backend, a.ctx, a.archGraph); err != nil {
		return nil, err
	}
	if a.weightExec, err = context.NewExec(backend, a.ctx, a.weightGraph); err != nil {
		return nil, err
	}
	return a, nil
}

// Context returns the context holding weights, alphas and optimiser state.
func (a *Architect) Context() *context.Context { return a.ctx }

// lossAcc builds the supernet on one batch: weighted mean cross-entropy and
// the number of correct predictions.
func (a *Architect) lossAcc(ctx *context.Context, img, meta, labels, cw *Node) (*Node, *Node) {
	logits, err := Supernet(ctx, a.Net, img, meta)
	if err != nil {
		panic(err)
	}
	return WeightedCrossEntropy(logits, labels, cw), Correct(logits, labels)
}

// WeightedCrossEntropy is sum_i w[y_i]·CE_i / sum_i w[y_i] (PyTorch's
// weighted mean) for logits [N, K], int32 labels [N] and weights [K].
func WeightedCrossEntropy(logits, labels, weights *Node) *Node {
	k := logits.Shape().Dimensions[1]
	oh := OneHot(labels, k, logits.DType())
	ce := Neg(ReduceSum(Mul(oh, LogSoftmax(logits, -1)), 1))
	w := ReduceSum(Mul(oh, InsertAxes(weights, 0)), 1)
	return Div(ReduceAllSum(Mul(w, ce)), ReduceAllSum(w))
}

// Correct counts argmax(logits) == labels as a float scalar.
func Correct(logits, labels *Node) *Node {
	pred := ArgMax(logits, 1, dtypes.Int32)
	return ReduceAllSum(ConvertDType(Equal(pred, labels), logits.DType()))
}

func nodesOf(g *Graph, vars []*context.Variable) []*Node {
	out := make([]*Node, len(vars))
	for i, v := range vars {
		out[i] = v.ValueGraph(g)
	}
	return out
}

func setAll(vars []*context.Variable, vals []*Node) {
	for i, v := range vars {
		v.SetValueGraph(vals[i])
	}
}

// archGraph is the architecture half of a pair step. Inputs: train img,
// meta, labels, val img, meta, labels, lr, class weights; outputs: val loss
// and correct count.
func (a *Architect) archGraph(ctx *context.Context, in []*Node) []*Node {
	vi, vm, vl, lr, cw := in[3], in[4], in[5], in[6], in[7]
	g := vi.Graph()
	ctx.SetTraining(g, true)
	arch := a.alpha[:]
	var valLoss, valAcc *Node
	var archGrads []*Node
	if !a.Opt.SecondOrder {
		valLoss, valAcc = a.lossAcc(ctx, vi, vm, vl, cw)
		archGrads = Gradient(valLoss, nodesOf(g, arch)...)
	} else {
		valLoss, valAcc, archGrads = a.unrolledArchGrads(ctx, in, lr)
	}
	t := constVar(ctx.InAbsPath(archOptScope), "t", 0, false)
	tn := AddScalar(t.ValueGraph(g), 1)
	t.SetValueGraph(tn)
	adamStep(ctx, arch, archGrads, tn, a.Opt.ArchLR, a.Opt.ArchBeta1, a.Opt.ArchBeta2, a.Opt.ArchWeightDecay)
	return []*Node{valLoss, valAcc}
}

// weightGraph is the weight half of a pair step. Inputs: train img, meta,
// labels, lr, class weights; outputs: train loss and correct count.
func (a *Architect) weightGraph(ctx *context.Context, in []*Node) []*Node {
	ti, tm, tl, lr, cw := in[0], in[1], in[2], in[3], in[4]
	g := ti.Graph()
	ctx.SetTraining(g, true)
	trainLoss, trainAcc := a.lossAcc(ctx, ti, tm, tl, cw)
	weights, _ := splitVars(ctx)
	grads := clipByGlobalNorm(Gradient(trainLoss, nodesOf(g, weights)...), a.Opt.GradClip)
	sgdStep(ctx, weights, grads, lr, a.Opt.Momentum, a.Opt.WeightDecay)
	gs := optimizers.GetGlobalStepVar(ctx)
	gs.SetValueGraph(AddScalar(gs.ValueGraph(g), 1))
	return []*Node{trainLoss, trainAcc}
}

// Step runs one pair step with weight learning rate lr: the architecture
// step first (DARTS order), then the weights with the updated alphas.
func (a *Architect) Step(train, val *Batch, lr float64) (StepResult, error) {
	args := make([]any, 0, 8)
	for _, b := range []*Batch{train, val} {
		img, meta, lab, err := a.tensors(b)
		if err != nil {
			return StepResult{}, err
		}
		args = append(args, img, meta, lab)
	}
	args = append(args, float32(lr), a.cw)
	av, err := a.archExec.Exec(args...)
	if err != nil {
		return StepResult{}, err
	}
	r, err := a.weightStep(train.N, args[0], args[1], args[2], args[6])
	r.ValLoss, r.ValAcc = scalar(av[0]), scalar(av[1])/float64(val.N)
	return r, err
}

// StepWeights runs only the weight half of a pair step (the warm-up of
// ArchSchedule); ValLoss and ValAcc of the result are zero.
func (a *Architect) StepWeights(train *Batch, lr float64) (StepResult, error) {
	img, meta, lab, err := a.tensors(train)
	if err != nil {
		return StepResult{}, err
	}
	return a.weightStep(train.N, img, meta, lab, float32(lr))
}

func (a *Architect) weightStep(n int, img, meta, lab, lr any) (StepResult, error) {
	wv, err := a.weightExec.Exec(img, meta, lab, lr, a.cw)
	if err != nil {
		return StepResult{}, err
	}
	return StepResult{TrainLoss: scalar(wv[0]), TrainAcc: scalar(wv[1]) / float64(n)}, nil
}

func scalar(t *tensors.Tensor) float64 { return float64(tensors.ToScalar[float32](t)) }

func (a *Architect) tensors(b *Batch) (img, meta, lab *tensors.Tensor, err error) {
	s := a.Size
	if b.N < 1 || len(b.Images) != b.N*s*s*3 || len(b.Labels) != b.N {
		return nil, nil, nil, fmt.Errorf("search: batch of %d has %d image values (want %d) and %d labels",
			b.N, len(b.Images), b.N*s*s*3, len(b.Labels))
	}
	d := a.Net.MetaDim
	m := b.Meta
	if d == 0 {
		d, m = 1, make([]float32, b.N)
	}
	if len(m) != b.N*d {
		return nil, nil, nil, fmt.Errorf("search: batch meta has %d values, want %d", len(m), b.N*d)
	}
	for i, l := range b.Labels {
		if l < 0 || int(l) >= a.Net.Classes {
			return nil, nil, nil, fmt.Errorf("search: label %d of example %d out of range 0..%d", l, i, a.Net.Classes-1)
		}
	}
	return tensors.FromFlatDataAndDimensions(b.Images, b.N, s, s, 3),
		tensors.FromFlatDataAndDimensions(m, b.N, d),
		tensors.FromFlatDataAndDimensions(b.Labels, b.N), nil
}

// Alphas returns the current normal and reduce alpha matrices.
func (a *Architect) Alphas() (normal, reduce [][]float64, err error) {
	get := func(v *context.Variable) ([][]float64, error) {
		t, err := v.Value()
		if err != nil {
			return nil, err
		}
		flat := tensors.MustCopyFlatData[float32](t)
		d := t.Shape().Dimensions
		out := make([][]float64, d[0])
		for i := range out {
			out[i] = make([]float64, d[1])
			for j := range out[i] {
				out[i][j] = float64(flat[i*d[1]+j])
			}
		}
		return out, nil
	}
	if normal, err = get(a.alpha[0]); err != nil {
		return nil, nil, err
	}
	reduce, err = get(a.alpha[1])
	return normal, reduce, err
}

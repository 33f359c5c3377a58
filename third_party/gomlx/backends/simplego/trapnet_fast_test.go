package simplego

// trapnet fork: checks that the fast executors of trapnet_fast.go give the
// same results as the generic executors (FastPaths=false), and that the fast
// path is actually taken (FastPathHits) for the patterns it is meant for.
//
// FastPaths and FastPathHits are globals: none of these tests run in parallel.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/shapeinference"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// trapnetBackend is the backend all trapnet tests share. parallelism=-1 avoids
// the worker-pool deadlock on small machines; ops_sequential runs the ops in
// the calling goroutine, so a panicking executor is reported by the test.
var trapnetBackend = sync.OnceValue(func() backends.Backend {
	b, err := New("parallelism=-1,ops_sequential")
	if err != nil {
		panic(err)
	}
	return b
})

// Tolerances: exact for copies and single-operation element-wise results,
// relative (with a floor of 1 on the scale) where sums may be reordered.
const (
	trapnetExact = 0.0
	trapnetTol   = 1e-5
)

func trapnetRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x7e57)) }

// trapnetRandF32 returns n uniform values in [-1, 1).
func trapnetRandF32(rng *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = rng.Float32()*2 - 1
	}
	return v
}

func trapnetProd(dims []int) int {
	n := 1
	for _, d := range dims {
		n *= d
	}
	return n
}

// trapnetRand returns a float32 tensor of uniform values in [-1, 1).
func trapnetRand(rng *rand.Rand, dims ...int) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(trapnetRandF32(rng, trapnetProd(dims)), dims...)
}

// trapnetRandSpecial is like trapnetRand, with about a quarter of the values
// replaced by NaN, ±Inf, +0 and -0.
func trapnetRandSpecial(rng *rand.Rand, dims ...int) *tensors.Tensor {
	v := trapnetRandF32(rng, trapnetProd(dims))
	specials := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 0, float32(math.Copysign(0, -1))}
	for i := range v {
		if rng.IntN(4) == 0 {
			v[i] = specials[rng.IntN(len(specials))]
		}
	}
	return tensors.FromFlatDataAndDimensions(v, dims...)
}

func trapnetF64(x *tensors.Tensor) *tensors.Tensor {
	var out []float64
	_ = x.ConstFlatData(func(flat any) {
		for _, v := range flat.([]float32) {
			out = append(out, float64(v))
		}
	})
	return tensors.FromFlatDataAndDimensions(out, x.Shape().Dimensions...)
}

// trapnetIndices returns an index tensor of the given dtype (int32 or int64)
// with values in [lo, hi).
func trapnetIndices(rng *rand.Rand, dtype dtypes.DType, lo, hi int, dims ...int) *tensors.Tensor {
	n := trapnetProd(dims)
	switch dtype {
	case dtypes.Int32:
		v := make([]int32, n)
		for i := range v {
			v[i] = int32(lo + rng.IntN(hi-lo))
		}
		return tensors.FromFlatDataAndDimensions(v, dims...)
	case dtypes.Int64:
		v := make([]int64, n)
		for i := range v {
			v[i] = int64(lo + rng.IntN(hi-lo))
		}
		return tensors.FromFlatDataAndDimensions(v, dims...)
	}
	panic("unsupported index dtype " + dtype.String())
}

// trapnetOORIndices returns int32/int64 indices into [0, rows) that include
// negative and too-large values (the first ones are fixed so every table has
// some): -1, rows, -1000, rows+1000, then random values in [-3, rows+3).
func trapnetOORIndices(rng *rand.Rand, dtype dtypes.DType, rows int, dims ...int) *tensors.Tensor {
	n := trapnetProd(dims)
	vals := make([]int, n)
	fixed := []int{-1, rows, -1000, rows + 1000, 0, rows - 1}
	for i := range vals {
		if i < len(fixed) {
			vals[i] = fixed[i]
		} else {
			vals[i] = rng.IntN(rows+6) - 3
		}
	}
	switch dtype {
	case dtypes.Int32:
		v := make([]int32, n)
		for i, x := range vals {
			v[i] = int32(x)
		}
		return tensors.FromFlatDataAndDimensions(v, dims...)
	case dtypes.Int64:
		v := make([]int64, n)
		for i, x := range vals {
			v[i] = int64(x)
		}
		return tensors.FromFlatDataAndDimensions(v, dims...)
	}
	panic("unsupported index dtype " + dtype.String())
}

func trapnetIntValues(x *tensors.Tensor) []int {
	var out []int
	_ = x.ConstFlatData(func(flat any) {
		switch f := flat.(type) {
		case []int32:
			for _, v := range f {
				out = append(out, int(v))
			}
		case []int64:
			for _, v := range f {
				out = append(out, int(v))
			}
		}
	})
	return out
}

// trapnetFlat copies a tensor's values as float64 (exact for float32, and for
// the small integers used here).
func trapnetFlat(x *tensors.Tensor) ([]float64, error) {
	var out []float64
	var bad any
	err := x.ConstFlatData(func(flat any) {
		switch f := flat.(type) {
		case []float32:
			out = make([]float64, len(f))
			for i, v := range f {
				out[i] = float64(v)
			}
		case []float64:
			out = slices.Clone(f)
		case []int32:
			out = make([]float64, len(f))
			for i, v := range f {
				out[i] = float64(v)
			}
		case []int64:
			out = make([]float64, len(f))
			for i, v := range f {
				out[i] = float64(v)
			}
		default:
			bad = flat
		}
	})
	if err == nil && bad != nil {
		err = fmt.Errorf("unsupported flat type %T", bad)
	}
	return out, err
}

// trapnetClose reports whether a (fast) and b (reference) agree: exactly when
// tol == 0, else within tol*max(1, |a|, |b|). NaN equals NaN, ±Inf must match.
func trapnetClose(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if a == b {
		return true
	}
	if tol == 0 || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return false
	}
	return math.Abs(a-b) <= tol*max(1, math.Abs(a), math.Abs(b))
}

// trapnetCompareFlat fails t when fast and want differ (shape given for messages).
func trapnetCompareFlat(t *testing.T, what string, dims []int, fast, want []float64, tol float64) {
	t.Helper()
	if len(fast) != len(want) {
		t.Errorf("%s: %d values (fast) vs %d (reference)", what, len(fast), len(want))
		return
	}
	bad := 0
	for i := range fast {
		if !trapnetClose(fast[i], want[i], tol) {
			if bad < 5 {
				t.Errorf("%s: shape %v, element %v (flat %d): fast=%v reference=%v",
					what, dims, trapnetUnflatten(i, dims), i, fast[i], want[i])
			}
			bad++
		}
	}
	if bad > 5 {
		t.Errorf("%s: ... %d of %d elements differ in total", what, bad, len(fast))
	}
}

func trapnetUnflatten(i int, dims []int) []int {
	idx := make([]int, len(dims))
	for a := len(dims) - 1; a >= 0; a-- {
		if dims[a] > 0 {
			idx[a] = i % dims[a]
			i /= dims[a]
		}
	}
	return idx
}

// trapnetTotalHits sums FastPathHits over all op types.
func trapnetTotalHits() int64 {
	var s int64
	for i := range FastPathHits {
		s += FastPathHits[i].Load()
	}
	return s
}

type trapnetResult struct {
	dims []int
	flat []float64
	err  error
}

// trapnetExecOnce runs e with FastPaths=fast and returns the first output
// (copied) and the number of fast-path hits of op during the run. A panic in
// the execution is returned as an error.
func trapnetExecOnce(e *graph.Exec, op backends.OpType, fast bool, args ...any) (res trapnetResult, hits, allHits int64) {
	FastPaths = fast
	defer func() { FastPaths = true }()
	before, beforeAll := FastPathHits[op].Load(), trapnetTotalHits()
	func() {
		defer func() {
			if r := recover(); r != nil {
				res.err = fmt.Errorf("panic: %v", r)
			}
		}()
		outs, err := e.Exec(args...)
		if err != nil {
			res.err = err
			return
		}
		res.dims = slices.Clone(outs[0].Shape().Dimensions)
		res.flat, res.err = trapnetFlat(outs[0])
		for _, o := range outs {
			_ = o.FinalizeAll()
		}
	}()
	return res, FastPathHits[op].Load() - before, trapnetTotalHits() - beforeAll
}

// trapnetCase is one graph whose output is compared between the fast and
// generic executors.
type trapnetCase struct {
	name    string
	fn      any             // graph function, as accepted by graph.NewExecAny.
	args    []any           // its arguments.
	op      backends.OpType // the op whose fast path is (or is not) expected.
	wantHit bool            // whether op's fast path must be taken.
	tol     float64         // trapnetExact or trapnetTol.
	// ref, if set, replaces the generic execution as the reference (for
	// patterns the generic executor does not support, e.g. out-of-range
	// scatter indices).
	ref func() []float64
}

func trapnetRunCases(t *testing.T, cases []trapnetCase) {
	t.Helper()
	backend := trapnetBackend()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := graph.NewExecAny(backend, c.fn)
			if err != nil {
				t.Fatalf("NewExec: %v", err)
			}
			defer e.Finalize()
			fast, hits, _ := trapnetExecOnce(e, c.op, true, c.args...)
			if fast.err != nil {
				t.Fatalf("fast execution failed: %v", fast.err)
			}
			switch {
			case c.wantHit && hits == 0:
				t.Errorf("fast path of %s was not taken", c.op)
			case !c.wantHit && hits != 0:
				t.Errorf("fast path of %s was taken %d times, expected the generic executor", c.op, hits)
			}
			// A second fast run gets pooled (stale) output buffers, which
			// catches kernels that do not initialise their output.
			again, _, _ := trapnetExecOnce(e, c.op, true, c.args...)
			if again.err != nil {
				t.Fatalf("second fast execution failed: %v", again.err)
			}
			var want []float64
			if c.ref != nil {
				want = c.ref()
			} else {
				generic, _, allHits := trapnetExecOnce(e, c.op, false, c.args...)
				if generic.err != nil {
					t.Fatalf("generic execution failed: %v", generic.err)
				}
				if allHits != 0 {
					t.Errorf("FastPaths=false still took %d fast paths", allHits)
				}
				if !slices.Equal(fast.dims, generic.dims) {
					t.Fatalf("output shape %v (fast) vs %v (generic)", fast.dims, generic.dims)
				}
				want = generic.flat
			}
			trapnetCompareFlat(t, c.name, fast.dims, fast.flat, want, c.tol)
			trapnetCompareFlat(t, c.name+" (second fast run)", again.dims, again.flat, want, c.tol)
		})
	}
}

// ---------------------------------------------------------------------------
// Gather

func TestTrapnetGather(t *testing.T) {
	rng := trapnetRNG(1)
	const R = 10
	gather := func(x, idx *graph.Node) *graph.Node { return graph.Gather(x, idx) }
	var cases []trapnetCase
	for _, idxDType := range []dtypes.DType{dtypes.Int32, dtypes.Int64} {
		for _, opDims := range [][]int{{R, 3, 4}, {R, 7}, {R}} {
			for _, idxDims := range [][]int{{5, 3, 1}, {6, 1}, {1}} {
				if len(idxDims)-1 > len(opDims) {
					// shapeinference.Gather checks indexVectorAxis against the
					// operand's rank (not the indices'): not buildable.
					continue
				}
				cases = append(cases, trapnetCase{
					name:    fmt.Sprintf("operand%v/indices%v/%s", opDims, idxDims, idxDType),
					fn:      gather,
					args:    []any{trapnetRand(rng, opDims...), trapnetOORIndices(rng, idxDType, R, idxDims...)},
					op:      backends.OpTypeGather,
					wantHit: true,
					tol:     trapnetExact,
				})
			}
		}
	}
	cases = append(cases,
		trapnetCase{
			name: "scalar-index/operand[10,7]", fn: gather,
			args: []any{trapnetRand(rng, R, 7), tensors.FromScalar(int32(12))},
			op:   backends.OpTypeGather, wantHit: true, tol: trapnetExact,
		},
		trapnetCase{
			name: "in-range/operand[64,8,16]/indices[32,9,1]", fn: gather,
			args: []any{trapnetRand(rng, 64, 8, 16), trapnetIndices(rng, dtypes.Int32, 0, 64, 32, 9, 1)},
			op:   backends.OpTypeGather, wantHit: true, tol: trapnetExact,
		},
		trapnetCase{
			name: "float64-operand[10,7]", fn: gather,
			args: []any{trapnetF64(trapnetRand(rng, R, 7)), trapnetOORIndices(rng, dtypes.Int32, R, 5, 3, 1)},
			op:   backends.OpTypeGather, wantHit: true, tol: trapnetExact,
		},
		trapnetCase{
			name: "int32-operand[10,7]", fn: gather,
			args: []any{trapnetIndices(rng, dtypes.Int32, -50, 50, R, 7), trapnetOORIndices(rng, dtypes.Int64, R, 5, 3, 1)},
			op:   backends.OpTypeGather, wantHit: true, tol: trapnetExact,
		},
		trapnetCase{
			name: "owned-operand[10,3,4]",
			fn:   func(x, idx *graph.Node) *graph.Node { return graph.Gather(graph.Neg(graph.Neg(x)), idx) },
			args: []any{trapnetRand(rng, R, 3, 4), trapnetOORIndices(rng, dtypes.Int32, R, 5, 3, 1)},
			op:   backends.OpTypeGather, wantHit: true, tol: trapnetExact,
		},
		// Index vectors of length 2 index two axes: generic executor.
		trapnetCase{
			name: "fallback/two-axis-index/operand[10,6,4]/indices[5,3,2]", fn: gather,
			args: []any{trapnetRand(rng, R, 6, 4), trapnetOORIndices(rng, dtypes.Int32, R, 5, 3, 2)},
			op:   backends.OpTypeGather, wantHit: false, tol: trapnetExact,
		},
	)
	trapnetRunCases(t, cases)
}

// ---------------------------------------------------------------------------
// Builder-level helpers, for op parameters the graph package does not expose
// (e.g. an index vector axis equal to the rank of the indices).

type trapnetInput struct {
	flat  any
	shape shapes.Shape
}

func trapnetF32Input(flat []float32, dims ...int) trapnetInput {
	return trapnetInput{flat, shapes.Make(dtypes.Float32, dims...)}
}

func trapnetTensorInput(x *tensors.Tensor) trapnetInput {
	var flat any
	_ = x.ConstFlatData(func(f any) {
		switch v := f.(type) {
		case []float32:
			flat = slices.Clone(v)
		case []int32:
			flat = slices.Clone(v)
		case []int64:
			flat = slices.Clone(v)
		}
	})
	return trapnetInput{flat, x.Shape()}
}

type trapnetBuildFn func(b backends.Builder, params []backends.Op) (backends.Op, error)

// trapnetBuilderExec compiles build on the backend and runs it with
// FastPaths=fast; the output must be float32.
func trapnetBuilderExec(t *testing.T, build trapnetBuildFn, op backends.OpType, fast bool, inputs ...trapnetInput) (res trapnetResult, hits int64) {
	t.Helper()
	backend := trapnetBackend()
	b := backend.Builder(t.Name())
	params := make([]backends.Op, len(inputs))
	for i, in := range inputs {
		p, err := b.Parameter(fmt.Sprintf("p%d", i), in.shape, nil)
		if err != nil {
			t.Fatalf("Parameter: %v", err)
		}
		params[i] = p
	}
	out, err := build(b, params)
	if err != nil {
		t.Fatalf("building: %v", err)
	}
	exe, err := b.Compile([]backends.Op{out}, nil)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	defer exe.Finalize()
	bufs := make([]backends.Buffer, len(inputs))
	for i, in := range inputs {
		bufs[i], err = backend.BufferFromFlatData(0, in.flat, in.shape)
		if err != nil {
			t.Fatalf("BufferFromFlatData: %v", err)
		}
	}
	FastPaths = fast
	defer func() { FastPaths = true }()
	before := FastPathHits[op].Load()
	func() {
		defer func() {
			if r := recover(); r != nil {
				res.err = fmt.Errorf("panic: %v", r)
			}
		}()
		outs, err := exe.Execute(bufs, nil, 0)
		if err != nil {
			res.err = err
			return
		}
		shape, err := backend.BufferShape(outs[0])
		if err != nil {
			res.err = err
			return
		}
		flat := make([]float32, shape.Size())
		if err := backend.BufferToFlatData(outs[0], flat); err != nil {
			res.err = err
			return
		}
		res.dims = slices.Clone(shape.Dimensions)
		res.flat = make([]float64, len(flat))
		for i, v := range flat {
			res.flat[i] = float64(v)
		}
	}()
	return res, FastPathHits[op].Load() - before
}

// trapnetBuilderCase compares a builder-level graph between fast and generic
// executors (or against ref, if given).
func trapnetBuilderCase(t *testing.T, build trapnetBuildFn, op backends.OpType, wantHit bool, tol float64, ref []float64, inputs ...trapnetInput) {
	t.Helper()
	fast, hits := trapnetBuilderExec(t, build, op, true, inputs...)
	if fast.err != nil {
		t.Fatalf("fast execution failed: %v", fast.err)
	}
	if wantHit != (hits > 0) {
		t.Errorf("fast path of %s taken %d times, want taken=%v", op, hits, wantHit)
	}
	again, _ := trapnetBuilderExec(t, build, op, true, inputs...)
	if again.err != nil {
		t.Fatalf("second fast execution failed: %v", again.err)
	}
	trapnetCompareFlat(t, t.Name()+" (second fast run)", again.dims, again.flat, fast.flat, trapnetExact)
	want := ref
	if want == nil {
		generic, _ := trapnetBuilderExec(t, build, op, false, inputs...)
		if generic.err != nil {
			t.Fatalf("generic execution failed: %v", generic.err)
		}
		if !slices.Equal(fast.dims, generic.dims) {
			t.Fatalf("output shape %v (fast) vs %v (generic)", fast.dims, generic.dims)
		}
		want = generic.flat
	}
	trapnetCompareFlat(t, t.Name(), fast.dims, fast.flat, want, tol)
}

// TestTrapnetGatherFlatIndices covers indices without an index-vector axis
// (indexVectorAxis == rank of the indices, e.g. indices shaped [O]), the
// first case of rowIndices. The fork's shapeinference.Gather cannot build
// such a Gather (it indexes startIndices.Dimensions[indexVectorAxis] and
// checks the axis against the operand's rank), so the test skips itself
// while that is so.
func TestTrapnetGatherFlatIndices(t *testing.T) {
	if err := trapnetProbeFlatGather(); err != nil {
		t.Skipf("Gather with indexVectorAxis == indices rank cannot be built: %v", err)
	}
	rng := trapnetRNG(2)
	const R = 10
	for _, idxDType := range []dtypes.DType{dtypes.Int32, dtypes.Int64} {
		for _, opDims := range [][]int{{R, 3, 4}, {R, 7}, {R}} {
			for _, idxDims := range [][]int{{9}, {4, 3}} {
				t.Run(fmt.Sprintf("operand%v/indices%v/%s", opDims, idxDims, idxDType), func(t *testing.T) {
					r := len(opDims)
					build := func(b backends.Builder, p []backends.Op) (backends.Op, error) {
						offsetAxes := make([]int, r-1)
						for i := range offsetAxes {
							offsetAxes[i] = len(idxDims) + i
						}
						sliceSizes := append([]int{1}, opDims[1:]...)
						return b.Gather(p[0], p[1], len(idxDims), offsetAxes, []int{0}, []int{0}, sliceSizes, false)
					}
					trapnetBuilderCase(t, build, backends.OpTypeGather, true, trapnetExact, nil,
						trapnetF32Input(trapnetRandF32(rng, trapnetProd(opDims)), opDims...),
						trapnetTensorInput(trapnetOORIndices(rng, idxDType, R, idxDims...)))
				})
			}
		}
	}
}

// trapnetProbeFlatGather returns why a row Gather of a [10,7] operand with
// [9] indices (indexVectorAxis=1) cannot be built, or nil if it can.
func trapnetProbeFlatGather() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("shape inference panicked: %v", r)
		}
	}()
	_, err = shapeinference.Gather(shapes.Make(dtypes.Float32, 10, 7), shapes.Make(dtypes.Int32, 9), 1,
		[]int{1}, []int{0}, []int{0}, []int{1, 7}, false)
	return err
}

// ---------------------------------------------------------------------------
// ScatterSum

// trapnetScatterRef is XLA's ScatterSum along axis 0 with out-of-range
// indices skipped.
func trapnetScatterRef(operand []float32, rows int, idx []int, updates []float32) []float64 {
	out := make([]float64, len(operand))
	acc := slices.Clone(operand)
	row := len(operand) / rows
	for i, j := range idx {
		if j < 0 || j >= rows {
			continue
		}
		for k := range row {
			acc[j*row+k] += updates[i*row+k]
		}
	}
	for i, v := range acc {
		out[i] = float64(v)
	}
	return out
}

func trapnetF32Values(x *tensors.Tensor) []float32 {
	var out []float32
	_ = x.ConstFlatData(func(flat any) { out = slices.Clone(flat.([]float32)) })
	return out
}

func TestTrapnetScatterSum(t *testing.T) {
	rng := trapnetRNG(3)
	const R = 10
	var cases []trapnetCase

	// The gradient of a row gather is a row ScatterSum into zeros (an owned
	// operand).
	gatherGrad := func(x, idx, w *graph.Node) *graph.Node {
		return graph.Gradient(graph.ReduceAllSum(graph.Mul(graph.Gather(x, idx), w)), x)[0]
	}
	for _, idxDType := range []dtypes.DType{dtypes.Int32, dtypes.Int64} {
		for _, opDims := range [][]int{{R, 3, 4}, {R, 7}, {R}} {
			for _, idxDims := range [][]int{{5, 3, 1}, {12, 1}} {
				if len(idxDims)-1 > len(opDims) {
					continue // Not buildable, see TestTrapnetGather.
				}
				outDims := append(slices.Clone(idxDims[:len(idxDims)-1]), opDims[1:]...)
				cases = append(cases, trapnetCase{
					name: fmt.Sprintf("gather-gradient/operand%v/indices%v/%s", opDims, idxDims, idxDType),
					fn:   gatherGrad,
					args: []any{trapnetRand(rng, opDims...), trapnetIndices(rng, idxDType, 0, R, idxDims...),
						trapnetRand(rng, outDims...)},
					op: backends.OpTypeScatterSum, wantHit: true, tol: trapnetTol,
				})
			}
		}
	}
	cases = append(cases, trapnetCase{
		name: "gather-gradient/in-range/operand[64,8,16]/indices[32,9,1]", fn: gatherGrad,
		args: []any{trapnetRand(rng, 64, 8, 16), trapnetIndices(rng, dtypes.Int32, 0, 64, 32, 9, 1), trapnetRand(rng, 32, 9, 8, 16)},
		op:   backends.OpTypeScatterSum, wantHit: true, tol: trapnetTol,
	})

	// Direct ScatterSum, in range: operand is a parameter (not owned: cloned)
	// or an intermediate result (owned: updated in place).
	scatter := func(x, idx, upd *graph.Node) *graph.Node { return graph.ScatterSum(x, idx, upd, false, false) }
	scatterOwned := func(x, idx, upd *graph.Node) *graph.Node {
		return graph.ScatterSum(graph.Neg(graph.Neg(x)), idx, upd, false, false)
	}
	for _, fnCase := range []struct {
		name string
		fn   any
	}{{"param-operand", scatter}, {"owned-operand", scatterOwned}} {
		cases = append(cases,
			trapnetCase{
				name: "direct/" + fnCase.name + "/operand[10,7]/indices[15,1]", fn: fnCase.fn,
				args: []any{trapnetRand(rng, R, 7), trapnetIndices(rng, dtypes.Int32, 0, R, 15, 1), trapnetRand(rng, 15, 7)},
				op:   backends.OpTypeScatterSum, wantHit: true, tol: trapnetTol,
			},
			trapnetCase{
				name: "direct/" + fnCase.name + "/operand[10,3,4]/indices[5,3,1]", fn: fnCase.fn,
				args: []any{trapnetRand(rng, R, 3, 4), trapnetIndices(rng, dtypes.Int64, 0, R, 5, 3, 1), trapnetRand(rng, 5, 3, 3, 4)},
				op:   backends.OpTypeScatterSum, wantHit: true, tol: trapnetTol,
			})
	}

	// Out-of-range indices are skipped (XLA semantics). The generic executor
	// does not bounds-check scatter indices, so the reference is computed here.
	for _, idxDType := range []dtypes.DType{dtypes.Int32, dtypes.Int64} {
		for _, fnCase := range []struct {
			name string
			fn   any
		}{{"param-operand", scatter}, {"owned-operand", scatterOwned}} {
			x, idx, upd := trapnetRand(rng, R, 7), trapnetOORIndices(rng, idxDType, R, 15, 1), trapnetRand(rng, 15, 7)
			cases = append(cases, trapnetCase{
				name: fmt.Sprintf("direct/out-of-range/%s/operand[10,7]/indices[15,1]/%s", fnCase.name, idxDType), fn: fnCase.fn,
				args: []any{x, idx, upd},
				op:   backends.OpTypeScatterSum, wantHit: true, tol: trapnetTol,
				ref: func() []float64 {
					return trapnetScatterRef(trapnetF32Values(x), R, trapnetIntValues(idx), trapnetF32Values(upd))
				},
			})
		}
	}

	// Only float32 has a fast path.
	cases = append(cases, trapnetCase{
		name: "fallback/float64/operand[10,7]/indices[15,1]", fn: scatter,
		args: []any{trapnetF64(trapnetRand(rng, R, 7)), trapnetIndices(rng, dtypes.Int32, 0, R, 15, 1), trapnetF64(trapnetRand(rng, 15, 7))},
		op:   backends.OpTypeScatterSum, wantHit: false, tol: trapnetTol,
	})
	trapnetRunCases(t, cases)

	// Indices without an index-vector axis ([O]), in range (against the
	// generic executor) and out of range (against the reference).
	for _, oor := range []bool{false, true} {
		for _, opDims := range [][]int{{R, 3, 4}, {R, 7}, {R}} {
			t.Run(fmt.Sprintf("flat-indices/out-of-range=%v/operand%v/indices[13]", oor, opDims), func(t *testing.T) {
				const O = 13
				updDims := append([]int{O}, opDims[1:]...)
				build := func(b backends.Builder, p []backends.Op) (backends.Op, error) {
					windowAxes := make([]int, len(opDims)-1)
					for i := range windowAxes {
						windowAxes[i] = 1 + i
					}
					return b.ScatterSum(p[0], p[1], p[2], 1, windowAxes, []int{0}, []int{0}, false, false)
				}
				operand := trapnetRandF32(rng, trapnetProd(opDims))
				updates := trapnetRandF32(rng, trapnetProd(updDims))
				var idx *tensors.Tensor
				var ref []float64
				if oor {
					idx = trapnetOORIndices(rng, dtypes.Int32, R, O)
					ref = trapnetScatterRef(operand, R, trapnetIntValues(idx), updates)
				} else {
					idx = trapnetIndices(rng, dtypes.Int64, 0, R, O)
				}
				trapnetBuilderCase(t, build, backends.OpTypeScatterSum, true, trapnetTol, ref,
					trapnetF32Input(operand, opDims...), trapnetTensorInput(idx), trapnetF32Input(updates, updDims...))
			})
		}
	}
}

// ---------------------------------------------------------------------------
// BroadcastInDim

func TestTrapnetBroadcastInDim(t *testing.T) {
	rng := trapnetRNG(4)
	toDims := func(dims ...int) func(x *graph.Node) *graph.Node {
		return func(x *graph.Node) *graph.Node { return graph.BroadcastToDims(x, dims...) }
	}
	prefix := func(dims ...int) func(x *graph.Node) *graph.Node {
		return func(x *graph.Node) *graph.Node { return graph.BroadcastPrefix(x, dims...) }
	}
	type bc struct {
		name    string
		in      []int
		fn      func(x *graph.Node) *graph.Node
		wantHit bool
		f64     bool
	}
	list := []bc{
		{"ToDims[50,9,32,8]", []int{1, 9, 1, 8}, toDims(50, 9, 32, 8), true, false},
		{"Prefix[4]", []int{8}, prefix(4), true, false},
		{"ToDims[3,5]", []int{3, 1}, toDims(3, 5), true, false},
		{"ToDims[5,3]", []int{1, 3}, toDims(5, 3), true, false},
		{"ToDims[3,4,7]", []int{1, 1, 7}, toDims(3, 4, 7), true, false},
		{"ToDims[2,4,3,5]", []int{2, 1, 3, 1}, toDims(2, 4, 3, 5), true, false},
		{"ToDims[5,2,3,4]", []int{5, 1, 1, 1}, toDims(5, 2, 3, 4), true, false},
		{"ToDims[1,6,1,2]", []int{1, 6, 1, 1}, toDims(1, 6, 1, 2), true, false},
		{"ToDims[4,1,6,3]", []int{4, 1, 6, 1}, toDims(4, 1, 6, 3), true, false},
		{"Prefix[2,2]", []int{2, 3}, prefix(2, 2), true, false},
		{"Prefix[4]-size1-axis", []int{1, 3}, prefix(4), true, false},
		{"InsertAxes(0)+ToDims[4,6]", []int{6},
			func(x *graph.Node) *graph.Node { return graph.BroadcastToDims(graph.InsertAxes(x, 0), 4, 6) }, true, false},
		{"InsertAxes(-1)+ToDims[6,7]", []int{6},
			func(x *graph.Node) *graph.Node { return graph.BroadcastToDims(graph.InsertAxes(x, -1), 6, 7) }, true, false},
		{"ExpandAndBroadcast[3,6,2]", []int{6},
			func(x *graph.Node) *graph.Node { return graph.ExpandAndBroadcast(x, []int{3, 6, 2}, []int{0, 2}) }, true, false},
		{"ExpandAndBroadcast[3,1,5,2]", []int{1, 5},
			func(x *graph.Node) *graph.Node { return graph.ExpandAndBroadcast(x, []int{3, 4, 5, 2}, []int{0, 3}) }, true, false},
		{"owned/ToDims[3,4,7]", []int{1, 4, 1},
			func(x *graph.Node) *graph.Node { return graph.BroadcastToDims(graph.Neg(graph.Neg(x)), 3, 4, 7) }, true, false},
		// Size-1 operands and other dtypes use the generic executor.
		{"fallback/size1/ToDims[5]", []int{1}, toDims(5), false, false},
		{"fallback/size1/ToDims[2,3]", []int{1, 1}, toDims(2, 3), false, false},
		{"fallback/float64/ToDims[3,5]", []int{3, 1}, toDims(3, 5), false, true},
	}
	var cases []trapnetCase
	for _, c := range list {
		x := trapnetRand(rng, c.in...)
		if c.f64 {
			x = trapnetF64(x)
		}
		cases = append(cases, trapnetCase{
			name: fmt.Sprintf("%v/%s", c.in, c.name), fn: c.fn, args: []any{x},
			op: backends.OpTypeBroadcastInDim, wantHit: c.wantHit, tol: trapnetExact,
		})
	}
	trapnetRunCases(t, cases)
}

// TestTrapnetBroadcastInDimTransposed covers BroadcastInDim with
// non-increasing broadcast axes (a transpose, allowed by the fork's shape
// inference; the graph package never emits it). The fast path walks the
// operand with strides, i.e. XLA semantics, and is checked against a
// reference computed here. The generic executor ignores the order of the
// axes (it reinterprets the operand's flat data in output order), so it is
// not used as the reference; where it differs, the test only logs it.
func TestTrapnetBroadcastInDimTransposed(t *testing.T) {
	rng := trapnetRNG(10)
	for _, c := range []struct {
		in, out, axes []int
	}{
		{[]int{3, 4}, []int{4, 3}, []int{1, 0}},
		{[]int{2, 3}, []int{3, 5, 2}, []int{2, 0}},
		{[]int{3, 1}, []int{5, 3}, []int{1, 0}},
		{[]int{2, 3, 4}, []int{4, 2, 3}, []int{1, 2, 0}},
	} {
		t.Run(fmt.Sprintf("%v->%v/axes%v", c.in, c.out, c.axes), func(t *testing.T) {
			x := trapnetRandF32(rng, trapnetProd(c.in))
			ref := make([]float64, trapnetProd(c.out))
			inStrides := rowMajorStrides(c.in)
			for i := range ref {
				outIdx := trapnetUnflatten(i, c.out)
				j := 0
				for a, oa := range c.axes {
					if c.in[a] != 1 {
						j += outIdx[oa] * inStrides[a]
					}
				}
				ref[i] = float64(x[j])
			}
			build := func(b backends.Builder, p []backends.Op) (backends.Op, error) {
				return b.BroadcastInDim(p[0], shapes.Make(dtypes.Float32, c.out...), c.axes)
			}
			trapnetBuilderCase(t, build, backends.OpTypeBroadcastInDim, true, trapnetExact, ref,
				trapnetF32Input(x, c.in...))
			generic, _ := trapnetBuilderExec(t, build, backends.OpTypeBroadcastInDim, false, trapnetF32Input(x, c.in...))
			switch {
			case generic.err != nil:
				t.Logf("generic executor fails: %v", generic.err)
			default:
				differ := 0
				for i := range ref {
					if generic.flat[i] != ref[i] {
						differ++
					}
				}
				if differ > 0 {
					t.Logf("generic executor differs from XLA semantics in %d of %d elements (upstream: axes order ignored)", differ, len(ref))
				}
			}
		})
	}
}

// ---------------------------------------------------------------------------
// ReduceSum / ReduceMax / ReduceMin

// trapnetSubsets returns every non-empty subset of the axes of a rank-r tensor.
func trapnetSubsets(r int) [][]int {
	var out [][]int
	for m := 1; m < 1<<r; m++ {
		var s []int
		for a := range r {
			if m&(1<<a) != 0 {
				s = append(s, a)
			}
		}
		out = append(out, s)
	}
	return out
}

func TestTrapnetReduce(t *testing.T) {
	rng := trapnetRNG(5)
	type tensorCase struct {
		name string
		x    *tensors.Tensor
	}
	// A tensor with NaN, ±Inf, a run of -Inf only (max = -Inf) and a run of
	// +Inf only (min = +Inf).
	special := trapnetRandF32(rng, 4*5*6)
	for i := 0; i < 6; i++ {
		special[i] = float32(math.Inf(-1))
		special[6+i] = float32(math.Inf(1))
	}
	special[13], special[40], special[111] = float32(math.NaN()), float32(math.NaN()), float32(math.NaN())
	special[77], special[100] = float32(math.Inf(-1)), float32(math.Inf(1))
	inputs := []tensorCase{
		{"[5,1,7,3]", trapnetRand(rng, 5, 1, 7, 3)},
		{"[2,3,4,5]", trapnetRand(rng, 2, 3, 4, 5)},
		{"[6]", trapnetRand(rng, 6)},
		{"[1,1]", trapnetRand(rng, 1, 1)},
		{"[3,300]", trapnetRand(rng, 3, 300)},
		{"special[4,5,6]", tensors.FromFlatDataAndDimensions(special, 4, 5, 6)},
		{"random-special[3,4,5]", trapnetRandSpecial(rng, 3, 4, 5)},
	}
	ops := []struct {
		op  backends.OpType
		fn  func(x *graph.Node, axes ...int) *graph.Node
		tol float64
	}{
		{backends.OpTypeReduceSum, graph.ReduceSum, trapnetTol},
		{backends.OpTypeReduceMax, graph.ReduceMax, trapnetExact},
		{backends.OpTypeReduceMin, graph.ReduceMin, trapnetExact},
	}
	var cases []trapnetCase
	for _, o := range ops {
		for _, in := range inputs {
			for _, axes := range trapnetSubsets(in.x.Rank()) {
				cases = append(cases, trapnetCase{
					name: fmt.Sprintf("%s/%s/axes%v", o.op, in.name, axes),
					fn:   func(x *graph.Node) *graph.Node { return o.fn(x, axes...) },
					args: []any{in.x},
					op:   o.op, wantHit: true, tol: o.tol,
				})
			}
		}
		// Other dtypes use the generic executor.
		cases = append(cases, trapnetCase{
			name: fmt.Sprintf("%s/fallback/float64[2,3,4]/axes[1]", o.op),
			fn:   func(x *graph.Node) *graph.Node { return o.fn(x, 1) },
			args: []any{trapnetF64(trapnetRand(rng, 2, 3, 4))},
			op:   o.op, wantHit: false, tol: o.tol,
		})
	}
	trapnetRunCases(t, cases)
}

// ---------------------------------------------------------------------------
// Broadcasting binary ops

func TestTrapnetBinary(t *testing.T) {
	rng := trapnetRNG(6)
	ops := []struct {
		op backends.OpType
		fn func(a, b *graph.Node) *graph.Node
	}{
		{backends.OpTypeAdd, graph.Add}, {backends.OpTypeSub, graph.Sub}, {backends.OpTypeMul, graph.Mul},
		{backends.OpTypeDiv, graph.Div}, {backends.OpTypeMax, graph.Max}, {backends.OpTypeMin, graph.Min},
	}
	pairs := [][2][]int{
		{{5, 9, 4, 8}, {1, 9, 1, 8}},
		{{5, 1}, {1, 7}},
		{{3, 4, 5}, {3, 1, 5}},
		{{2, 1, 3, 1}, {1, 4, 1, 5}},
		{{6, 10}, {6, 1}},
		{{6, 10}, {1, 10}},
	}
	var cases []trapnetCase
	for _, o := range ops {
		for _, p := range pairs {
			for _, order := range [][2]int{{0, 1}, {1, 0}} {
				ld, rd := p[order[0]], p[order[1]]
				for _, special := range []bool{false, true} {
					gen := trapnetRand
					if special {
						gen = trapnetRandSpecial
					}
					a, b := gen(rng, ld...), gen(rng, rd...)
					name := fmt.Sprintf("%s/%v-%v", o.op, ld, rd)
					if special {
						name += "/nan-inf-zeros"
					}
					cases = append(cases,
						trapnetCase{
							name: name, fn: o.fn, args: []any{a, b},
							op: o.op, wantHit: true, tol: trapnetExact,
						},
						// Intermediate (owned) operands: the output may reuse the
						// full-shaped one.
						trapnetCase{
							name: name + "/owned",
							fn: func(a, b *graph.Node) *graph.Node {
								return o.fn(graph.Neg(graph.Neg(a)), graph.Neg(graph.Neg(b)))
							},
							args: []any{a, b},
							op:   o.op, wantHit: true, tol: trapnetExact,
						})
				}
			}
		}
		// Equal shapes, size-1 operands and other dtypes use the generic executors.
		cases = append(cases,
			trapnetCase{
				name: fmt.Sprintf("%s/fallback/equal-shapes[4,5]", o.op), fn: o.fn,
				args: []any{trapnetRand(rng, 4, 5), trapnetRand(rng, 4, 5)},
				op:   o.op, wantHit: false, tol: trapnetExact,
			},
			trapnetCase{
				name: fmt.Sprintf("%s/fallback/size1[1,1]-[4,5]", o.op), fn: o.fn,
				args: []any{trapnetRand(rng, 1, 1), trapnetRand(rng, 4, 5)},
				op:   o.op, wantHit: false, tol: trapnetExact,
			},
			trapnetCase{
				name: fmt.Sprintf("%s/fallback/float64[5,1]-[1,7]", o.op), fn: o.fn,
				args: []any{trapnetF64(trapnetRand(rng, 5, 1)), trapnetF64(trapnetRand(rng, 1, 7))},
				op:   o.op, wantHit: false, tol: trapnetExact,
			})
	}
	trapnetRunCases(t, cases)
}

// ---------------------------------------------------------------------------
// DotGeneral

func trapnetDot(lc, rc int) func(a, b *graph.Node) *graph.Node {
	return func(a, b *graph.Node) *graph.Node { return graph.DotGeneral(a, []int{lc}, nil, b, []int{rc}, nil) }
}

func TestTrapnetDotGeneral(t *testing.T) {
	rng := trapnetRNG(7)
	var cases []trapnetCase
	for _, mkn := range [][3]int{
		{1000, 8, 8}, {37, 16, 64}, {5, 64, 3}, {300, 65, 70}, {50, 24, 24}, {50, 25, 24},
		{40, 200, 3}, {20, 3, 200}, {64, 64, 65}, {1, 1, 1}, {7, 1, 9},
	} {
		m, k, n := mkn[0], mkn[1], mkn[2]
		cases = append(cases,
			// A·B: [M,K]·[K,N] -> [M,N].
			trapnetCase{
				name: fmt.Sprintf("NN/M=%d,K=%d,N=%d", m, k, n), fn: trapnetDot(1, 0),
				args: []any{trapnetRand(rng, m, k), trapnetRand(rng, k, n)},
				op:   backends.OpTypeDotGeneral, wantHit: k <= skinnyDotLimit && n <= skinnyDotLimit, tol: trapnetTol,
			},
			// A·Bᵀ: [M,K]·[N,K]ᵀ -> [M,N].
			trapnetCase{
				name: fmt.Sprintf("NT/M=%d,K=%d,N=%d", m, k, n), fn: trapnetDot(1, 1),
				args: []any{trapnetRand(rng, m, k), trapnetRand(rng, n, k)},
				op:   backends.OpTypeDotGeneral, wantHit: k <= skinnyDotLimit && n <= skinnyDotLimit, tol: trapnetTol,
			},
			// Aᵀ·B: [M,K]ᵀ·[M,N] -> [K,N].
			trapnetCase{
				name: fmt.Sprintf("TN/M=%d,K=%d,N=%d", m, k, n), fn: trapnetDot(0, 0),
				args: []any{trapnetRand(rng, m, k), trapnetRand(rng, m, n)},
				op:   backends.OpTypeDotGeneral, wantHit: k <= tnDotLimit && n <= tnDotLimit, tol: trapnetTol,
			},
			// Aᵀ·Bᵀ: [M,K]ᵀ·[N,M]ᵀ -> [K,N]: no fast path.
			trapnetCase{
				name: fmt.Sprintf("fallback/TT/M=%d,K=%d,N=%d", m, k, n), fn: trapnetDot(0, 1),
				args: []any{trapnetRand(rng, m, k), trapnetRand(rng, n, m)},
				op:   backends.OpTypeDotGeneral, wantHit: false, tol: trapnetTol,
			},
		)
	}
	cases = append(cases,
		trapnetCase{
			name: "fallback/batch/[3,40,8]x[3,8,5]",
			fn: func(a, b *graph.Node) *graph.Node {
				return graph.DotGeneral(a, []int{2}, []int{0}, b, []int{1}, []int{0})
			},
			args: []any{trapnetRand(rng, 3, 40, 8), trapnetRand(rng, 3, 8, 5)},
			op:   backends.OpTypeDotGeneral, wantHit: false, tol: trapnetTol,
		},
		trapnetCase{
			name: "fallback/rank3-lhs/[40,2,8]x[8,5]", fn: trapnetDot(2, 0),
			args: []any{trapnetRand(rng, 40, 2, 8), trapnetRand(rng, 8, 5)},
			op:   backends.OpTypeDotGeneral, wantHit: false, tol: trapnetTol,
		},
		trapnetCase{
			name: "fallback/float64/NN/M=100,K=8,N=8", fn: trapnetDot(1, 0),
			args: []any{trapnetF64(trapnetRand(rng, 100, 8)), trapnetF64(trapnetRand(rng, 8, 8))},
			op:   backends.OpTypeDotGeneral, wantHit: false, tol: trapnetTol,
		},
		trapnetCase{
			name: "NN/nan-inf/M=50,K=8,N=8", fn: trapnetDot(1, 0),
			args: []any{trapnetRandSpecial(rng, 50, 8), trapnetRand(rng, 8, 8)},
			op:   backends.OpTypeDotGeneral, wantHit: true, tol: trapnetTol,
		},
	)
	trapnetRunCases(t, cases)
}

// BenchmarkTrapnetDotGeneral times the three skinny-dot patterns with the
// fast paths on and off (the generic executor uses the blocked kernel and the
// worker pool; the fast path is a single-goroutine row loop).
func BenchmarkTrapnetDotGeneral(b *testing.B) {
	backend := trapnetBackend()
	rng := trapnetRNG(8)
	const m = 32768
	for _, width := range []int{16, 32, 64} {
		k, n := width, width
		patterns := []struct {
			name string
			fn   func(a, b *graph.Node) *graph.Node
			lhs  *tensors.Tensor
			rhs  *tensors.Tensor
		}{
			{"NN", trapnetDot(1, 0), trapnetRand(rng, m, k), trapnetRand(rng, k, n)},
			{"NT", trapnetDot(1, 1), trapnetRand(rng, m, k), trapnetRand(rng, n, k)},
			{"TN", trapnetDot(0, 0), trapnetRand(rng, m, k), trapnetRand(rng, m, n)},
		}
		for _, p := range patterns {
			e := graph.MustNewExec(backend, p.fn)
			for _, fast := range []bool{true, false} {
				mode := "generic"
				if fast {
					mode = "fast"
				}
				b.Run(fmt.Sprintf("M=%d,K=%d,N=%d/%s/%s", m, k, n, p.name, mode), func(b *testing.B) {
					FastPaths = fast
					defer func() { FastPaths = true }()
					_ = e.MustExec1(p.lhs, p.rhs).FinalizeAll() // warm-up (compiles).
					before := FastPathHits[backends.OpTypeDotGeneral].Load()
					for b.Loop() {
						_ = e.MustExec1(p.lhs, p.rhs).FinalizeAll()
					}
					if hit := FastPathHits[backends.OpTypeDotGeneral].Load() > before; hit != fast {
						b.Fatalf("fast path taken=%v, want %v", hit, fast)
					}
				})
			}
			e.Finalize()
		}
	}
}

// ---------------------------------------------------------------------------
// Zero-size tensors

// TestTrapnetZeroSize runs ops on tensors with a zero-sized axis. Where the
// generic executor itself fails, the case only logs (an upstream limitation,
// not a regression of the fast path); where the generic executor works, the
// fast path must work and agree.
func TestTrapnetZeroSize(t *testing.T) {
	rng := trapnetRNG(9)
	gather := func(x, idx *graph.Node) *graph.Node { return graph.Gather(x, idx) }
	scatter := func(x, idx, upd *graph.Node) *graph.Node { return graph.ScatterSum(x, idx, upd, false, false) }
	cases := []trapnetCase{
		{
			name: "BroadcastToDims/[1,5]->[0,5]",
			fn:   func(x *graph.Node) *graph.Node { return graph.BroadcastToDims(x, 0, 5) },
			args: []any{trapnetRand(rng, 1, 5)}, op: backends.OpTypeBroadcastInDim,
		},
		{
			name: "BroadcastToDims/[1,1,5]->[3,0,5]",
			fn:   func(x *graph.Node) *graph.Node { return graph.BroadcastToDims(x, 3, 0, 5) },
			args: []any{trapnetRand(rng, 1, 1, 5)}, op: backends.OpTypeBroadcastInDim,
		},
		{
			name: "Add/[0,5]+[1,5]", fn: graph.Add,
			args: []any{trapnetRand(rng, 0, 5), trapnetRand(rng, 1, 5)}, op: backends.OpTypeAdd,
		},
		{
			name: "Mul/[1,5]*[0,5]", fn: graph.Mul,
			args: []any{trapnetRand(rng, 1, 5), trapnetRand(rng, 0, 5)}, op: backends.OpTypeMul,
		},
		{
			name: "ReduceSum/[0,3]/axes[0]",
			fn:   func(x *graph.Node) *graph.Node { return graph.ReduceSum(x, 0) },
			args: []any{trapnetRand(rng, 0, 3)}, op: backends.OpTypeReduceSum,
		},
		{
			name: "ReduceMax/[0,3]/axes[0]",
			fn:   func(x *graph.Node) *graph.Node { return graph.ReduceMax(x, 0) },
			args: []any{trapnetRand(rng, 0, 3)}, op: backends.OpTypeReduceMax,
		},
		{
			name: "ReduceMin/[3,0]/axes[1]",
			fn:   func(x *graph.Node) *graph.Node { return graph.ReduceMin(x, 1) },
			args: []any{trapnetRand(rng, 3, 0)}, op: backends.OpTypeReduceMin,
		},
		{
			name: "Gather/[10,7]/indices[0,1]", fn: gather,
			args: []any{trapnetRand(rng, 10, 7), trapnetIndices(rng, dtypes.Int32, 0, 10, 0, 1)},
			op:   backends.OpTypeGather,
		},
		{
			name: "ScatterSum/[10,7]/indices[0,1]", fn: scatter,
			args: []any{trapnetRand(rng, 10, 7), trapnetIndices(rng, dtypes.Int32, 0, 10, 0, 1), trapnetRand(rng, 0, 7)},
			op:   backends.OpTypeScatterSum,
		},
	}
	backend := trapnetBackend()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := graph.NewExecAny(backend, c.fn)
			if err != nil {
				t.Fatalf("NewExec: %v", err)
			}
			defer e.Finalize()
			generic, _, _ := trapnetExecOnce(e, c.op, false, c.args...)
			fast, hits, _ := trapnetExecOnce(e, c.op, true, c.args...)
			switch {
			case generic.err != nil && fast.err != nil:
				t.Logf("generic and fast executors both fail (upstream limitation):\n  generic: %v\n  fast: %v", generic.err, fast.err)
			case generic.err != nil:
				t.Logf("generic executor fails (upstream limitation), fast path (hits=%d) gives shape %v: %v",
					hits, fast.dims, generic.err)
			case fast.err != nil:
				t.Errorf("fast execution failed (hits=%d) where the generic one works: %v", hits, fast.err)
			default:
				if !slices.Equal(fast.dims, generic.dims) {
					t.Fatalf("output shape %v (fast) vs %v (generic)", fast.dims, generic.dims)
				}
				trapnetCompareFlat(t, c.name, fast.dims, fast.flat, generic.flat, trapnetExact)
				t.Logf("fast path taken %d times, output shape %v", hits, fast.dims)
			}
		})
	}
}

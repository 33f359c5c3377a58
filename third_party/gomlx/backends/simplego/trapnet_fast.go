package simplego

// trapnet fork: faster kernels for the ops that dominate a DARTS search step
// written as patch gathers (see trapnet's search package):
//
//   - Gather of whole rows along axis 0 (a patch table) and its gradient,
//     ScatterSum of whole rows: one copy / one vector add per index instead
//     of per-element index arithmetic;
//   - BroadcastInDim, ReduceSum/Max/Min and broadcasting binary ops: strided
//     walks (trapnet_walk.go) that work on runs along the innermost axis;
//   - DotGeneral of rank-2 float32 operands with a small contracting or
//     output side (1x1 convolutions over H*W*N rows and their gradients):
//     plain row loops instead of the blocked kernel's repacking.
//
// Each executor checks that its fast path applies and otherwise calls the
// generic executor, so every other shape and dtype behaves as upstream.
// They are registered at priorityArch, above the generic ones.

import (
	"math"
	"sync/atomic"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
)

func init() {
	setNodeExecutor(backends.OpTypeGather, priorityArch, fastGather)
	setNodeExecutor(backends.OpTypeScatterSum, priorityArch, fastScatterSum)
	setNodeExecutor(backends.OpTypeBroadcastInDim, priorityArch, fastBroadcastInDim)
	for _, op := range []backends.OpType{backends.OpTypeReduceSum, backends.OpTypeReduceMax, backends.OpTypeReduceMin} {
		setNodeExecutor(op, priorityArch, fastReduce)
	}
	for op, generic := range map[backends.OpType]nodeExecutor{
		backends.OpTypeAdd: execAdd, backends.OpTypeSub: execSub, backends.OpTypeMul: execMul,
		backends.OpTypeDiv: execDiv, backends.OpTypeMax: execMax, backends.OpTypeMin: execMin,
	} {
		setNodeExecutor(op, priorityArch, fastBinary(op, generic))
	}
	setNodeExecutor(backends.OpTypeDotGeneral, priorityArch, fastDotGeneral)
}

// FastPaths turns the trapnet kernels on (the default) or off; tests turn it
// off to compare against the generic executors. Set it before executing.
var FastPaths = true

// FastPathHits counts, per op type, how many executions took a trapnet fast
// path (tests use it to check that a pattern is covered).
var FastPathHits [backends.OpTypeLast]atomic.Int64

// rowIndices returns the flat row indices of a row gather/scatter and how many
// there are, or ok=false when the indices are not int32/int64 or the index
// vector is longer than 1.
func rowIndices(indices *Buffer, indexVectorAxis int) (idx func(i int) int, count int, batch []int, ok bool) {
	d := indices.shape.Dimensions
	switch {
	case indexVectorAxis == len(d):
		batch = d
	case indexVectorAxis == len(d)-1 && d[len(d)-1] == 1:
		batch = d[:len(d)-1]
	default:
		return nil, 0, nil, false
	}
	switch flat := indices.flat.(type) {
	case []int32:
		return func(i int) int { return int(flat[i]) }, len(flat), batch, true
	case []int64:
		return func(i int) int { return int(flat[i]) }, len(flat), batch, true
	}
	return nil, 0, nil, false
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// consecutive reports whether axes == [from, from+1, ..., from+n-1].
func consecutive(axes []int, from, n int) bool {
	if len(axes) != n {
		return false
	}
	for i, a := range axes {
		if a != from+i {
			return false
		}
	}
	return true
}

// fastGather: output[b..., rest...] = operand[clamp(idx[b...]), rest...].
func fastGather(backend *Backend, node *Node, inputs []*Buffer, inputsOwned []bool) (*Buffer, error) {
	operand, indices := inputs[0], inputs[1]
	p := node.data.(*gatherNode)
	od := operand.shape.Dimensions
	r := len(od)
	idx, count, batch, ok := rowIndices(indices, p.indexVectorAxis)
	if !FastPaths || !ok || r == 0 || !equalInts(p.startIndexMap, []int{0}) || !equalInts(p.collapsedSlicesAxes, []int{0}) ||
		p.sliceSizes[0] != 1 || !equalInts(p.sliceSizes[1:], od[1:]) ||
		!consecutive(p.offsetOutputAxes, len(batch), r-1) ||
		!equalInts(node.shape.Dimensions, append(append([]int{}, batch...), od[1:]...)) {
		return execGather(backend, node, inputs, inputsOwned)
	}
	FastPathHits[backends.OpTypeGather].Add(1)
	output := backend.getBufferForShape(node.shape)
	if node.shape.Size() == 0 {
		return output, nil
	}
	src, dst := operand.mutableBytes(), output.mutableBytes()
	rowBytes := len(src) / od[0]
	for i := range count {
		j := min(max(idx(i), 0), od[0]-1) // XLA clamps start indices
		copy(dst[i*rowBytes:(i+1)*rowBytes], src[j*rowBytes:(j+1)*rowBytes])
	}
	return output, nil
}

// fastScatterSum: output = operand; output[idx[b...], rest...] += updates[b..., rest...]
// (out-of-range indices are skipped, as in XLA). float32 only.
func fastScatterSum(backend *Backend, node *Node, inputs []*Buffer, inputsOwned []bool) (*Buffer, error) {
	operand, indices, updates := inputs[0], inputs[1], inputs[2]
	p := node.data.(*scatterNode)
	od := operand.shape.Dimensions
	r := len(od)
	idx, count, batch, ok := rowIndices(indices, p.indexVectorAxis)
	if !FastPaths || !ok || r == 0 || operand.shape.DType != dtypes.Float32 ||
		!equalInts(p.scatterAxesToOperandAxes, []int{0}) || !equalInts(p.insertedWindowAxes, []int{0}) ||
		!consecutive(p.updateWindowAxes, len(batch), r-1) ||
		!equalInts(updates.shape.Dimensions, append(append([]int{}, batch...), od[1:]...)) {
		return execScatter(backend, node, inputs, inputsOwned)
	}
	FastPathHits[backends.OpTypeScatterSum].Add(1)
	var output *Buffer
	if inputsOwned[0] {
		output = operand
		inputs[0] = nil
	} else {
		output = backend.cloneBuffer(operand)
	}
	output.shape = node.shape
	out, upd := output.flat.([]float32), updates.flat.([]float32)
	if len(out) == 0 {
		return output, nil
	}
	row := len(out) / od[0]
	for i := range count {
		j := idx(i)
		if j < 0 || j >= od[0] {
			continue
		}
		o, u := out[j*row:(j+1)*row], upd[i*row:(i+1)*row]
		for k := range o {
			o[k] += u[k]
		}
	}
	return output, nil
}

// fastBroadcastInDim copies the operand along a strided walk of the output.
func fastBroadcastInDim(backend *Backend, node *Node, inputs []*Buffer, inputsOwned []bool) (*Buffer, error) {
	operand := inputs[0]
	if !FastPaths || operand.shape.DType != dtypes.Float32 || operand.shape.Size() == 1 {
		return execBroadcastInDim(backend, node, inputs, inputsOwned)
	}
	axes := node.data.([]int)
	outDims := node.shape.Dimensions
	opStrides := rowMajorStrides(operand.shape.Dimensions)
	strides := make([]int, len(outDims))
	for i, a := range axes {
		if operand.shape.Dimensions[i] == outDims[a] {
			strides[a] = opStrides[i]
		}
	}
	FastPathHits[backends.OpTypeBroadcastInDim].Add(1)
	output := backend.getBufferForShape(node.shape)
	out, in := output.flat.([]float32), operand.flat.([]float32)
	newWalk(outDims, rowMajorStrides(outDims), strides).run(func(t tile) {
		for i := range t.n0 {
			o := out[t.off[0]+i*t.step0[0]:][:t.n1]
			src := t.off[1] + i*t.step0[1]
			switch t.step1[1] {
			case 0:
				v := in[src]
				for k := range o {
					o[k] = v
				}
			case 1:
				copy(o, in[src:src+t.n1])
			default:
				for k := range o {
					o[k] = in[src+k*t.step1[1]]
				}
			}
		}
	})
	return output, nil
}

// fastReduce implements ReduceSum/Max/Min over any axes of a float32 tensor.
func fastReduce(backend *Backend, node *Node, inputs []*Buffer, inputsOwned []bool) (*Buffer, error) {
	operand := inputs[0]
	axes := node.data.([]int)
	if !FastPaths || operand.shape.DType != dtypes.Float32 || len(axes) == 0 {
		return execReduce(backend, node, inputs, inputsOwned)
	}
	FastPathHits[node.opType].Add(1)
	dims := operand.shape.Dimensions
	reduced := make([]bool, len(dims))
	for _, a := range axes {
		reduced[a] = true
	}
	outStrides := make([]int, len(dims))
	acc := 1
	for a := len(dims) - 1; a >= 0; a-- {
		if !reduced[a] {
			outStrides[a] = acc
			acc *= dims[a]
		}
	}
	output := backend.getBufferForShape(node.shape)
	out, in := output.flat.([]float32), operand.flat.([]float32)
	op := node.opType
	init := float32(0)
	switch op {
	case backends.OpTypeReduceMax:
		init = float32(math.Inf(-1))
	case backends.OpTypeReduceMin:
		init = float32(math.Inf(1))
	}
	for i := range out {
		out[i] = init
	}
	if len(in) == 0 {
		return output, nil
	}
	newWalk(dims, outStrides, rowMajorStrides(dims)).run(func(t tile) {
		if op == backends.OpTypeReduceSum && t.step1[0] == 1 && t.step1[1] == 1 {
			sumRowsInto(out, t.off[0], t.step0[0], in, t.off[1], t.step0[1], t.n0, t.n1)
			return
		}
		for i := range t.n0 {
			reduceRow(op, out, t.off[0]+i*t.step0[0], t.step1[0], in, t.off[1]+i*t.step0[1], t.step1[1], t.n1)
		}
	})
	return output, nil
}

// reduceRow folds n input elements in[io + k*is] into out[oo + k*os] (into
// out[oo] alone when os is 0).
func reduceRow(op backends.OpType, out []float32, oo, os int, in []float32, io, is, n int) {
	if os == 0 {
		s := out[oo]
		switch op {
		case backends.OpTypeReduceSum:
			s += sumStrided(in[io:], n, is)
		case backends.OpTypeReduceMax:
			for k := range n {
				if v := in[io+k*is]; v > s || v != v {
					s = v
				}
			}
		default:
			for k := range n {
				if v := in[io+k*is]; v < s || v != v {
					s = v
				}
			}
		}
		out[oo] = s
		return
	}
	if os == 1 && is == 1 {
		o, x := out[oo:oo+n], in[io:io+n]
		switch op {
		case backends.OpTypeReduceSum:
			for k := range o {
				o[k] += x[k]
			}
		case backends.OpTypeReduceMax:
			for k := range o {
				if x[k] > o[k] || x[k] != x[k] {
					o[k] = x[k]
				}
			}
		default:
			for k := range o {
				if x[k] < o[k] || x[k] != x[k] {
					o[k] = x[k]
				}
			}
		}
		return
	}
	for k := range n {
		v, j := in[io+k*is], oo+k*os
		switch op {
		case backends.OpTypeReduceSum:
			out[j] += v
		case backends.OpTypeReduceMax:
			if v > out[j] || v != v {
				out[j] = v
			}
		default:
			if v < out[j] || v != v {
				out[j] = v
			}
		}
	}
}

// sumRowsInto adds n0 contiguous rows of n1 inputs (row i at io + i*is0)
// into output rows (row i at oo + i*os0; os0 = 0 accumulates every row
// into one): the common ReduceSum tiles (batch-norm statistics, the
// depthwise weight gradient) without a call per row.
func sumRowsInto(out []float32, oo, os0 int, in []float32, io, is0, n0, n1 int) {
	for i := range n0 {
		o := out[oo+i*os0:][:n1]
		x := in[io+i*is0:][:n1]
		for k := range o {
			o[k] += x[k]
		}
	}
}

// sumStrided sums x[0], x[step], ..., x[(n-1)*step] (four accumulators when
// contiguous).
func sumStrided(x []float32, n, step int) float32 {
	var s0, s1, s2, s3 float32
	if step == 1 {
		x = x[:n]
		k := 0
		for ; k+4 <= n; k += 4 {
			s0 += x[k]
			s1 += x[k+1]
			s2 += x[k+2]
			s3 += x[k+3]
		}
		for ; k < n; k++ {
			s0 += x[k]
		}
		return (s0 + s1) + (s2 + s3)
	}
	for k := range n {
		s0 += x[k*step]
	}
	return s0
}

// fastBinary handles float32 binary ops whose operands are broadcast
// (same rank, some dimensions 1) with a strided walk; equal shapes and
// scalars keep the generic (already flat) loops.
func fastBinary(op backends.OpType, generic nodeExecutor) nodeExecutor {
	return func(backend *Backend, node *Node, inputs []*Buffer, inputsOwned []bool) (*Buffer, error) {
		lhs, rhs := inputs[0], inputs[1]
		if !FastPaths || lhs.shape.DType != dtypes.Float32 || lhs.shape.Equal(rhs.shape) || lhs.shape.Size() == 1 || rhs.shape.Size() == 1 ||
			lhs.shape.Rank() != node.shape.Rank() || rhs.shape.Rank() != node.shape.Rank() {
			return generic(backend, node, inputs, inputsOwned)
		}
		FastPathHits[op].Add(1)
		outDims := node.shape.Dimensions
		broadcastStrides := func(d []int) []int {
			s := rowMajorStrides(d)
			for a := range d {
				if d[a] != outDims[a] {
					s[a] = 0
				}
			}
			return s
		}
		ls, rs := broadcastStrides(lhs.shape.Dimensions), broadcastStrides(rhs.shape.Dimensions)
		a, b := lhs.flat.([]float32), rhs.flat.([]float32)
		// The output may reuse an owned operand of the output's shape: its
		// strides are the output's, so each element is read before it is written.
		_, _, output, _, _ := binaryOperandsAndOutput(backend, inputs, inputsOwned, node.shape)
		out := output.flat.([]float32)
		newWalk(outDims, rowMajorStrides(outDims), ls, rs).run(func(t tile) {
			if binaryTile(op, out, a, b, t) {
				return
			}
			for i := range t.n0 {
				binaryRun(op, out[t.off[0]+i*t.step0[0]:][:t.n1],
					a, t.off[1]+i*t.step0[1], t.step1[1], b, t.off[2]+i*t.step0[2], t.step1[2])
			}
		})
		return output, nil
	}
}

// binaryTile computes a whole tile of Add, Sub or Mul whose rows are
// contiguous in the output and in both operands, or contiguous in one and
// constant along the row in the other; it reports false for any other tile.
func binaryTile(op backends.OpType, out, a, b []float32, t tile) bool {
	n1 := t.n1
	oo, ao, bo := t.off[0], t.off[1], t.off[2]
	os, as, bs := t.step0[0], t.step0[1], t.step0[2]
	if t.step1[0] != 1 {
		return false
	}
	switch {
	case t.step1[1] == 1 && t.step1[2] == 1:
		switch op {
		case backends.OpTypeAdd:
			for i := range t.n0 {
				o, x, y := out[oo+i*os:][:n1], a[ao+i*as:][:n1], b[bo+i*bs:][:n1]
				for k := range o {
					o[k] = x[k] + y[k]
				}
			}
		case backends.OpTypeSub:
			for i := range t.n0 {
				o, x, y := out[oo+i*os:][:n1], a[ao+i*as:][:n1], b[bo+i*bs:][:n1]
				for k := range o {
					o[k] = x[k] - y[k]
				}
			}
		case backends.OpTypeMul:
			for i := range t.n0 {
				o, x, y := out[oo+i*os:][:n1], a[ao+i*as:][:n1], b[bo+i*bs:][:n1]
				for k := range o {
					o[k] = x[k] * y[k]
				}
			}
		default:
			return false
		}
	case t.step1[1] == 1 && t.step1[2] == 0:
		switch op {
		case backends.OpTypeAdd:
			for i := range t.n0 {
				o, x, c := out[oo+i*os:][:n1], a[ao+i*as:][:n1], b[bo+i*bs]
				for k := range o {
					o[k] = x[k] + c
				}
			}
		case backends.OpTypeSub:
			for i := range t.n0 {
				o, x, c := out[oo+i*os:][:n1], a[ao+i*as:][:n1], b[bo+i*bs]
				for k := range o {
					o[k] = x[k] - c
				}
			}
		case backends.OpTypeMul:
			for i := range t.n0 {
				o, x, c := out[oo+i*os:][:n1], a[ao+i*as:][:n1], b[bo+i*bs]
				for k := range o {
					o[k] = x[k] * c
				}
			}
		default:
			return false
		}
	case t.step1[1] == 0 && t.step1[2] == 1:
		switch op {
		case backends.OpTypeAdd:
			for i := range t.n0 {
				o, c, y := out[oo+i*os:][:n1], a[ao+i*as], b[bo+i*bs:][:n1]
				for k := range o {
					o[k] = c + y[k]
				}
			}
		case backends.OpTypeSub:
			for i := range t.n0 {
				o, c, y := out[oo+i*os:][:n1], a[ao+i*as], b[bo+i*bs:][:n1]
				for k := range o {
					o[k] = c - y[k]
				}
			}
		case backends.OpTypeMul:
			for i := range t.n0 {
				o, c, y := out[oo+i*os:][:n1], a[ao+i*as], b[bo+i*bs:][:n1]
				for k := range o {
					o[k] = c * y[k]
				}
			}
		default:
			return false
		}
	default:
		return false
	}
	return true
}

// binaryRun computes o[k] = a[ia + k*sa] op b[ib + k*sb].
func binaryRun(op backends.OpType, o, a []float32, ia, sa int, b []float32, ib, sb int) {
	n := len(o)
	switch {
	case sa == 1 && sb == 0:
		x, c := a[ia:ia+n], b[ib]
		switch op {
		case backends.OpTypeAdd:
			for k := range o {
				o[k] = x[k] + c
			}
		case backends.OpTypeSub:
			for k := range o {
				o[k] = x[k] - c
			}
		case backends.OpTypeMul:
			for k := range o {
				o[k] = x[k] * c
			}
		case backends.OpTypeDiv:
			for k := range o {
				o[k] = x[k] / c
			}
		default:
			for k := range o {
				o[k] = binaryScalar(op, x[k], c)
			}
		}
	case sa == 0 && sb == 1:
		c, y := a[ia], b[ib:ib+n]
		switch op {
		case backends.OpTypeAdd:
			for k := range o {
				o[k] = c + y[k]
			}
		case backends.OpTypeSub:
			for k := range o {
				o[k] = c - y[k]
			}
		case backends.OpTypeMul:
			for k := range o {
				o[k] = c * y[k]
			}
		default:
			for k := range o {
				o[k] = binaryScalar(op, c, y[k])
			}
		}
	case sa == 1 && sb == 1:
		x, y := a[ia:ia+n], b[ib:ib+n]
		switch op {
		case backends.OpTypeAdd:
			for k := range o {
				o[k] = x[k] + y[k]
			}
		case backends.OpTypeSub:
			for k := range o {
				o[k] = x[k] - y[k]
			}
		case backends.OpTypeMul:
			for k := range o {
				o[k] = x[k] * y[k]
			}
		default:
			for k := range o {
				o[k] = binaryScalar(op, x[k], y[k])
			}
		}
	default:
		for k := range o {
			o[k] = binaryScalar(op, a[ia+k*sa], b[ib+k*sb])
		}
	}
}

// binaryScalar is one element of a binary op, with the generic kernels'
// semantics (Max/Min as in Go's max/min for float32: NaN propagates).
func binaryScalar(op backends.OpType, x, y float32) float32 {
	switch op {
	case backends.OpTypeAdd:
		return x + y
	case backends.OpTypeSub:
		return x - y
	case backends.OpTypeMul:
		return x * y
	case backends.OpTypeDiv:
		return x / y
	case backends.OpTypeMax:
		return max(x, y)
	default:
		return min(x, y)
	}
}

// Width limits of the row-loop matmuls, from BenchmarkTrapnetDotGeneral
// (M = 32768, 2 cores): at K = N = 16 all three are 2.5-3x faster than the
// blocked kernel; at 32 and 64, A·B and A·Bᵀ are even or slower (they run on
// one core, the blocked kernel on all), while Aᵀ·B stays ~1.8x faster.
const (
	skinnyDotLimit = 24 // A·B and A·Bᵀ: both the contracting and output widths
	tnDotLimit     = 64 // Aᵀ·B: both output widths
)

// fastDotGeneral handles rank-2 float32 DotGeneral without batch axes when the
// widths are within the limits above: A·B, A·Bᵀ and Aᵀ·B as row loops.
func fastDotGeneral(backend *Backend, node *Node, inputs []*Buffer, inputsOwned []bool) (*Buffer, error) {
	lhs, rhs := inputs[0], inputs[1]
	p := node.data.(*dotGeneralNodeData)
	if !FastPaths || lhs.shape.DType != dtypes.Float32 || lhs.shape.Rank() != 2 || rhs.shape.Rank() != 2 ||
		len(p.lhsBatchAxes) != 0 || len(p.lhsContractingAxes) != 1 || len(p.rhsContractingAxes) != 1 {
		return execDotGeneral(backend, node, inputs, inputsOwned)
	}
	lc, rc := p.lhsContractingAxes[0], p.rhsContractingAxes[0]
	ld, rd := lhs.shape.Dimensions, rhs.shape.Dimensions
	a, b := lhs.flat.([]float32), rhs.flat.([]float32)
	switch {
	case lc == 1 && rc == 0 && ld[1] <= skinnyDotLimit && rd[1] <= skinnyDotLimit: // [M,K]·[K,N]
		FastPathHits[backends.OpTypeDotGeneral].Add(1)
		output := backend.getBufferForShape(node.shape)
		matMulNN(output.flat.([]float32), a, b, ld[0], ld[1], rd[1])
		return output, nil
	case lc == 1 && rc == 1 && ld[1] <= skinnyDotLimit && rd[0] <= skinnyDotLimit: // [M,N]·[K,N]ᵀ
		FastPathHits[backends.OpTypeDotGeneral].Add(1)
		output := backend.getBufferForShape(node.shape)
		matMulNT(output.flat.([]float32), a, b, ld[0], ld[1], rd[0])
		return output, nil
	case lc == 0 && rc == 0 && ld[1] <= tnDotLimit && rd[1] <= tnDotLimit: // [M,K]ᵀ·[M,N]
		FastPathHits[backends.OpTypeDotGeneral].Add(1)
		output := backend.getBufferForShape(node.shape)
		matMulTN(output.flat.([]float32), a, b, ld[0], ld[1], rd[1])
		return output, nil
	}
	return execDotGeneral(backend, node, inputs, inputsOwned)
}

// matMulNN: out[M,N] = a[M,K]·b[K,N].
func matMulNN(out, a, b []float32, m, k, n int) {
	for i := range m {
		o := out[i*n : (i+1)*n]
		for j := range o {
			o[j] = 0
		}
		ar := a[i*k : (i+1)*k]
		for kk, av := range ar {
			br := b[kk*n : (kk+1)*n]
			br = br[:len(o)]
			for j := range o {
				o[j] += av * br[j]
			}
		}
	}
}

// matMulNT: out[M,K] = a[M,N]·b[K,N]ᵀ.
func matMulNT(out, a, b []float32, m, n, k int) {
	for i := range m {
		ar := a[i*n : (i+1)*n]
		o := out[i*k : (i+1)*k]
		for j := range o {
			br := b[j*n : (j+1)*n]
			br = br[:len(ar)]
			var s0, s1, s2, s3 float32
			t := 0
			for ; t+4 <= len(ar); t += 4 {
				s0 += ar[t] * br[t]
				s1 += ar[t+1] * br[t+1]
				s2 += ar[t+2] * br[t+2]
				s3 += ar[t+3] * br[t+3]
			}
			for ; t < len(ar); t++ {
				s0 += ar[t] * br[t]
			}
			o[j] = (s0 + s1) + (s2 + s3)
		}
	}
}

// matMulTN: out[K,N] = a[M,K]ᵀ·b[M,N].
func matMulTN(out, a, b []float32, m, k, n int) {
	for j := range out {
		out[j] = 0
	}
	for i := range m {
		ar := a[i*k : (i+1)*k]
		br := b[i*n : (i+1)*n]
		for kk, av := range ar {
			o := out[kk*n : (kk+1)*n]
			o = o[:len(br)]
			for j := range o {
				o[j] += av * br[j]
			}
		}
	}
}

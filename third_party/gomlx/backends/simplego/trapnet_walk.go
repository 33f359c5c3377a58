package simplego

// trapnet fork: a strided walk over up to three tensors (an output and two
// operands) in row-major order of a shared iteration space. It replaces the
// per-element index iterators (broadcastIterator, reduceOutputIterator) of
// the generic kernels with runs along the innermost axis: the kernels in
// trapnet_fast.go do their arithmetic on whole runs.

// maxWalkOperands is the number of tensors a walk tracks.
const maxWalkOperands = 3

// walk is an iteration space (dims) and, per tracked tensor, the stride of
// each axis in elements (0 for an axis the tensor is broadcast along or
// reduced over).
type walk struct {
	dims    []int
	strides [maxWalkOperands][]int
}

// rowMajorStrides returns the strides of a dense row-major tensor.
func rowMajorStrides(dims []int) []int {
	s := make([]int, len(dims))
	acc := 1
	for a := len(dims) - 1; a >= 0; a-- {
		s[a] = acc
		acc *= dims[a]
	}
	return s
}

// newWalk builds a walk over dims with the given per-tensor strides (unused
// tensors may be nil). Axes of size 1 are dropped and neighbouring axes that
// every tensor traverses contiguously are merged, so the innermost run is as
// long as possible.
func newWalk(dims []int, strides ...[]int) walk {
	var w walk
	n := len(strides)
	for a, d := range dims {
		if d == 1 {
			continue
		}
		if k := len(w.dims); k > 0 {
			mergeable := true
			for t := 0; t < n; t++ {
				if w.strides[t][k-1] != strides[t][a]*d {
					mergeable = false
					break
				}
			}
			if mergeable {
				w.dims[k-1] *= d
				for t := 0; t < n; t++ {
					w.strides[t][k-1] = strides[t][a]
				}
				continue
			}
		}
		w.dims = append(w.dims, d)
		for t := 0; t < n; t++ {
			w.strides[t] = append(w.strides[t], strides[t][a])
		}
	}
	for t := n; t < maxWalkOperands; t++ {
		w.strides[t] = make([]int, len(w.dims))
	}
	return w
}

// tile is one call's share of a walk: n0 x n1 elements, where tensor t's
// element (i, j) is at off[t] + i*step0[t] + j*step1[t]. Kernels loop over
// a tile themselves, so short innermost axes do not cost a call each.
type tile struct {
	off, step0, step1 [maxWalkOperands]int
	n0, n1            int
}

// run calls fn once per tile: the two innermost axes of the walk (or one
// row when it has a single axis).
func (w walk) run(fn func(t tile)) {
	rank := len(w.dims)
	var t tile
	t.n0, t.n1 = 1, 1
	switch rank {
	case 0: // a single element
		fn(t)
		return
	case 1:
		t.n1 = w.dims[0]
		for k := range maxWalkOperands {
			t.step1[k] = w.strides[k][0]
		}
		fn(t)
		return
	}
	in0, in1 := rank-2, rank-1
	t.n0, t.n1 = w.dims[in0], w.dims[in1]
	for k := range maxWalkOperands {
		t.step0[k], t.step1[k] = w.strides[k][in0], w.strides[k][in1]
	}
	outer := in0
	if outer == 0 {
		fn(t)
		return
	}
	counter := make([]int, outer)
	for {
		fn(t)
		a := outer - 1
		for ; a >= 0; a-- {
			counter[a]++
			for k := range maxWalkOperands {
				t.off[k] += w.strides[k][a]
			}
			if counter[a] < w.dims[a] {
				break
			}
			for k := range maxWalkOperands {
				t.off[k] -= w.strides[k][a] * w.dims[a]
			}
			counter[a] = 0
		}
		if a < 0 {
			return
		}
	}
}

package ir

import (
	"errors"
	"fmt"
	"slices"
)

// outSize is the TensorFlow output size of a windowed op.
func outSize(n, k, s, d int, p Padding) (int, error) {
	if k < 1 || s < 1 || d < 1 {
		return 0, fmt.Errorf("kernel %d, stride %d, dilation %d must be >= 1", k, s, d)
	}
	switch p {
	case Same:
		return (n + s - 1) / s, nil
	case Valid:
		ek := (k-1)*d + 1
		if n < ek {
			return 0, fmt.Errorf("VALID window %d larger than input %d", ek, n)
		}
		return (n-ek)/s + 1, nil
	}
	return 0, fmt.Errorf("unknown padding %q", p)
}

// padBefore is the TensorFlow padding before the first element.
func padBefore(n, k, s, d int, p Padding) int {
	if p != Same {
		return 0
	}
	out := (n + s - 1) / s
	return max((out-1)*s+(k-1)*d+1-n, 0) / 2
}

func broadcastShape(a, b []int) ([]int, error) {
	r := max(len(a), len(b))
	out := make([]int, r)
	for i := 1; i <= r; i++ {
		da, db := 1, 1
		if i <= len(a) {
			da = a[len(a)-i]
		}
		if i <= len(b) {
			db = b[len(b)-i]
		}
		switch {
		case da == db, db == 1:
			out[r-i] = da
		case da == 1:
			out[r-i] = db
		default:
			return nil, fmt.Errorf("shapes %v and %v do not broadcast", a, b)
		}
	}
	return out, nil
}

func concatShape(in [][]int, axis int) ([]int, error) {
	r := len(in[0])
	if axis < 0 {
		axis += r
	}
	if axis < 0 || axis >= r {
		return nil, fmt.Errorf("axis out of range for rank %d", r)
	}
	out := slices.Clone(in[0])
	for _, s := range in[1:] {
		if len(s) != r {
			return nil, fmt.Errorf("operands of rank %d and %d", r, len(s))
		}
		for d := range s {
			if d != axis && s[d] != out[d] {
				return nil, fmt.Errorf("operand shapes %v and %v differ off axis %d", in[0], s, axis)
			}
		}
		out[axis] += s[axis]
	}
	return out, nil
}

func reshapeShape(x, shape []int) ([]int, error) {
	if len(shape) < 1 {
		return nil, errors.New("reshape needs a target shape")
	}
	out := slices.Clone(shape)
	out[0] = x[0]
	known, free := 1, -1
	for i, d := range out {
		switch {
		case d == -1 && free < 0 && i > 0:
			free = i
		case d >= 1:
			known *= d
		default:
			return nil, fmt.Errorf("bad target shape %v", shape)
		}
	}
	total := numElements(x)
	if free >= 0 {
		if total%known != 0 {
			return nil, fmt.Errorf("cannot reshape %v to %v", x, shape)
		}
		out[free] = total / known
	}
	if numElements(out) != total {
		return nil, fmt.Errorf("cannot reshape %v to %v", x, shape)
	}
	return out, nil
}

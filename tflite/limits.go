package tflite

import "fmt"

// Limits on operator parameters and on the work of one Invoke, checked when
// an interpreter is built, so a hostile or damaged model is refused at load
// time instead of hanging Invoke (e.g. a pooling filter two billion cells
// wide) or overflowing index arithmetic on 32-bit boards.
const (
	// maxWindowParam bounds filter sizes, strides and dilations.
	maxWindowParam = 1 << 16
	// maxSpan bounds a filter's dilated extent, (k-1)*dilation+1.
	maxSpan = 1 << 20
	// DefaultMaxWork is the default bound on one Invoke's work (see
	// InterpreterOptions.MaxWork): about 17 G multiply-accumulates, tens of
	// seconds on a Raspberry Pi-class board.
	DefaultMaxWork = 1 << 34
)

// checkWindowParams checks one spatial dimension's filter size, stride and
// dilation against the bounds and the input size.
func checkWindowParams(in, k, stride, dil int) error {
	if stride < 1 || dil < 1 || k < 1 {
		return fmt.Errorf("invalid stride %d, dilation %d or filter size %d", stride, dil, k)
	}
	if k > maxWindowParam || stride > maxWindowParam || dil > maxWindowParam {
		return fmt.Errorf("filter size %d, stride %d or dilation %d exceeds %d", k, stride, dil, maxWindowParam)
	}
	if int64(k-1)*int64(dil)+1 > maxSpan {
		return fmt.Errorf("filter size %d with dilation %d spans more than %d cells", k, dil, maxSpan)
	}
	if in < 1 {
		return fmt.Errorf("input size %d", in)
	}
	return nil
}

// addWork accounts the product of n (multiply-accumulates or reads of one
// operator) against the Invoke work limit, saturating instead of
// overflowing.
func (it *Interpreter) addWork(n ...int) error {
	w := int64(1)
	for _, v := range n {
		if v < 0 {
			return fmt.Errorf("negative size %d", v)
		}
		if v != 0 && w > it.maxWork/int64(v) {
			w = it.maxWork + 1
			break
		}
		w *= int64(v)
	}
	it.work += w
	if it.work > it.maxWork {
		return fmt.Errorf("the model needs more than %d operations per run (InterpreterOptions.MaxWork)", it.maxWork)
	}
	return nil
}

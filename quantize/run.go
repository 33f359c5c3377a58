package quantize

import (
	"errors"
	"fmt"
	"sync"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/tflite"
)

// RunTFLite runs a batch through a batch-1 TFLite interpreter one sample at a
// time: inputs are float tensors [N,...] in the model's input order (int8
// inputs are quantised with their tensor's parameters), and the result is
// the float output [N,K] (an int8 output is dequantised).
func RunTFLite(it *tflite.Interpreter, inputs ...*ir.Tensor) (*ir.Tensor, error) {
	if len(inputs) != it.NumInputs() || len(inputs) == 0 {
		return nil, fmt.Errorf("quantize: %d inputs for a model with %d", len(inputs), it.NumInputs())
	}
	n := inputs[0].Shape[0]
	ins := make([]tflite.Tensor, len(inputs))
	for i, in := range inputs {
		t, err := it.InputTensor(i)
		if err != nil {
			return nil, err
		}
		if in.Shape[0] != n || len(in.Data) != n*t.NumElements() {
			return nil, fmt.Errorf("quantize: input %d has shape %v, model wants %v per sample", i, in.Shape, t.Shape)
		}
		ins[i] = t
	}
	ot, err := it.OutputTensor(0)
	if err != nil {
		return nil, err
	}
	k := ot.NumElements()
	out := ir.NewTensor(n, k)
	var scratch []int8
	for s := range n {
		for i, in := range inputs {
			per := ins[i].NumElements()
			x := in.Data[s*per : (s+1)*per]
			switch ins[i].Type {
			case tflite.Float32:
				err = it.SetInputFloat32(i, x)
			case tflite.Int8:
				p, perr := tensorParams(ins[i])
				if perr != nil {
					return nil, perr
				}
				scratch = scratch[:0]
				for _, v := range x {
					scratch = append(scratch, p.Quantize(v))
				}
				err = it.SetInputInt8(i, scratch)
			default:
				err = fmt.Errorf("quantize: input %d has type %v", i, ins[i].Type)
			}
			if err != nil {
				return nil, err
			}
		}
		if err := it.Invoke(); err != nil {
			return nil, err
		}
		dst := out.Data[s*k : (s+1)*k]
		switch ot.Type {
		case tflite.Float32:
			y, err := it.OutputFloat32(0)
			if err != nil {
				return nil, err
			}
			copy(dst, y)
		case tflite.Int8:
			y, err := it.OutputInt8(0)
			if err != nil {
				return nil, err
			}
			p, err := tensorParams(ot)
			if err != nil {
				return nil, err
			}
			for j, q := range y {
				dst[j] = p.Dequantize(q)
			}
		default:
			return nil, fmt.Errorf("quantize: output has type %v", ot.Type)
		}
	}
	return out, nil
}

func tensorParams(t tflite.Tensor) (Params, error) {
	if t.Quant == nil || len(t.Quant.Scale) != 1 || len(t.Quant.ZeroPoint) != 1 {
		return Params{}, fmt.Errorf("quantize: tensor %q has no per-tensor quantisation", t.Name)
	}
	return Params{Scale: t.Quant.Scale[0], ZeroPoint: int32(t.Quant.ZeroPoint[0])}, nil
}

// Runner runs a TFLite model on batches with one batch-1 interpreter per
// worker, splitting each batch into contiguous chunks.
type Runner struct {
	its []*tflite.Interpreter
}

// NewRunner validates m once per worker (workers < 1 means 1).
func NewRunner(m *tflite.Model, workers int) (*Runner, error) {
	r := &Runner{}
	for range max(workers, 1) {
		it, err := tflite.NewInterpreter(m, tflite.InterpreterOptions{})
		if err != nil {
			return nil, err
		}
		r.its = append(r.its, it)
	}
	return r, nil
}

// Run is RunTFLite spread over the workers.
func (r *Runner) Run(inputs ...*ir.Tensor) (*ir.Tensor, error) {
	if len(inputs) == 0 || inputs[0] == nil || len(inputs[0].Shape) == 0 {
		return nil, fmt.Errorf("quantize: no inputs")
	}
	n := inputs[0].Shape[0]
	for j, in := range inputs {
		if in == nil || len(in.Shape) == 0 || in.Shape[0] != n || n < 1 || len(in.Data)%n != 0 {
			return nil, fmt.Errorf("quantize: input %d is not a batch of %d", j, n)
		}
	}
	w := min(len(r.its), n)
	parts := make([]*ir.Tensor, w)
	errs := make([]error, w)
	var wg sync.WaitGroup
	for i := range w {
		lo, hi := i*n/w, (i+1)*n/w
		sub := make([]*ir.Tensor, len(inputs))
		for j, in := range inputs {
			per := len(in.Data) / n
			shape := append([]int{hi - lo}, in.Shape[1:]...)
			sub[j] = &ir.Tensor{Shape: shape, Data: in.Data[lo*per : hi*per]}
		}
		wg.Go(func() { parts[i], errs[i] = RunTFLite(r.its[i], sub...) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	k := parts[0].Shape[1]
	out := ir.NewTensor(n, k)
	pos := 0
	for _, p := range parts {
		pos += copy(out.Data[pos:], p.Data)
	}
	return out, nil
}

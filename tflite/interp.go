package tflite

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
)

// DefaultMaxArenaBytes is the default bound on an interpreter's activation memory.
const DefaultMaxArenaBytes = 256 << 20

// InterpreterOptions configure NewInterpreter.
type InterpreterOptions struct {
	// MaxArenaBytes bounds the memory preallocated for activations and kernel
	// scratch space; 0 means DefaultMaxArenaBytes.
	MaxArenaBytes int64
	// Threads is the number of goroutines one Invoke may use for CONV_2D and
	// DEPTHWISE_CONV_2D (split over output rows); 0 or 1 runs everything on the
	// calling goroutine. Results do not depend on it.
	Threads int
	// MaxWork bounds the work of one Invoke (multiply-accumulates of
	// convolutions and fully connected layers, cells read by pooling);
	// a model needing more is refused. 0 means DefaultMaxWork.
	MaxWork int64
}

// maxThreads bounds InterpreterOptions.Threads.
const maxThreads = 64

// tensorBuf is the interpreter's view of one tensor: decoded constants or a
// preallocated activation buffer, plus per-tensor quantisation parameters.
type tensorBuf struct {
	name    string
	shape   []int
	typ     TensorType
	f32     []float32
	i8      []int8
	i32     []int32
	scale   float32 // Quant.Scale[0]
	zp      int32   // Quant.ZeroPoint[0]
	scales  []float32
	zps     []int64
	qdim    int
	isConst bool
}

func (t *tensorBuf) numel() int { return numel(t.shape) }

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// Interpreter runs a validated Model. It is not safe for concurrent use.
type Interpreter struct {
	m       *Model
	t       []tensorBuf
	steps   []func()
	inputs  []int
	outputs []int
	arena   int64
	limit   int64
	threads int
	// work accounts one Invoke's operations against maxWork.
	work, maxWork int64
}

// NewInterpreter validates m (shapes, types, quantisation parameters, buffer
// sizes, operator options, execution order) and preallocates every activation.
// m must not be modified while the interpreter is in use.
func NewInterpreter(m *Model, opts InterpreterOptions) (*Interpreter, error) {
	if m == nil {
		return nil, errors.New("tflite: nil model")
	}
	it := &Interpreter{m: m, limit: opts.MaxArenaBytes, threads: max(1, min(opts.Threads, maxThreads))}
	if it.limit <= 0 {
		it.limit = DefaultMaxArenaBytes
	}
	it.maxWork = opts.MaxWork
	if it.maxWork <= 0 {
		it.maxWork = DefaultMaxWork
	}
	if err := it.setup(); err != nil {
		return nil, fmt.Errorf("tflite: %w", err)
	}
	return it, nil
}

func (it *Interpreter) setup() error {
	m := it.m
	if err := checkIndices(m); err != nil {
		return err
	}
	if len(m.Buffers) == 0 {
		return errors.New("model has no buffers (buffer 0 sentinel missing)")
	}
	it.t = make([]tensorBuf, len(m.Tensors))
	for i := range m.Tensors {
		if err := it.loadTensor(i); err != nil {
			return fmt.Errorf("tensor %d %q: %w", i, m.Tensors[i].Name, err)
		}
	}
	produced := make([]bool, len(m.Tensors))
	for _, x := range m.Inputs {
		if it.t[x].isConst || produced[x] {
			return fmt.Errorf("graph input %d is constant or repeated", x)
		}
		produced[x] = true
		it.inputs = append(it.inputs, int(x))
	}
	for i := range m.Operators {
		op := &m.Operators[i]
		for _, x := range op.Inputs {
			if x >= 0 && !it.t[x].isConst && !produced[x] {
				return fmt.Errorf("operator %d (%v): input tensor %d is used before it is computed (graph order or cycle)", i, op.Op, x)
			}
		}
		for _, x := range op.Outputs {
			if it.t[x].isConst || produced[x] {
				return fmt.Errorf("operator %d (%v): output tensor %d is constant or already written", i, op.Op, x)
			}
			produced[x] = true
			if err := it.alloc(int(x)); err != nil {
				return fmt.Errorf("operator %d (%v): %w", i, op.Op, err)
			}
		}
		step, err := it.compile(op)
		if err != nil {
			return fmt.Errorf("operator %d (%v): %w", i, op.Op, err)
		}
		it.steps = append(it.steps, step)
	}
	for _, x := range m.Outputs {
		if !produced[x] {
			return fmt.Errorf("graph output %d is never computed", x)
		}
		it.outputs = append(it.outputs, int(x))
	}
	for _, x := range it.inputs {
		if err := it.alloc(x); err != nil {
			return err
		}
	}
	return nil
}

// reserve accounts n bytes against the arena limit.
func (it *Interpreter) reserve(n int64) error {
	it.arena += n
	if n < 0 || it.arena > it.limit {
		return fmt.Errorf("activation memory exceeds the limit of %d bytes", it.limit)
	}
	return nil
}

// alloc preallocates the activation buffer of tensor x.
func (it *Interpreter) alloc(x int) error {
	t := &it.t[x]
	if t.f32 != nil || t.i8 != nil {
		return nil
	}
	n := t.numel()
	if err := it.reserve(int64(n) * int64(t.typ.Size())); err != nil {
		return fmt.Errorf("tensor %d %q: %w", x, t.name, err)
	}
	switch t.typ {
	case Float32:
		t.f32 = make([]float32, n)
	case Int8:
		t.i8 = make([]int8, n)
	default:
		return fmt.Errorf("tensor %d %q: activations of type %v not supported", x, t.name, t.typ)
	}
	return nil
}

// loadTensor checks tensor i and decodes its constant data.
func (it *Interpreter) loadTensor(i int) error {
	src := &it.m.Tensors[i]
	t := &it.t[i]
	t.name, t.typ = src.Name, src.Type
	if len(src.Shape) > maxDims {
		return fmt.Errorf("rank %d exceeds %d", len(src.Shape), maxDims)
	}
	n := int64(1)
	for _, d := range src.Shape {
		if d <= 0 {
			return fmt.Errorf("non-positive dimension in shape %v", src.Shape)
		}
		n *= int64(d)
		if n > 1<<31 {
			return fmt.Errorf("shape %v too large", src.Shape)
		}
		t.shape = append(t.shape, int(d))
	}
	if t.shape == nil {
		t.shape = []int{}
	}
	switch t.typ {
	case Float32, Int8, Int32:
	default:
		return fmt.Errorf("type %v not supported", t.typ)
	}
	if q := src.Quant; q != nil && len(q.Scale) > 0 {
		if len(q.ZeroPoint) != len(q.Scale) {
			return fmt.Errorf("%d scales but %d zero points", len(q.Scale), len(q.ZeroPoint))
		}
		for k, s := range q.Scale {
			if !(s > 0) || math.IsInf(float64(s), 0) {
				return fmt.Errorf("invalid quantisation scale %v", s)
			}
			if z := q.ZeroPoint[k]; z < -128 || z > 127 {
				return fmt.Errorf("zero point %d out of int8 range", z)
			}
		}
		t.scale, t.zp, t.scales, t.zps = q.Scale[0], int32(q.ZeroPoint[0]), q.Scale, q.ZeroPoint
		t.qdim = int(q.QuantizedDimension)
		if len(q.Scale) > 1 {
			if t.qdim < 0 || t.qdim >= len(t.shape) || t.shape[t.qdim] != len(q.Scale) {
				return fmt.Errorf("%d per-channel scales do not match dimension %d of shape %v", len(q.Scale), t.qdim, t.shape)
			}
		}
	} else if t.typ == Int8 {
		return errors.New("int8 tensor without quantisation parameters")
	}
	// Buffer 0, or any empty buffer (TFLite converters give every activation
	// its own empty buffer), means the tensor has no constant data.
	data := it.m.Buffers[src.Buffer].Data
	if len(data) == 0 {
		return nil
	}
	if int64(len(data)) != n*int64(t.typ.Size()) {
		return fmt.Errorf("buffer %d has %d bytes, shape %v of %v needs %d", src.Buffer, len(data), src.Shape, t.typ, n*int64(t.typ.Size()))
	}
	t.isConst = true
	switch t.typ {
	case Float32:
		t.f32 = make([]float32, n)
		for k := range t.f32 {
			t.f32[k] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*k:]))
		}
	case Int32:
		t.i32 = make([]int32, n)
		for k := range t.i32 {
			t.i32[k] = int32(binary.LittleEndian.Uint32(data[4*k:]))
		}
	case Int8:
		t.i8 = make([]int8, n)
		for k := range t.i8 {
			t.i8[k] = int8(data[k])
		}
	}
	return nil
}

// parallel returns a step running part(t, oy0, oy1) over rows [0, rows) split
// into up to it.threads ranges, range t on goroutine t (t = 0: the caller).
func (it *Interpreter) parallel(rows int, part func(t, oy0, oy1 int)) func() {
	n := min(it.threads, rows)
	if n <= 1 {
		return func() { part(0, 0, rows) }
	}
	wg := new(sync.WaitGroup)
	chunks := make([]func(), n)
	for t := range chunks {
		oy0, oy1 := t*rows/n, (t+1)*rows/n
		chunks[t] = func() {
			part(t, oy0, oy1)
			wg.Done()
		}
	}
	return func() {
		wg.Add(n)
		for _, c := range chunks[1:] {
			go c()
		}
		chunks[0]()
		wg.Wait()
	}
}

// Invoke runs the graph on the current inputs. It allocates nothing.
func (it *Interpreter) Invoke() error {
	for _, s := range it.steps {
		s()
	}
	return nil
}

// NumInputs returns the number of graph inputs.
func (it *Interpreter) NumInputs() int { return len(it.inputs) }

// NumOutputs returns the number of graph outputs.
func (it *Interpreter) NumOutputs() int { return len(it.outputs) }

// InputTensor returns the model tensor of graph input i (shape, type, quantisation).
func (it *Interpreter) InputTensor(i int) (Tensor, error) {
	if i < 0 || i >= len(it.inputs) {
		return Tensor{}, fmt.Errorf("tflite: input %d out of range (%d inputs)", i, len(it.inputs))
	}
	return it.m.Tensors[it.inputs[i]], nil
}

// OutputTensor returns the model tensor of graph output i.
func (it *Interpreter) OutputTensor(i int) (Tensor, error) {
	if i < 0 || i >= len(it.outputs) {
		return Tensor{}, fmt.Errorf("tflite: output %d out of range (%d outputs)", i, len(it.outputs))
	}
	return it.m.Tensors[it.outputs[i]], nil
}

func (it *Interpreter) io(list []int, i int, typ TensorType, what string) (*tensorBuf, error) {
	if i < 0 || i >= len(list) {
		return nil, fmt.Errorf("tflite: %s %d out of range (%d)", what, i, len(list))
	}
	t := &it.t[list[i]]
	if t.typ != typ {
		return nil, fmt.Errorf("tflite: %s %d %q has type %v, not %v", what, i, t.name, t.typ, typ)
	}
	return t, nil
}

// SetInputFloat32 copies data into float32 graph input i; len(data) must equal its size.
func (it *Interpreter) SetInputFloat32(i int, data []float32) error {
	t, err := it.io(it.inputs, i, Float32, "input")
	if err != nil {
		return err
	}
	if len(data) != len(t.f32) {
		return fmt.Errorf("tflite: input %d %q wants %d values (shape %v), got %d", i, t.name, len(t.f32), t.shape, len(data))
	}
	copy(t.f32, data)
	return nil
}

// SetInputInt8 copies data into int8 graph input i; len(data) must equal its size.
func (it *Interpreter) SetInputInt8(i int, data []int8) error {
	t, err := it.io(it.inputs, i, Int8, "input")
	if err != nil {
		return err
	}
	if len(data) != len(t.i8) {
		return fmt.Errorf("tflite: input %d %q wants %d values (shape %v), got %d", i, t.name, len(t.i8), t.shape, len(data))
	}
	copy(t.i8, data)
	return nil
}

// OutputFloat32 returns float32 graph output i. The slice is owned by the
// interpreter and overwritten by the next Invoke.
func (it *Interpreter) OutputFloat32(i int) ([]float32, error) {
	t, err := it.io(it.outputs, i, Float32, "output")
	if err != nil {
		return nil, err
	}
	return t.f32, nil
}

// OutputInt8 returns int8 graph output i. The slice is owned by the interpreter
// and overwritten by the next Invoke.
func (it *Interpreter) OutputInt8(i int) ([]int8, error) {
	t, err := it.io(it.outputs, i, Int8, "output")
	if err != nil {
		return nil, err
	}
	return t.i8, nil
}

// ArenaBytes returns the activation and scratch memory preallocated by the interpreter.
func (it *Interpreter) ArenaBytes() int64 { return it.arena }

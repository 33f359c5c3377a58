// Package testmodel builds small float TFLite models with random weights and
// quantises them to int8 with a simple min/max calibration. It exists for
// tests, cross-checks against other runtimes and benchmarks of package tflite;
// trapnet's production quantiser is package quantize.
package testmodel

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/trapnet/trapnet/tflite"
)

// Builder appends float32 operators with random weights to a model.
type Builder struct {
	M   *tflite.Model
	rng *rand.Rand
}

// New returns a builder with a deterministic random source.
func New(seed uint64) *Builder {
	return &Builder{M: tflite.NewModel(), rng: rand.New(rand.NewPCG(seed, 7))}
}

// Shape returns the shape of tensor x.
func (b *Builder) Shape(x int32) []int32 { return b.M.Tensors[x].Shape }

func (b *Builder) act(shape ...int32) int32 {
	return b.M.AddTensor(tflite.Tensor{Name: "t" + strconv.Itoa(len(b.M.Tensors)), Shape: shape, Type: tflite.Float32})
}

// Const adds a float32 constant tensor.
func (b *Builder) Const(v []float32, shape ...int32) int32 {
	buf := b.M.AddBuffer(F32Bytes(v))
	return b.M.AddTensor(tflite.Tensor{Name: "c" + strconv.Itoa(len(b.M.Tensors)), Shape: shape, Type: tflite.Float32, Buffer: buf})
}

// ConstI32 adds an int32 constant tensor.
func (b *Builder) ConstI32(v []int32, shape ...int32) int32 {
	buf := b.M.AddBuffer(I32Bytes(v))
	return b.M.AddTensor(tflite.Tensor{Name: "c" + strconv.Itoa(len(b.M.Tensors)), Shape: shape, Type: tflite.Int32, Buffer: buf})
}

func (b *Builder) random(n int, scale float32) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = (b.rng.Float32()*2 - 1) * scale
	}
	return v
}

// Input adds a float32 graph input.
func (b *Builder) Input(shape ...int32) int32 {
	x := b.act(shape...)
	b.M.Inputs = append(b.M.Inputs, x)
	return x
}

// Output marks x as a graph output.
func (b *Builder) Output(x int32) { b.M.Outputs = append(b.M.Outputs, x) }

func (b *Builder) op(op tflite.BuiltinOperator, opt tflite.Options, out int32, ins ...int32) int32 {
	b.M.AddOperator(tflite.Operator{Op: op, Inputs: ins, Outputs: []int32{out}, Options: opt})
	return out
}

func outSize(pad tflite.Padding, in, k, s int32) int32 {
	if pad == tflite.PaddingSame {
		return (in + s - 1) / s
	}
	return (in-k)/s + 1
}

// Conv adds a CONV_2D with random weights and bias.
func (b *Builder) Conv(x int32, cout, k, stride int32, pad tflite.Padding, act tflite.Activation) int32 {
	s := b.Shape(x)
	cin := s[3]
	wscale := float32(1.5 / math.Sqrt(float64(k*k*cin)))
	w := b.Const(b.random(int(cout*k*k*cin), wscale), cout, k, k, cin)
	bias := b.Const(b.random(int(cout), 0.2), cout)
	out := b.act(s[0], outSize(pad, s[1], k, stride), outSize(pad, s[2], k, stride), cout)
	return b.op(tflite.OpConv2D, &tflite.Conv2DOptions{Padding: pad, StrideW: stride, StrideH: stride, Activation: act}, out, x, w, bias)
}

// Depthwise adds a DEPTHWISE_CONV_2D (multiplier 1) with random weights and bias.
func (b *Builder) Depthwise(x int32, k, stride int32, pad tflite.Padding, act tflite.Activation) int32 {
	return b.DepthwiseDilated(x, k, stride, 1, pad, act)
}

// DepthwiseDilated adds a DEPTHWISE_CONV_2D with dilation dil (SAME output size).
func (b *Builder) DepthwiseDilated(x int32, k, stride, dil int32, pad tflite.Padding, act tflite.Activation) int32 {
	s := b.Shape(x)
	c := s[3]
	w := b.Const(b.random(int(k*k*c), float32(1.5/float64(k))), 1, k, k, c)
	bias := b.Const(b.random(int(c), 0.2), c)
	ek := (k-1)*dil + 1
	out := b.act(s[0], outSize(pad, s[1], ek, stride), outSize(pad, s[2], ek, stride), c)
	return b.op(tflite.OpDepthwiseConv2D, &tflite.DepthwiseConv2DOptions{Padding: pad, StrideW: stride, StrideH: stride,
		DepthMultiplier: 1, Activation: act, DilationW: dil, DilationH: dil}, out, x, w, bias)
}

// Pool adds an AVERAGE_POOL_2D or MAX_POOL_2D.
func (b *Builder) Pool(op tflite.BuiltinOperator, x int32, k, stride int32, pad tflite.Padding) int32 {
	s := b.Shape(x)
	out := b.act(s[0], outSize(pad, s[1], k, stride), outSize(pad, s[2], k, stride), s[3])
	return b.op(op, &tflite.Pool2DOptions{Padding: pad, StrideW: stride, StrideH: stride, FilterWidth: k, FilterHeight: k}, out, x)
}

// Add adds an ADD of two tensors (NumPy broadcasting of y).
func (b *Builder) Add(x, y int32, act tflite.Activation) int32 {
	return b.op(tflite.OpAdd, &tflite.AddOptions{Activation: act}, b.act(b.Shape(x)...), x, y)
}

// Mul adds a MUL of two tensors (NumPy broadcasting of y).
func (b *Builder) Mul(x, y int32, act tflite.Activation) int32 {
	return b.op(tflite.OpMul, &tflite.MulOptions{Activation: act}, b.act(b.Shape(x)...), x, y)
}

// Concat adds a CONCATENATION along axis.
func (b *Builder) Concat(axis int32, xs ...int32) int32 {
	s := append([]int32(nil), b.Shape(xs[0])...)
	for _, x := range xs[1:] {
		s[axis] += b.Shape(x)[axis]
	}
	return b.op(tflite.OpConcatenation, &tflite.ConcatenationOptions{Axis: axis}, b.act(s...), xs...)
}

// FC adds a FULLY_CONNECTED with random weights and bias on a [N, In] input.
func (b *Builder) FC(x int32, nOut int32, act tflite.Activation) int32 {
	s := b.Shape(x)
	nIn := s[len(s)-1]
	w := b.Const(b.random(int(nOut*nIn), float32(1.5/math.Sqrt(float64(nIn)))), nOut, nIn)
	bias := b.Const(b.random(int(nOut), 0.2), nOut)
	return b.op(tflite.OpFullyConnected, &tflite.FullyConnectedOptions{Activation: act}, b.act(s[0], nOut), x, w, bias)
}

// Mean adds a MEAN over axes 1 and 2 of a 4D tensor.
func (b *Builder) Mean(x int32, keepDims bool) int32 {
	s := b.Shape(x)
	ax := b.ConstI32([]int32{1, 2}, 2)
	shape := []int32{s[0], s[3]}
	if keepDims {
		shape = []int32{s[0], 1, 1, s[3]}
	}
	out := b.act(shape...)
	return b.op(tflite.OpMean, &tflite.ReducerOptions{KeepDims: keepDims}, out, x, ax)
}

// Unary adds RELU, RELU6 or LOGISTIC.
func (b *Builder) Unary(op tflite.BuiltinOperator, x int32) int32 {
	return b.op(op, nil, b.act(b.Shape(x)...), x)
}

// Softmax adds a SOFTMAX (beta 1) over the last dimension.
func (b *Builder) Softmax(x int32) int32 {
	return b.op(tflite.OpSoftmax, &tflite.SoftmaxOptions{Beta: 1}, b.act(b.Shape(x)...), x)
}

// Reshape adds a RESHAPE to shape.
func (b *Builder) Reshape(x int32, shape ...int32) int32 {
	sh := b.ConstI32(shape, int32(len(shape)))
	return b.op(tflite.OpReshape, &tflite.ReshapeOptions{NewShape: shape}, b.act(shape...), x, sh)
}

// Pad adds a PAD of a 4D tensor by (before, after) on H and W.
func (b *Builder) Pad(x int32, before, after int32) int32 {
	s := b.Shape(x)
	p := b.ConstI32([]int32{0, 0, before, after, before, after, 0, 0}, 4, 2)
	return b.op(tflite.OpPad, &tflite.PadOptions{}, b.act(s[0], s[1]+before+after, s[2]+before+after, s[3]), x, p)
}

// F32Bytes encodes float32 values little-endian.
func F32Bytes(v []float32) []byte {
	out := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(out[4*i:], math.Float32bits(f))
	}
	return out
}

// I32Bytes encodes int32 values little-endian.
func I32Bytes(v []int32) []byte {
	out := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(out[4*i:], uint32(x))
	}
	return out
}

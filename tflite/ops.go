package tflite

import "fmt"

// BuiltinOperator is a TFLite builtin operator code (official enum numbers).
type BuiltinOperator int32

// Builtin operators known to this package. Those marked in the package doc are
// executed by the interpreter; the others can only be read and written.
const (
	OpAdd             BuiltinOperator = 0
	OpAveragePool2D   BuiltinOperator = 1
	OpConcatenation   BuiltinOperator = 2
	OpConv2D          BuiltinOperator = 3
	OpDepthwiseConv2D BuiltinOperator = 4
	OpDequantize      BuiltinOperator = 6
	OpFullyConnected  BuiltinOperator = 9
	OpLogistic        BuiltinOperator = 14
	OpMaxPool2D       BuiltinOperator = 17
	OpMul             BuiltinOperator = 18
	OpRelu            BuiltinOperator = 19
	OpRelu6           BuiltinOperator = 21
	OpReshape         BuiltinOperator = 22
	OpSoftmax         BuiltinOperator = 25
	OpPad             BuiltinOperator = 34
	OpMean            BuiltinOperator = 40
	OpQuantize        BuiltinOperator = 114
)

var opNames = map[BuiltinOperator]string{
	OpAdd: "ADD", OpAveragePool2D: "AVERAGE_POOL_2D", OpConcatenation: "CONCATENATION",
	OpConv2D: "CONV_2D", OpDepthwiseConv2D: "DEPTHWISE_CONV_2D", OpDequantize: "DEQUANTIZE",
	OpFullyConnected: "FULLY_CONNECTED", OpLogistic: "LOGISTIC", OpMaxPool2D: "MAX_POOL_2D",
	OpMul: "MUL", OpRelu: "RELU", OpRelu6: "RELU6", OpReshape: "RESHAPE", OpSoftmax: "SOFTMAX",
	OpPad: "PAD", OpMean: "MEAN", OpQuantize: "QUANTIZE",
}

// String returns the TFLite name of the operator, e.g. "CONV_2D".
func (o BuiltinOperator) String() string {
	if s, ok := opNames[o]; ok {
		return s
	}
	return fmt.Sprintf("BuiltinOperator(%d)", int32(o))
}

// Padding is the TFLite Padding enum (SAME = 0, VALID = 1).
type Padding int8

// Padding values.
const (
	PaddingSame  Padding = 0
	PaddingValid Padding = 1
)

// Activation is the TFLite ActivationFunctionType enum (fused activation).
type Activation int8

// Activation values with their official numbers.
const (
	ActNone      Activation = 0
	ActRelu      Activation = 1
	ActReluN1To1 Activation = 2
	ActRelu6     Activation = 3
	ActTanh      Activation = 4
	ActSignBit   Activation = 5
)

// Options is implemented by the typed builtin option structs of this package.
type Options interface {
	// unionType returns the BuiltinOptions union type id of the options table.
	unionType() uint8
}

// BuiltinOptions union type ids (schema.fbs, union BuiltinOptions; NONE = 0).
const (
	unionNone            = 0
	unionConv2D          = 1
	unionDepthwiseConv2D = 2
	unionPool2D          = 5
	unionFullyConnected  = 8
	unionSoftmax         = 9
	unionConcatenation   = 10
	unionAdd             = 11
	unionReshape         = 17
	unionMul             = 21
	unionPad             = 22
	unionReducer         = 27
	unionDequantize      = 38
	unionQuantize        = 89
)

// Conv2DOptions are the options of CONV_2D. Zero dilations mean 1.
type Conv2DOptions struct {
	Padding          Padding
	StrideW, StrideH int32
	Activation       Activation
	DilationW        int32
	DilationH        int32
}

// DepthwiseConv2DOptions are the options of DEPTHWISE_CONV_2D. Zero dilations mean 1.
type DepthwiseConv2DOptions struct {
	Padding          Padding
	StrideW, StrideH int32
	DepthMultiplier  int32
	Activation       Activation
	DilationW        int32
	DilationH        int32
}

// Pool2DOptions are the options of AVERAGE_POOL_2D and MAX_POOL_2D.
type Pool2DOptions struct {
	Padding                   Padding
	StrideW, StrideH          int32
	FilterWidth, FilterHeight int32
	Activation                Activation
}

// FullyConnectedOptions are the options of FULLY_CONNECTED (default weights format only).
type FullyConnectedOptions struct {
	Activation  Activation
	KeepNumDims bool
}

// SoftmaxOptions are the options of SOFTMAX.
type SoftmaxOptions struct {
	Beta float32
}

// ConcatenationOptions are the options of CONCATENATION. Axis may be negative.
type ConcatenationOptions struct {
	Axis       int32
	Activation Activation
}

// AddOptions are the options of ADD.
type AddOptions struct {
	Activation Activation
}

// MulOptions are the options of MUL.
type MulOptions struct {
	Activation Activation
}

// ReshapeOptions are the options of RESHAPE. The interpreter uses the output
// tensor's shape; NewShape is written for other runtimes.
type ReshapeOptions struct {
	NewShape []int32
}

// PadOptions are the (empty) options of PAD.
type PadOptions struct{}

// ReducerOptions are the options of MEAN.
type ReducerOptions struct {
	KeepDims bool
}

// QuantizeOptions are the (empty) options of QUANTIZE.
type QuantizeOptions struct{}

// DequantizeOptions are the (empty) options of DEQUANTIZE.
type DequantizeOptions struct{}

func (*Conv2DOptions) unionType() uint8          { return unionConv2D }
func (*DepthwiseConv2DOptions) unionType() uint8 { return unionDepthwiseConv2D }
func (*Pool2DOptions) unionType() uint8          { return unionPool2D }
func (*FullyConnectedOptions) unionType() uint8  { return unionFullyConnected }
func (*SoftmaxOptions) unionType() uint8         { return unionSoftmax }
func (*ConcatenationOptions) unionType() uint8   { return unionConcatenation }
func (*AddOptions) unionType() uint8             { return unionAdd }
func (*MulOptions) unionType() uint8             { return unionMul }
func (*ReshapeOptions) unionType() uint8         { return unionReshape }
func (*PadOptions) unionType() uint8             { return unionPad }
func (*ReducerOptions) unionType() uint8         { return unionReducer }
func (*QuantizeOptions) unionType() uint8        { return unionQuantize }
func (*DequantizeOptions) unionType() uint8      { return unionDequantize }

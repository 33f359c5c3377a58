package tflite

// defaultVersion returns the operator code version TFLite's converter writes for
// op when its first input has type in (a minimal table for the supported ops).
func defaultVersion(op BuiltinOperator, in TensorType) int32 {
	if in != Int8 {
		return 1
	}
	switch op {
	case OpConv2D, OpDepthwiseConv2D:
		return 3
	case OpFullyConnected:
		return 4
	case OpReshape:
		return 1
	case OpAveragePool2D, OpMaxPool2D, OpAdd, OpMul, OpConcatenation, OpMean,
		OpLogistic, OpSoftmax, OpPad, OpQuantize, OpDequantize, OpRelu, OpRelu6:
		return 2
	}
	return 1
}

// Package tflite reads and writes TensorFlow Lite flatbuffer files (schema
// version 3, file identifier "TFL3") and runs them with a pure-Go interpreter.
//
// # Model
//
// A *Model is the in-memory form of a .tflite file with one subgraph: Tensors
// (shape, TensorType, buffer index, optional Quantization), Buffers (Buffers[0]
// is the empty sentinel), Operators in execution order (BuiltinOperator, tensor
// indices, typed Options such as *Conv2DOptions), the subgraph Inputs and
// Outputs, a Description and a Metadata map from name to bytes (the
// Model.metadata entries; trapnet's names are MetaLabels, MetaPreprocess, ...).
//
//	data, err := tflite.Write(m)   // []byte of a .tflite file
//	m, err := tflite.Read(data)    // never panics, bounded allocation
//
// Weight layouts follow TFLite: CONV_2D filter [Cout, KH, KW, Cin],
// DEPTHWISE_CONV_2D filter [1, KH, KW, C*multiplier], FULLY_CONNECTED weights
// [Out, In]; int8 conv/depthwise/FC biases are int32 with scale
// input_scale*filter_scale[c] and zero point 0; int8 weights are symmetric
// (zero point 0), per-channel along dimension 0 (conv, FC) or 3 (depthwise).
// MEAN's axes and PAD's paddings are constant INT32 tensors.
//
// Write stores operator codes in both OperatorCode.deprecated_builtin_code (int8)
// and builtin_code (int32), so old (Arm NN 20.08) and new runtimes read them; an
// Operator.Version of 0 lets Write pick the version from the op and its types.
//
// # Interpreter
//
// NewInterpreter validates the whole graph once (shapes, types, quantisation,
// buffer sizes, options, topological order, an arena size limit, filter
// sizes, strides and dilations within fixed bounds, and the work of one
// Invoke within InterpreterOptions.MaxWork) and preallocates every
// activation; Invoke then allocates nothing and its time is bounded. Supported ops:
// CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, MAX_POOL_2D, ADD, MUL,
// CONCATENATION, FULLY_CONNECTED, MEAN, LOGISTIC, RESHAPE, SOFTMAX, PAD,
// QUANTIZE, DEQUANTIZE, RELU, RELU6, each in float32 and int8. Int8 kernels follow
// TFLite's reference kernels bit for bit (QuantizeMultiplier,
// MultiplyByQuantizedMultiplier with rounding doubling high mul and rounding
// divide by power of two, left-shift-20 ADD, rounded average pooling), except
// LOGISTIC and SOFTMAX, which compute in float in the middle like TFLite's
// optimized lookup-table kernels (within 1 LSB of the fixed-point reference),
// and CONCATENATION, which requantises inputs whose scale or zero point differ
// from the output's like TFLite's uint8 ConcatenationWithScaling (TFLite itself
// requires equal parameters for int8).
//
// # Quantisation rules for int8 models
//
// These match TFLite's int8 kernels (and XNNPACK, which LiteRT uses):
// activations are per-tensor int8 with zero points in [-128, 127]; weights are
// int8 with zero point 0, per-channel or per-tensor; biases are int32 (scale
// input_scale*weight_scale, zero point 0). AVERAGE_POOL_2D, MAX_POOL_2D, RESHAPE
// and PAD need identical input and output quantisation; CONCATENATION should
// give all inputs the output's quantisation (this interpreter and Arm NN
// requantise otherwise, TFLite and XNNPACK refuse); LOGISTIC and SOFTMAX
// outputs should use scale 1/256 and zero point -128.
//
// An Interpreter is not safe for concurrent use; create one per goroutine (they
// may share the *Model, which they do not modify). InterpreterOptions.Threads
// lets one Invoke split convolutions over several goroutines instead.
//
// On amd64, building with GOEXPERIMENT=simd makes the int8 convolution use AVX2
// (simd/archsimd) when the CPU has it; other builds (arm64 included) use the
// plain-Go kernels, which give identical results.
package tflite

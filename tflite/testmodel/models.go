package testmodel

import "github.com/trapnet/trapnet/tflite"

// Case is a named float model for tests and cross-checks.
type Case struct {
	Name  string
	Build func(b *Builder)
}

// Cases returns small float models that together use every supported operator,
// including two-input models (image [1,H,W,3] and metadata [1,D]).
func Cases() []Case {
	S, V := tflite.PaddingSame, tflite.PaddingValid
	return []Case{
		{"conv_same_relu", func(b *Builder) { b.Output(b.Conv(b.Input(1, 9, 9, 3), 8, 3, 1, S, tflite.ActRelu)) }},
		{"conv_stride2_valid", func(b *Builder) { b.Output(b.Conv(b.Input(1, 10, 10, 4), 6, 3, 2, V, tflite.ActNone)) }},
		{"conv_stride2_same_relu6", func(b *Builder) { b.Output(b.Conv(b.Input(1, 8, 8, 5), 7, 3, 2, S, tflite.ActRelu6)) }},
		{"depthwise_same", func(b *Builder) { b.Output(b.Depthwise(b.Input(1, 9, 9, 8), 3, 1, S, tflite.ActNone)) }},
		{"depthwise_5x5_stride2", func(b *Builder) { b.Output(b.Depthwise(b.Input(1, 11, 11, 6), 5, 2, S, tflite.ActRelu)) }},
		{"avgpool_same", func(b *Builder) { b.Output(b.Pool(tflite.OpAveragePool2D, b.Input(1, 7, 7, 4), 3, 1, S)) }},
		{"avgpool_stride2", func(b *Builder) { b.Output(b.Pool(tflite.OpAveragePool2D, b.Input(1, 8, 8, 4), 3, 2, S)) }},
		{"maxpool_same", func(b *Builder) { b.Output(b.Pool(tflite.OpMaxPool2D, b.Input(1, 7, 7, 4), 3, 2, S)) }},
		{"add_relu", func(b *Builder) {
			x := b.Input(1, 5, 5, 4)
			b.Output(b.Add(b.Conv(x, 4, 1, 1, S, tflite.ActNone), b.Depthwise(x, 3, 1, S, tflite.ActNone), tflite.ActRelu))
		}},
		{"mul", func(b *Builder) {
			x := b.Input(1, 5, 5, 4)
			b.Output(b.Mul(b.Conv(x, 4, 1, 1, S, tflite.ActNone), x, tflite.ActNone))
		}},
		{"concat_channels", func(b *Builder) {
			x := b.Input(1, 6, 6, 3)
			b.Output(b.Concat(3, b.Conv(x, 4, 3, 1, S, tflite.ActRelu), b.Conv(x, 5, 1, 1, S, tflite.ActNone)))
		}},
		{"fc_softmax", func(b *Builder) { b.Output(b.Softmax(b.FC(b.Input(1, 20), 10, tflite.ActNone))) }},
		{"mean_fc", func(b *Builder) { b.Output(b.FC(b.Mean(b.Input(1, 6, 6, 8), false), 5, tflite.ActRelu)) }},
		{"mean_keepdims", func(b *Builder) { b.Output(b.Mean(b.Input(1, 5, 5, 6), true)) }},
		{"logistic", func(b *Builder) { b.Output(b.Unary(tflite.OpLogistic, b.FC(b.Input(1, 12), 8, tflite.ActNone))) }},
		{"relu_conv", func(b *Builder) {
			b.Output(b.Conv(b.Unary(tflite.OpRelu, b.Input(1, 6, 6, 4)), 4, 3, 1, S, tflite.ActNone))
		}},
		{"pad_reshape", func(b *Builder) {
			x := b.Pad(b.Input(1, 4, 4, 3), 1, 2)
			b.Output(b.Reshape(x, 1, 7*7*3))
		}},
		{"two_inputs", func(b *Builder) {
			img := b.Input(1, 8, 8, 3)
			meta := b.Input(1, 6)
			x := b.Conv(img, 8, 3, 2, S, tflite.ActRelu)
			x = b.Mean(b.Depthwise(x, 3, 1, S, tflite.ActRelu), false)
			y := b.FC(meta, 4, tflite.ActRelu)
			b.Output(b.Softmax(b.FC(b.Concat(1, x, y), 5, tflite.ActNone)))
		}},
	}
}

// Samples returns n random input sets for m (uniform in [-amp, amp]).
func (b *Builder) Samples(n int, amp float32) [][][]float32 {
	out := make([][][]float32, n)
	for i := range out {
		for _, x := range b.M.Inputs {
			t := b.M.Tensors[x]
			out[i] = append(out[i], b.random(t.NumElements(), amp))
		}
	}
	return out
}

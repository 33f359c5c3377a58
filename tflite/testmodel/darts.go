package testmodel

import "github.com/trapnet/trapnet/tflite"

// DARTSLike builds a float model shaped like a small derived DARTS network: a
// stride-2 stem, cells of ReLU-Conv-BN style separable and dilated convolutions,
// pools and skips summed into 4 nodes per cell and concatenated, two reduction
// cells, global mean, a metadata branch and a softmax head. Inputs are image
// [1,size,size,3] and metadata [1,metaDim]; the output is [1,classes].
func DARTSLike(b *Builder, size, c, classes, metaDim int32) {
	S := tflite.PaddingSame
	img := b.Input(1, size, size, 3)
	meta := b.Input(1, metaDim)
	stem := b.Conv(img, c, 3, 2, S, tflite.ActNone)
	prev, cur := stem, stem
	reductions := map[int]bool{1: true, 3: true}
	for cell := 0; cell < 5; cell++ {
		if reductions[cell] {
			c *= 2
		}
		p0 := b.Conv(b.Unary(tflite.OpRelu, prev), c, 1, stride(prev, cur, b), S, tflite.ActNone)
		p1 := b.Conv(b.Unary(tflite.OpRelu, cur), c, 1, 1, S, tflite.ActNone)
		s := int32(1)
		if reductions[cell] {
			s = 2
		}
		n0 := b.Add(b.sepConv(p0, s), b.sepConv(p1, s), tflite.ActNone)
		n1 := b.Add(b.dilConv(p0, s), b.Pool(tflite.OpMaxPool2D, p1, 3, s, S), tflite.ActNone)
		n2 := b.Add(b.sepConv(n0, 1), b.skip(p1, s), tflite.ActNone)
		n3 := b.Add(b.Pool(tflite.OpAveragePool2D, n1, 3, 1, S), b.dilConv(n2, 1), tflite.ActNone)
		prev, cur = cur, b.Concat(3, n0, n1, n2, n3)
	}
	feat := b.Mean(b.Unary(tflite.OpRelu, cur), false)
	m := b.FC(meta, 16, tflite.ActRelu)
	b.Output(b.Softmax(b.FC(b.Concat(1, feat, m), classes, tflite.ActNone)))
}

// stride returns 2 when prev has a larger spatial size than cur's next cell input.
func stride(prev, cur int32, b *Builder) int32 {
	if b.Shape(prev)[1] > b.Shape(cur)[1] {
		return 2
	}
	return 1
}

// sepConv is DARTS's sep_conv_3x3: (ReLU, depthwise 3x3, pointwise 1x1) twice.
func (b *Builder) sepConv(x int32, s int32) int32 {
	c := b.Shape(x)[3]
	x = b.Conv(b.Depthwise(b.Unary(tflite.OpRelu, x), 3, s, tflite.PaddingSame, tflite.ActNone), c, 1, 1, tflite.PaddingSame, tflite.ActRelu)
	return b.Conv(b.Depthwise(x, 3, 1, tflite.PaddingSame, tflite.ActNone), c, 1, 1, tflite.PaddingSame, tflite.ActNone)
}

// dilConv is DARTS's dil_conv_3x3: ReLU, depthwise 3x3 dilation 2, pointwise 1x1.
func (b *Builder) dilConv(x int32, s int32) int32 {
	c := b.Shape(x)[3]
	return b.Conv(b.DepthwiseDilated(b.Unary(tflite.OpRelu, x), 3, s, 2, tflite.PaddingSame, tflite.ActNone), c, 1, 1, tflite.PaddingSame, tflite.ActNone)
}

// skip is identity, or on a reduction edge the factorised reduce (a 2x2 stride-2 VALID conv).
func (b *Builder) skip(x int32, s int32) int32 {
	if s == 1 {
		return x
	}
	return b.Conv(b.Unary(tflite.OpRelu, x), b.Shape(x)[3], 2, 2, tflite.PaddingValid, tflite.ActNone)
}

package quantize

import (
	"fmt"
	"math"
)

// Params are per-tensor affine int8 parameters: real = Scale*(q - ZeroPoint).
type Params struct {
	Scale     float32
	ZeroPoint int32
}

// Fixed output parameters TFLite requires for LOGISTIC and SOFTMAX in int8.
var probParams = Params{Scale: 1.0 / 256, ZeroPoint: -128}

// minScale keeps scales positive for constant-zero tensors and ranges.
const minScale = 1e-8

// FromRange returns asymmetric int8 parameters covering [lo, hi], widened to
// include 0 so that 0 is exactly representable (TFLite's nudged zero point:
// zp = round(-128 - lo/scale), scale = (hi-lo)/255).
func FromRange(lo, hi float32) Params {
	lo, hi = min(lo, 0), max(hi, 0)
	if hi-lo < 255*minScale {
		hi = lo + 255*minScale
	}
	scale := (float64(hi) - float64(lo)) / 255
	zp := math.Round(-128 - float64(lo)/scale)
	zp = math.Max(-128, math.Min(127, zp))
	return Params{Scale: float32(scale), ZeroPoint: int32(zp)}
}

// Quantize maps x to int8 with p (round half away from zero, saturating).
func (p Params) Quantize(x float32) int8 {
	q := math.Round(float64(x)/float64(p.Scale)) + float64(p.ZeroPoint)
	return int8(math.Max(-128, math.Min(127, q)))
}

// Dequantize maps q back to a real value.
func (p Params) Dequantize(q int8) float32 {
	return p.Scale * float32(int32(q)-p.ZeroPoint)
}

// SymmetricScale is max|w|/127 (minScale for an all-zero w).
func SymmetricScale(w []float32) float32 {
	var m float32
	for _, v := range w {
		m = max(m, float32(math.Abs(float64(v))))
	}
	return max(m/127, minScale)
}

// quantizeSym quantises w with zero point 0 and the given scale into dst,
// clamping to [-127, 127] as TFLite's symmetric weights do.
func quantizeSym(dst []int8, w []float32, scale float32) {
	for i, v := range w {
		q := math.Round(float64(v) / float64(scale))
		dst[i] = int8(math.Max(-127, math.Min(127, q)))
	}
}

// PerChannel quantises a weight tensor of the given shape symmetrically per
// index of axis (0 for CONV_2D [Cout,KH,KW,Cin], 3 for DEPTHWISE_CONV_2D
// [1,KH,KW,C]) and returns the int8 values and one scale per channel.
func PerChannel(w []float32, shape []int, axis int) ([]int8, []float32, error) {
	if axis < 0 || axis >= len(shape) {
		return nil, nil, fmt.Errorf("quantize: axis %d of shape %v", axis, shape)
	}
	n := 1
	for _, d := range shape {
		n *= d
	}
	if n != len(w) {
		return nil, nil, fmt.Errorf("quantize: %d weights for shape %v", len(w), shape)
	}
	c := shape[axis]
	inner := 1
	for _, d := range shape[axis+1:] {
		inner *= d
	}
	ch := func(i int) int { return (i / inner) % c }
	maxAbs := make([]float32, c)
	for i, v := range w {
		maxAbs[ch(i)] = max(maxAbs[ch(i)], float32(math.Abs(float64(v))))
	}
	scales := make([]float32, c)
	for i, m := range maxAbs {
		scales[i] = max(m/127, minScale)
	}
	q := make([]int8, len(w))
	for i, v := range w {
		r := math.Round(float64(v) / float64(scales[ch(i)]))
		q[i] = int8(math.Max(-127, math.Min(127, r)))
	}
	return q, scales, nil
}

// QuantizeBias returns int32 biases with scale inScale*wScales[c] (or
// wScales[0] for all channels when there is one weight scale) and zero
// point 0, saturating to the int32 range.
func QuantizeBias(b []float32, inScale float32, wScales []float32) ([]int32, []float32) {
	out := make([]int32, len(b))
	scales := make([]float32, len(b))
	for i, v := range b {
		ws := wScales[0]
		if len(wScales) > 1 {
			ws = wScales[i]
		}
		s := float64(inScale) * float64(ws)
		scales[i] = float32(s)
		q := math.Round(float64(v) / s)
		out[i] = int32(math.Max(math.MinInt32, math.Min(math.MaxInt32, q)))
	}
	return out, scales
}

// QuantizeMultiplier splits a positive real multiplier into a Q31 fixed-point
// mantissa and a power-of-two shift, real ≈ m * 2^(shift-31), exactly as
// TFLite's QuantizeMultiplier (frexp, round, renormalise when the mantissa
// rounds to 2^31). The interpreter derives its requantisation multipliers
// this way from the scales this package writes (for CONV_2D:
// input_scale*filter_scale[c]/output_scale).
func QuantizeMultiplier(real float64) (m int32, shift int) {
	if real == 0 {
		return 0, 0
	}
	frac, exp := math.Frexp(real)
	q := int64(math.Round(frac * (1 << 31)))
	if q == 1<<31 {
		q /= 2
		exp++
	}
	if exp < -31 {
		return 0, 0
	}
	return int32(q), exp
}

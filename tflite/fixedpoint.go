package tflite

import "math"

// This file ports TFLite's fixed-point helpers (quantization_util.cc and
// kernels/internal/common.h) with the same rounding.

// quantizeMultiplier splits a positive real multiplier into a Q31 fixed-point
// multiplier and a power-of-two exponent: m ≈ q * 2^(shift-31).
func quantizeMultiplier(m float64) (q int32, shift int) {
	if m == 0 {
		return 0, 0
	}
	frac, exp := math.Frexp(m)
	qf := int64(math.Round(frac * (1 << 31)))
	if qf == 1<<31 {
		qf /= 2
		exp++
	}
	if exp < -31 {
		exp, qf = 0, 0
	}
	if exp > 30 {
		exp, qf = 30, (1<<31)-1
	}
	return int32(qf), exp
}

// saturatingRoundingDoublingHighMul returns the high 32 bits of 2*a*b, rounded.
func saturatingRoundingDoublingHighMul(a, b int32) int32 {
	if a == b && a == math.MinInt32 {
		return math.MaxInt32
	}
	ab := int64(a) * int64(b)
	nudge := int64(1 << 30)
	if ab < 0 {
		nudge = 1 - (1 << 30)
	}
	return int32((ab + nudge) / (1 << 31))
}

// roundingDivideByPOT divides x by 2^exponent rounding to nearest, ties away from zero.
func roundingDivideByPOT(x int32, exponent int) int32 {
	mask := int32(1)<<exponent - 1
	remainder := x & mask
	threshold := mask >> 1
	if x < 0 {
		threshold++
	}
	r := x >> exponent
	if remainder > threshold {
		r++
	}
	return r
}

// multiplyByQuantizedMultiplier computes x * q * 2^(shift-31) with TFLite's
// double rounding.
func multiplyByQuantizedMultiplier(x, q int32, shift int) int32 {
	left, right := 0, 0
	if shift > 0 {
		left = shift
	} else {
		right = -shift
	}
	return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x*(1<<left), q), right)
}

// multiplyByQuantizedMultiplierSmallerThanOneExp is the ADD variant (shift <= 0).
func multiplyByQuantizedMultiplierSmallerThanOneExp(x, q int32, shift int) int32 {
	return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, q), -shift)
}

// quantizeValue quantises a real value to the int8 grid without clamping, like
// TFLite's CalculateActivationRangeQuantized helper.
func quantizeValue(f float32, scale float32, zp int32) int32 {
	return zp + int32(math.Round(float64(f/scale)))
}

// activationRangeInt8 returns TFLite's CalculateActivationRangeQuantized for int8.
func activationRangeInt8(act Activation, scale float32, zp int32) (lo, hi int32) {
	lo, hi = -128, 127
	switch act {
	case ActRelu:
		lo = max(lo, quantizeValue(0, scale, zp))
	case ActRelu6:
		lo = max(lo, quantizeValue(0, scale, zp))
		hi = min(hi, quantizeValue(6, scale, zp))
	case ActReluN1To1:
		lo = max(lo, quantizeValue(-1, scale, zp))
		hi = min(hi, quantizeValue(1, scale, zp))
	}
	return lo, hi
}

// activationRangeFloat returns the clamp bounds of a fused activation in float.
func activationRangeFloat(act Activation) (lo, hi float32) {
	inf := float32(math.Inf(1))
	switch act {
	case ActRelu:
		return 0, inf
	case ActRelu6:
		return 0, 6
	case ActReluN1To1:
		return -1, 1
	}
	return -inf, inf
}

func clampI32(x, lo, hi int32) int32 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

func clampF32(x, lo, hi float32) float32 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

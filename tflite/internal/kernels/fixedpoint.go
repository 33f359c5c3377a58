// Package kernels holds the plain-Go compute kernels of the tflite interpreter:
// TFLite's fixed-point arithmetic and the convolution and pooling loops.
package kernels

import "math"

// This file ports TFLite's fixed-point helpers (quantization_util.cc and
// kernels/internal/common.h) with the same rounding.

// QuantizeMultiplier splits a positive real multiplier into a Q31 fixed-point
// multiplier and a power-of-two exponent: m ≈ q * 2^(shift-31).
func QuantizeMultiplier(m float64) (q int32, shift int) {
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

// SaturatingRoundingDoublingHighMul returns the high 32 bits of 2*a*b, rounded.
func SaturatingRoundingDoublingHighMul(a, b int32) int32 {
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

// RoundingDivideByPOT divides x by 2^exponent rounding to nearest, ties away from zero.
func RoundingDivideByPOT(x int32, exponent int) int32 {
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

// MultiplyByQuantizedMultiplier computes x * q * 2^(shift-31) with TFLite's
// double rounding.
func MultiplyByQuantizedMultiplier(x, q int32, shift int) int32 {
	left, right := 0, 0
	if shift > 0 {
		left = shift
	} else {
		right = -shift
	}
	return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x*(1<<left), q), right)
}

// MultiplyByQuantizedMultiplierSmallerThanOneExp is the ADD variant (shift <= 0).
func MultiplyByQuantizedMultiplierSmallerThanOneExp(x, q int32, shift int) int32 {
	return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, q), -shift)
}

// ClampI32 clamps x to [lo, hi].
func ClampI32(x, lo, hi int32) int32 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// ClampF32 clamps x to [lo, hi].
func ClampF32(x, lo, hi float32) float32 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// RoundToI32 rounds half away from zero and saturates to ±2^30 (NaN gives 0).
func RoundToI32(f float64) int32 {
	r := math.Round(f)
	switch {
	case r > 1<<30:
		return 1 << 30
	case r < -(1 << 30):
		return -(1 << 30)
	case r == r:
		return int32(r)
	}
	return 0
}

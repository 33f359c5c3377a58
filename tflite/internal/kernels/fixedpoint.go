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

// SaturatingRoundingDoublingHighMul returns the high 32 bits of 2*a*b, rounded
// half up. TFLite's form adds a nudge of 2^30 (1-2^30 for a negative
// product) and divides by 2^31 towards zero; that is floor((ab+2^30)/2^31)
// for either sign, an add and a shift with no branch on the product's sign
// (TestRoundingMatchesReference compares the two).
func SaturatingRoundingDoublingHighMul(a, b int32) int32 {
	if a == b && a == math.MinInt32 {
		return math.MaxInt32
	}
	return int32((int64(a)*int64(b) + 1<<30) >> 31)
}

// RoundingDivideByPOT divides x by 2^exponent rounding to nearest, ties away
// from zero: floor((x + 2^(exponent-1) - [x < 0]) / 2^exponent), in int64.
// The exponent is in [0, 31], as QuantizeMultiplier's shifts are.
func RoundingDivideByPOT(x int32, exponent int) int32 {
	if exponent == 0 {
		return x
	}
	return int32((int64(x) + int64(1)<<(exponent-1) - int64(uint32(x)>>31)) >> exponent)
}

// MultiplyByQuantizedMultiplier computes x * q * 2^(shift-31) with TFLite's
// double rounding: x shifted left by shift when it is positive, else the
// result divided by 2^-shift.
func MultiplyByQuantizedMultiplier(x, q int32, shift int) int32 {
	left := max(shift, 0)
	return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x<<left, q), left-shift)
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

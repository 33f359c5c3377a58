package tflite

import "math"

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

package kernels

import (
	"math"
	"testing"
)

func TestQuantizeMultiplier(t *testing.T) {
	tests := []struct {
		m     float64
		q     int32
		shift int
	}{
		{0, 0, 0},
		{0.5, 1 << 30, 0},
		{1, 1 << 30, 1},
		{0.75, 1610612736, 0},
		{0.1, 1717986918, -3},
		{1 - math.Pow(2, -40), 1 << 30, 1}, // rounds up to 2^31: halved, shift+1
		{math.Pow(2, -40), 0, 0},           // shift < -31 flushes to zero
		{math.Pow(2, 40), math.MaxInt32, 30},
	}
	for _, tc := range tests {
		q, s := QuantizeMultiplier(tc.m)
		if q != tc.q || s != tc.shift {
			t.Errorf("QuantizeMultiplier(%g) = %d, %d; want %d, %d", tc.m, q, s, tc.q, tc.shift)
		}
	}
}

func TestFixedPoint(t *testing.T) {
	tests := []struct {
		name      string
		got, want int32
	}{
		{"srdhm overflow", SaturatingRoundingDoublingHighMul(math.MinInt32, math.MinInt32), math.MaxInt32},
		{"srdhm 2^30*2^30", SaturatingRoundingDoublingHighMul(1<<30, 1<<30), 1 << 29},
		{"srdhm 3*0.5", SaturatingRoundingDoublingHighMul(3, 1<<30), 2},
		{"srdhm -3*0.5", SaturatingRoundingDoublingHighMul(-3, 1<<30), -1},
		{"rdbpot 5/2", RoundingDivideByPOT(5, 1), 3},
		{"rdbpot -5/2", RoundingDivideByPOT(-5, 1), -3},
		{"rdbpot 4/2", RoundingDivideByPOT(4, 1), 2},
		{"rdbpot -6/4", RoundingDivideByPOT(-6, 2), -2},
		{"rdbpot -5/4", RoundingDivideByPOT(-5, 2), -1},
		{"rdbpot 7/1", RoundingDivideByPOT(7, 0), 7},
		{"mbqm 100*0.5", MultiplyByQuantizedMultiplier(100, 1<<30, 0), 50},
		{"mbqm 100*1", MultiplyByQuantizedMultiplier(100, 1<<30, 1), 100},
		{"mbqm 3*0.25", MultiplyByQuantizedMultiplier(3, 1<<30, -1), 1},
		{"mbqm -3*0.25", MultiplyByQuantizedMultiplier(-3, 1<<30, -1), -1},
		{"round half away", RoundToI32(-2.5), -3},
		{"round saturates", RoundToI32(1e20), 1 << 30},
		{"round NaN", RoundToI32(math.NaN()), 0},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s = %d, want %d", tc.name, tc.got, tc.want)
		}
	}
}

// TestMultiplierAccuracy checks that quantised multipliers reproduce x*m to within 1.
func TestMultiplierAccuracy(t *testing.T) {
	for _, m := range []float64{1e-5, 0.003, 0.37, 0.999, 1.5, 7.25} {
		q, s := QuantizeMultiplier(m)
		for _, x := range []int32{-100000, -777, -1, 0, 1, 999, 123456} {
			got := MultiplyByQuantizedMultiplier(x, q, s)
			if want := float64(x) * m; math.Abs(float64(got)-want) > 1 {
				t.Errorf("m=%g x=%d: %d, want about %g", m, x, got, want)
			}
		}
	}
}

package quantize

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestFromRange(t *testing.T) {
	cases := []struct {
		lo, hi float32
		zp     int32
	}{
		{0, 6, -128},     // ReLU output: 0 maps to -128
		{-1, 1, -1},      // -128 + 127.5 rounds away from zero
		{-2, 0, 127},     // all negative: 0 maps to 127
		{1, 3, -128},     // widened to include 0
		{-3, -1, 127},    // widened to include 0
		{0, 0, -128},     // degenerate: tiny positive scale
		{-0.5, 1.5, -64}, // zp = round(-128 + 0.5/(2/255)) = round(-64.25)
	}
	for _, c := range cases {
		p := FromRange(c.lo, c.hi)
		if p.ZeroPoint != c.zp || !(p.Scale > 0) {
			t.Errorf("FromRange(%v,%v) = %+v, want zero point %d", c.lo, c.hi, p, c.zp)
		}
		if p.Dequantize(p.Quantize(0)) != 0 {
			t.Errorf("FromRange(%v,%v): 0 not exact", c.lo, c.hi)
		}
		// Both ends are representable to half a step.
		for _, v := range []float32{min(c.lo, 0), max(c.hi, 0)} {
			if d := math.Abs(float64(p.Dequantize(p.Quantize(v)) - v)); d > float64(p.Scale)/2+1e-6 {
				t.Errorf("FromRange(%v,%v): %v round trips with error %v", c.lo, c.hi, v, d)
			}
		}
	}
}

func TestPerChannelErrorBound(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	cases := []struct {
		name  string
		shape []int
		axis  int
	}{
		{"conv", []int{6, 3, 3, 4}, 0},
		{"depthwise", []int{1, 3, 3, 5}, 3},
		{"pointwise", []int{4, 1, 1, 7}, 0},
	}
	for _, c := range cases {
		n := 1
		for _, d := range c.shape {
			n *= d
		}
		w := make([]float32, n)
		for i := range w {
			w[i] = float32(r.NormFloat64())
		}
		// One channel much larger and one zero: per-channel scales must
		// keep the small ones precise.
		nc := c.shape[c.axis]
		inner := n / nc
		if c.axis == 3 {
			inner = 1
		}
		for i := range w {
			switch ch := (i / inner) % nc; ch {
			case 0:
				w[i] *= 100
			case 1:
				w[i] = 0
			}
		}
		q, scales, err := PerChannel(w, c.shape, c.axis)
		if err != nil {
			t.Fatal(err)
		}
		if len(scales) != nc {
			t.Fatalf("%s: %d scales", c.name, len(scales))
		}
		maxAbs := make([]float64, nc)
		for i, v := range w {
			ch := (i / inner) % nc
			maxAbs[ch] = math.Max(maxAbs[ch], math.Abs(float64(v)))
		}
		for i, v := range w {
			ch := (i / inner) % nc
			s := float64(scales[ch])
			if maxAbs[ch] > 0 && math.Abs(s-maxAbs[ch]/127) > 1e-6*s {
				t.Fatalf("%s: channel %d scale %v, want max|w|/127 = %v", c.name, ch, s, maxAbs[ch]/127)
			}
			if e := math.Abs(float64(q[i])*s - float64(v)); e > s/2+1e-6 {
				t.Fatalf("%s: weight %d error %v > scale/2 %v", c.name, i, e, s/2)
			}
			if q[i] < -127 {
				t.Fatalf("%s: weight %d quantised to -128", c.name, i)
			}
		}
	}
	if _, _, err := PerChannel(make([]float32, 5), []int{2, 2}, 0); err == nil {
		t.Error("size mismatch accepted")
	}
}

func TestQuantizeBias(t *testing.T) {
	q, s := QuantizeBias([]float32{1, -1, 0.5}, 0.5, []float32{0.01, 0.02, 0.1})
	want := []int32{200, -100, 10}
	for i := range q {
		if q[i] != want[i] || math.Abs(float64(s[i])-[]float64{0.005, 0.01, 0.05}[i]) > 1e-9 {
			t.Errorf("bias %d: %d scale %v, want %d", i, q[i], s[i], want[i])
		}
	}
}

func TestQuantizeMultiplier(t *testing.T) {
	cases := []struct {
		real  float64
		m     int32
		shift int
	}{
		{0.5, 1 << 30, 0},
		{0.25, 1 << 30, -1},
		{1, 1 << 30, 1},
		{0.75, 1610612736, 0},
		{1 - 1e-12, 1 << 30, 1}, // mantissa rounds to 2^31: renormalised
	}
	for _, c := range cases {
		m, s := QuantizeMultiplier(c.real)
		if m != c.m || s != c.shift {
			t.Errorf("QuantizeMultiplier(%v) = %d, %d; want %d, %d", c.real, m, s, c.m, c.shift)
		}
	}
}

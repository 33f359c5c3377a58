package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// srdhmRef and rdbpotRef are TFLite's branching forms (gemmlowp's
// SaturatingRoundingDoublingHighMul and RoundingDivideByPOT), the reference
// the branch-free ones are checked against.
func srdhmRef(a, b int32) int32 {
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

func rdbpotRef(x int32, exponent int) int32 {
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

func TestRoundingMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	edges := []int32{math.MinInt32, math.MinInt32 + 1, -1 << 30, -3, -2, -1, 0, 1, 2, 3, 1 << 30, math.MaxInt32 - 1, math.MaxInt32}
	vals := append([]int32(nil), edges...)
	for range 2000 {
		vals = append(vals, int32(rng.Uint32()), int32(rng.IntN(1<<16))-1<<15)
	}
	for _, a := range vals {
		for _, b := range edges {
			if got, want := SaturatingRoundingDoublingHighMul(a, b), srdhmRef(a, b); got != want {
				t.Fatalf("SaturatingRoundingDoublingHighMul(%d, %d) = %d, want %d", a, b, got, want)
			}
			if got, want := SaturatingRoundingDoublingHighMul(b, a), srdhmRef(b, a); got != want {
				t.Fatalf("SaturatingRoundingDoublingHighMul(%d, %d) = %d, want %d", b, a, got, want)
			}
		}
		b := int32(rng.Uint32())
		if got, want := SaturatingRoundingDoublingHighMul(a, b), srdhmRef(a, b); got != want {
			t.Fatalf("SaturatingRoundingDoublingHighMul(%d, %d) = %d, want %d", a, b, got, want)
		}
		for e := 0; e <= 31; e++ {
			if got, want := RoundingDivideByPOT(a, e), rdbpotRef(a, e); got != want {
				t.Fatalf("RoundingDivideByPOT(%d, %d) = %d, want %d", a, e, got, want)
			}
		}
	}
}

// TestPackedSumsExact checks the packed lanes' half-sums at their bound:
// MaxPackedTaps products of -128*-128 (and of -128*127) in both halves.
func TestPackedSumsExact(t *testing.T) {
	k := MaxPackedTaps
	x := make([]int8, k)
	f := make([]int8, 2*k)
	for i := range x {
		x[i] = -128
		f[i], f[k+i] = -128, 127
	}
	pk := PackPairs(f, 2, k)
	lo, hi := unpack(dotPacked1(x, pk))
	if want := int32(k * 128 * 128); lo != want {
		t.Errorf("low half-sum %d, want %d", lo, want)
	}
	if want := int32(-k * 128 * 127); hi != want {
		t.Errorf("high half-sum %d, want %d", hi, want)
	}
}

// TestConvInt8PackedMatchesConvInt8 runs the packed convolution and ConvInt8
// (the plain dot products) on random filters and inputs, odd and even
// channel counts, strides, dilations and padding, and wants every output
// the same.
func TestConvInt8PackedMatchesConvInt8(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct{ h, w, cin, cout, kh, kw, s, d, pad int }{
		{9, 9, 8, 8, 1, 1, 1, 1, 0},
		{9, 7, 3, 24, 3, 3, 1, 1, 1},
		{8, 8, 16, 32, 2, 2, 2, 1, 0},
		{7, 7, 5, 1, 3, 3, 1, 1, 1},
		{7, 7, 5, 3, 3, 3, 1, 2, 2},
		{6, 6, 4, 9, 5, 5, 2, 1, 2},
		{5, 5, 24, 17, 1, 1, 1, 1, 0},
	} {
		for _, extreme := range []bool{false, true} {
			g := &Geom{N: 2, H: tc.h, W: tc.w, Cin: tc.cin, Cout: tc.cout, KH: tc.kh, KW: tc.kw,
				SH: tc.s, SW: tc.s, DH: tc.d, DW: tc.d, PadT: tc.pad, PadL: tc.pad,
				LoQ: -128, HiQ: 127, InOff: int32(rng.IntN(256) - 128), OutOff: int32(rng.IntN(41) - 20)}
			g.OH = (tc.h+2*tc.pad-tc.d*(tc.kh-1)-1)/tc.s + 1
			g.OW = (tc.w+2*tc.pad-tc.d*(tc.kw-1)-1)/tc.s + 1
			k := tc.kh * tc.kw * tc.cin
			i8 := func(n int) []int8 { return randI8(rng, n, extreme) }
			in, f := i8(g.N*g.H*g.W*g.Cin), i8(g.Cout*k)
			wsum, base := make([]int32, g.Cout), make([]int32, g.Cout)
			for oc := range g.Cout {
				g.Mul = append(g.Mul, int32(1<<30+rng.IntN(1<<30)))
				g.Shift = append(g.Shift, -rng.IntN(12))
				g.BiasQ = append(g.BiasQ, int32(rng.IntN(1<<16))-1<<15)
				for _, v := range f[oc*k : (oc+1)*k] {
					wsum[oc] += int32(v)
				}
				base[oc] = g.BiasQ[oc] + g.InOff*wsum[oc]
			}
			n := g.N * g.OH * g.OW * g.Cout
			want, got := make([]int8, n), make([]int8, n)
			ConvInt8(g, in, f, base, want, make([]int8, k), 0, g.OH)
			pk := PackPairs(f, g.Cout, k)
			ConvInt8Packed(g, in, pk, base, got, make([]int8, k), 0, 1)
			ConvInt8Packed(g, in, pk, base, got, make([]int8, k), 1, g.OH)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%+v extreme=%v: output %d is %d, want %d", tc, extreme, i, got[i], want[i])
				}
			}
		}
	}
}

func BenchmarkRequant(b *testing.B) {
	g := &Geom{Mul: []int32{1 << 30}, Shift: []int{-7}, LoQ: -128, HiQ: 127, OutOff: -5}
	base := []int32{11 + 3*-40}
	var s int8
	for i := 0; b.Loop(); i++ {
		s += g.requantBase(0, int32(i*2654435761), base)
	}
	_ = s
}

// depthwiseRef is DepthwiseInt8 with every channel through acc (its form
// before channels went eight at a time).
func depthwiseRef(g *Geom, in, f, out []int8) {
	acc := make([]int32, g.Cout)
	for n := 0; n < g.N; n++ {
		for oy := 0; oy < g.OH; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				ky0, ky1, kx0, kx1 := g.Taps(oy, ox)
				iy0, ix0 := oy*g.SH-g.PadT, ox*g.SW-g.PadL
				copy(acc, g.BiasQ)
				for ky := ky0; ky < ky1; ky++ {
					for kx := kx0; kx < kx1; kx++ {
						x := in[((n*g.H+iy0+ky*g.DH)*g.W+ix0+kx*g.DW)*g.Cin:][:g.Cin]
						w := f[(ky*g.KW+kx)*g.Cout:][:g.Cout]
						for c, v := range x {
							for m := 0; m < g.DepthMul; m++ {
								acc[c*g.DepthMul+m] += (int32(v) + g.InOff) * int32(w[c*g.DepthMul+m])
							}
						}
					}
				}
				o := out[((n*g.OH+oy)*g.OW+ox)*g.Cout:][:g.Cout]
				for c, a := range acc {
					a = MultiplyByQuantizedMultiplier(a, g.Mul[c], g.Shift[c]) + g.OutOff
					o[c] = int8(ClampI32(a, g.LoQ, g.HiQ))
				}
			}
		}
	}
}

// TestDepthwiseInt8MatchesReference checks DepthwiseInt8 (eight channels
// at a time where it can) against depthwiseRef: channel counts below, at and
// past multiples of 8, channel multipliers, strides, dilations, padding.
func TestDepthwiseInt8MatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, tc := range []struct{ h, w, cin, mul, k, s, d, pad int }{
		{8, 8, 8, 1, 3, 1, 1, 1},
		{9, 7, 16, 1, 5, 1, 1, 2},
		{9, 9, 13, 1, 3, 2, 1, 1},
		{7, 7, 5, 1, 3, 1, 2, 2},
		{7, 6, 24, 1, 5, 2, 2, 4},
		{6, 6, 4, 2, 3, 1, 1, 1},
		{6, 6, 8, 3, 3, 1, 1, 0},
	} {
		for _, extreme := range []bool{false, true} {
			g := &Geom{N: 2, H: tc.h, W: tc.w, Cin: tc.cin, Cout: tc.cin * tc.mul, DepthMul: tc.mul, KH: tc.k, KW: tc.k,
				SH: tc.s, SW: tc.s, DH: tc.d, DW: tc.d, PadT: tc.pad, PadL: tc.pad,
				LoQ: -128, HiQ: 127, InOff: int32(rng.IntN(256) - 128), OutOff: int32(rng.IntN(41) - 20)}
			g.OH = (tc.h+2*tc.pad-tc.d*(tc.k-1)-1)/tc.s + 1
			g.OW = (tc.w+2*tc.pad-tc.d*(tc.k-1)-1)/tc.s + 1
			i8 := func(n int) []int8 { return randI8(rng, n, extreme) }
			in, f := i8(g.N*g.H*g.W*g.Cin), i8(tc.k*tc.k*g.Cout)
			for range g.Cout {
				g.Mul = append(g.Mul, int32(1<<30+rng.IntN(1<<30)))
				g.Shift = append(g.Shift, 2-rng.IntN(12))
				g.BiasQ = append(g.BiasQ, int32(rng.IntN(1<<16))-1<<15)
			}
			n := g.N * g.OH * g.OW * g.Cout
			want, got := make([]int8, n), make([]int8, n)
			depthwiseRef(g, in, f, want)
			acc := make([]int32, g.Cout)
			DepthwiseInt8(g, in, f, got, acc, 0, 2)
			DepthwiseInt8(g, in, f, got, acc, 2, g.OH)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%+v extreme=%v: output %d is %d, want %d", tc, extreme, i, got[i], want[i])
				}
			}
		}
	}
}

// randI8 returns n random int8 values, or with extreme only -128 and 127.
func randI8(rng *rand.Rand, n int, extreme bool) []int8 {
	v := make([]int8, n)
	for i := range v {
		if v[i] = int8(rng.IntN(256) - 128); extreme {
			v[i] = [2]int8{-128, 127}[rng.IntN(2)]
		}
	}
	return v
}

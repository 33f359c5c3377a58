package kernels

// This file holds CONV_2D's int8 path without SIMD: two output channels'
// weights share one int64, so one multiply-add serves both.
//
// Lane p of tap i holds w[2p+1][i]<<32 + w[2p][i] (signed). Summed over the
// taps, x*lane is (Σ x*w[2p+1])<<32 + Σ x*w[2p] exactly in int64 while each
// half-sum fits in int32: |x*w| <= 128*128, so up to MaxPackedTaps taps.
// The low half is then the low 32 bits, and the high half what is left,
// shifted down.

// MaxPackedTaps is the most taps (KH*KW*Cin) a packed filter may have: each
// half-sum of int8 products stays within int32 (131071 * 128 * 128 < 2^31).
const MaxPackedTaps = (1<<31 - 1) / (128 * 128)

// PackPairs returns the int8 filter f ([cout][k], k taps per output channel)
// as (cout+1)/2 lanes of k int64 values; an odd last channel pairs with zeros.
func PackPairs(f []int8, cout, k int) []int64 {
	np := (cout + 1) / 2
	pk := make([]int64, np*k)
	for p := range np {
		lo := f[2*p*k : (2*p+1)*k]
		var hi []int8
		if 2*p+1 < cout {
			hi = f[(2*p+1)*k : (2*p+2)*k]
		}
		dst := pk[p*k : (p+1)*k]
		for i := range dst {
			v := int64(lo[i])
			if hi != nil {
				v += int64(hi[i]) << 32
			}
			dst[i] = v
		}
	}
	return pk
}

// unpack splits a packed sum into its two int32 half-sums.
func unpack(s int64) (lo, hi int32) {
	lo = int32(s)
	return lo, int32((s - int64(lo)) >> 32)
}

// dotPacked4 returns the packed sums of x with four lanes of len(x) taps.
func dotPacked4(x []int8, a, b, c, d []int64) (s0, s1, s2, s3 int64) {
	n := len(x)
	a, b, c, d = a[:n], b[:n], c[:n], d[:n]
	for i, v := range x {
		xv := int64(v)
		s0 += xv * a[i]
		s1 += xv * b[i]
		s2 += xv * c[i]
		s3 += xv * d[i]
	}
	return
}

// dotPacked1 returns the packed sum of x with one lane of len(x) taps.
func dotPacked1(x []int8, a []int64) (s int64) {
	a = a[:len(x)]
	for i, v := range x {
		s += int64(v) * a[i]
	}
	return
}

// ConvInt8Packed computes output rows [oy0, oy1) of TFLite's per-channel
// int8 CONV_2D as ConvInt8 does, from the filter packed by PackPairs (at
// most MaxPackedTaps taps) and base[oc] = bias[oc] + InOff*Σw[oc]; patch is
// KH*KW*Cin scratch.
func ConvInt8Packed(g *Geom, in []int8, pk []int64, base []int32, out, patch []int8, oy0, oy1 int) {
	k := g.KH * g.KW * g.Cin
	np := (g.Cout + 1) / 2
	pad := int8(-g.InOff)
	lane := func(p int) []int64 { return pk[p*k : (p+1)*k] }
	put := func(o []int8, p int, s int64) {
		lo, hi := unpack(s)
		o[2*p] = g.requantBase(2*p, lo, base)
		if 2*p+1 < len(o) {
			o[2*p+1] = g.requantBase(2*p+1, hi, base)
		}
	}
	for n := 0; n < g.N; n++ {
		for oy := oy0; oy < oy1; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				x := gatherPatch(g, in, n, oy, ox, pad, patch)
				o := out[((n*g.OH+oy)*g.OW+ox)*g.Cout:][:g.Cout]
				p := 0
				for ; p+4 <= np; p += 4 {
					s0, s1, s2, s3 := dotPacked4(x, lane(p), lane(p+1), lane(p+2), lane(p+3))
					put(o, p, s0)
					put(o, p+1, s1)
					put(o, p+2, s2)
					put(o, p+3, s3)
				}
				for ; p < np; p++ {
					put(o, p, dotPacked1(x, lane(p)))
				}
			}
		}
	}
}

// requantBase requantises output channel oc's dot product to int8, the bias
// and the input offset's share folded into base[oc] (int32 sums wrap alike
// in either order).
func (g *Geom) requantBase(oc int, dot int32, base []int32) int8 {
	acc := MultiplyByQuantizedMultiplier(base[oc]+dot, g.Mul[oc], g.Shift[oc]) + g.OutOff
	return int8(ClampI32(acc, g.LoQ, g.HiQ))
}

package kernels

// Geom is the geometry shared by CONV_2D and DEPTHWISE_CONV_2D.
type Geom struct {
	N, H, W, Cin   int     // input batch, height, width, channels
	OH, OW, Cout   int     // output height, width, channels
	KH, KW         int     // filter (or pool window) size
	SH, SW, DH, DW int     // strides and dilations
	PadT, PadL     int     // leading padding (TF SAME)
	LoF, HiF       float32 // float activation clamp
	LoQ, HiQ       int32   // int8 activation clamp
	InOff, OutOff  int32   // -input zero point, output zero point
	Mul            []int32 // per-channel quantised multipliers
	Shift          []int   // per-channel shifts
	BiasF          []float32
	BiasQ          []int32
	DepthMul       int // depthwise channel multiplier
}

// Taps returns the range of filter taps [ky0,ky1) x [kx0,kx1) inside the input.
func (g *Geom) Taps(oy, ox int) (ky0, ky1, kx0, kx1 int) {
	iy0, ix0 := oy*g.SH-g.PadT, ox*g.SW-g.PadL
	ky0, ky1 = tapRange(iy0, g.KH, g.DH, g.H)
	kx0, kx1 = tapRange(ix0, g.KW, g.DW, g.W)
	return
}

// tapRange returns the filter taps [k0, k1) of a window starting at input
// cell i0 (k taps, dilation d) that fall inside [0, n), in constant time
// (a filter may be far wider than the input).
func tapRange(i0, k, d, n int) (k0, k1 int) {
	if i0 < 0 {
		k0 = min((-i0+d-1)/d, k) // first tap with i0+k0*d >= 0
	}
	last := n - 1 - i0 // taps with k*d <= last are inside
	if last < 0 {
		return k0, k0
	}
	k1 = min(last/d+1, k)
	return k0, max(k1, k0)
}

// gatherPatch returns the input patch of output pixel (n, oy, ox) as KH*KW*Cin
// values in filter order, with pad for cells outside the input. Without padding
// or dilation gaps in a 1x1 filter it returns the input slice itself.
func gatherPatch[T float32 | int8](g *Geom, in []T, n, oy, ox int, pad T, buf []T) []T {
	iy0, ix0 := oy*g.SH-g.PadT, ox*g.SW-g.PadL
	if g.KH == 1 && g.KW == 1 && iy0 >= 0 && ix0 >= 0 && iy0 < g.H && ix0 < g.W {
		return in[((n*g.H+iy0)*g.W+ix0)*g.Cin:][:g.Cin]
	}
	p := 0
	for ky := 0; ky < g.KH; ky++ {
		iy := iy0 + ky*g.DH
		for kx := 0; kx < g.KW; kx++ {
			ix := ix0 + kx*g.DW
			dst := buf[p : p+g.Cin]
			if iy < 0 || iy >= g.H || ix < 0 || ix >= g.W {
				for c := range dst {
					dst[c] = pad
				}
			} else {
				copy(dst, in[((n*g.H+iy)*g.W+ix)*g.Cin:])
			}
			p += g.Cin
		}
	}
	return buf[:p]
}

// ConvFloat computes output rows [oy0, oy1) of a float32 CONV_2D (filter
// [Cout,KH,KW,Cin]); patch is KH*KW*Cin scratch.
func ConvFloat(g *Geom, in, f, out, patch []float32, oy0, oy1 int) {
	k := g.KH * g.KW * g.Cin
	for n := 0; n < g.N; n++ {
		for oy := oy0; oy < oy1; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				x := gatherPatch(g, in, n, oy, ox, 0, patch)
				o := out[((n*g.OH+oy)*g.OW+ox)*g.Cout:][:g.Cout]
				for oc := range o {
					o[oc] = ClampF32(g.BiasF[oc]+DotF32(f[oc*k:(oc+1)*k], x), g.LoF, g.HiF)
				}
			}
		}
	}
}

// ConvInt8 computes output rows [oy0, oy1) of TFLite's per-channel int8 CONV_2D. Padding cells hold the
// input zero point, so Σ w*(x-zp) = Σ w*x - zp*Σw, folded with the bias into
// base[oc] = bias[oc] + InOff*Σw[oc] over the whole filter; patch is KH*KW*Cin
// scratch. The interpreter runs it with
// SIMD dot products (DotI8x4) and for filters too long to pack; otherwise
// ConvInt8Packed, which TestConvInt8PackedMatchesConvInt8 holds to it.
func ConvInt8(g *Geom, in, f []int8, base []int32, out, patch []int8, oy0, oy1 int) {
	k := g.KH * g.KW * g.Cin
	pad := int8(-g.InOff)
	for n := 0; n < g.N; n++ {
		for oy := oy0; oy < oy1; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				x := gatherPatch(g, in, n, oy, ox, pad, patch)
				o := out[((n*g.OH+oy)*g.OW+ox)*g.Cout:][:g.Cout]
				oc := 0
				for ; oc+4 <= len(o); oc += 4 {
					d0, d1, d2, d3 := DotI8x4(x, f[oc*k:(oc+1)*k], f[(oc+1)*k:(oc+2)*k], f[(oc+2)*k:(oc+3)*k], f[(oc+3)*k:(oc+4)*k])
					o[oc] = g.requantBase(oc, d0, base)
					o[oc+1] = g.requantBase(oc+1, d1, base)
					o[oc+2] = g.requantBase(oc+2, d2, base)
					o[oc+3] = g.requantBase(oc+3, d3, base)
				}
				for ; oc < len(o); oc++ {
					o[oc] = g.requantBase(oc, DotI8(f[oc*k:(oc+1)*k], x), base)
				}
			}
		}
	}
}

// dotI8x4Go returns the dot products of x with four filters of len(x) in plain Go.
func dotI8x4Go(x, a, b, c, d []int8) (s0, s1, s2, s3 int32) {
	n := len(x)
	a, b, c, d = a[:n], b[:n], c[:n], d[:n]
	for i, v := range x {
		xv := int32(v)
		s0 += xv * int32(a[i])
		s1 += xv * int32(b[i])
		s2 += xv * int32(c[i])
		s3 += xv * int32(d[i])
	}
	return
}

// DotF32 returns Σ a[i]*b[i] over len(a).
func DotF32(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// DotI8 returns Σ a[i]*b[i] over len(a) in int32.
func DotI8(a, b []int8) int32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 int32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += int32(a[i]) * int32(b[i])
		s1 += int32(a[i+1]) * int32(b[i+1])
		s2 += int32(a[i+2]) * int32(b[i+2])
		s3 += int32(a[i+3]) * int32(b[i+3])
	}
	for ; i < len(a); i++ {
		s0 += int32(a[i]) * int32(b[i])
	}
	return s0 + s1 + s2 + s3
}

// DepthwiseFloat computes output rows [oy0, oy1) of a float32 DEPTHWISE_CONV_2D; acc is Cout scratch.
func DepthwiseFloat(g *Geom, in, f, out, acc []float32, oy0, oy1 int) {
	for n := 0; n < g.N; n++ {
		for oy := oy0; oy < oy1; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				ky0, ky1, kx0, kx1 := g.Taps(oy, ox)
				iy0, ix0 := oy*g.SH-g.PadT, ox*g.SW-g.PadL
				copy(acc, g.BiasF)
				for ky := ky0; ky < ky1; ky++ {
					for kx := kx0; kx < kx1; kx++ {
						x := in[((n*g.H+iy0+ky*g.DH)*g.W+ix0+kx*g.DW)*g.Cin:][:g.Cin]
						w := f[(ky*g.KW+kx)*g.Cout:][:g.Cout]
						if g.DepthMul == 1 {
							for c, v := range x {
								acc[c] += v * w[c]
							}
							continue
						}
						for c, v := range x {
							for m := 0; m < g.DepthMul; m++ {
								acc[c*g.DepthMul+m] += v * w[c*g.DepthMul+m]
							}
						}
					}
				}
				o := out[((n*g.OH+oy)*g.OW+ox)*g.Cout:][:g.Cout]
				for c, a := range acc {
					o[c] = ClampF32(a, g.LoF, g.HiF)
				}
			}
		}
	}
}

// DepthwiseInt8 computes output rows [oy0, oy1) of TFLite's per-channel int8
// DEPTHWISE_CONV_2D; acc is Cout scratch. With a channel multiplier of 1,
// channels go eight at a time in locals (registers) rather than through acc
// (depthwise8); the rest, and other multipliers, through acc.
func DepthwiseInt8(g *Geom, in, f, out []int8, acc []int32, oy0, oy1 int) {
	c8 := 0
	if g.DepthMul == 1 {
		c8 = g.Cout / 8 * 8
	}
	for n := 0; n < g.N; n++ {
		for oy := oy0; oy < oy1; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				ky0, ky1, kx0, kx1 := g.Taps(oy, ox)
				iy0, ix0 := oy*g.SH-g.PadT, ox*g.SW-g.PadL
				o := out[((n*g.OH+oy)*g.OW+ox)*g.Cout:][:g.Cout]
				for c := 0; c < c8; c += 8 {
					g.depthwise8(in, f, o, n, iy0, ix0, ky0, ky1, kx0, kx1, c)
				}
				if c8 == g.Cout {
					continue
				}
				copy(acc, g.BiasQ)
				for ky := ky0; ky < ky1; ky++ {
					for kx := kx0; kx < kx1; kx++ {
						x := in[((n*g.H+iy0+ky*g.DH)*g.W+ix0+kx*g.DW)*g.Cin:][:g.Cin]
						w := f[(ky*g.KW+kx)*g.Cout:][:g.Cout]
						if g.DepthMul == 1 {
							for c := c8; c < len(x); c++ {
								acc[c] += (int32(x[c]) + g.InOff) * int32(w[c])
							}
							continue
						}
						for c, v := range x {
							for m := 0; m < g.DepthMul; m++ {
								acc[c*g.DepthMul+m] += (int32(v) + g.InOff) * int32(w[c*g.DepthMul+m])
							}
						}
					}
				}
				for c := c8; c < len(o); c++ {
					o[c] = g.requantBase(c, 0, acc)
				}
			}
		}
	}
}

// depthwise8 computes channels [c, c+8) of one output pixel o of a
// depthwise convolution with a channel multiplier of 1 over the taps
// [ky0,ky1) x [kx0,kx1) of the window at input cell (iy0, ix0).
func (g *Geom) depthwise8(in, f, o []int8, n, iy0, ix0, ky0, ky1, kx0, kx1, c int) {
	b := g.BiasQ[c : c+8]
	a0, a1, a2, a3, a4, a5, a6, a7 := b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]
	off := g.InOff
	for ky := ky0; ky < ky1; ky++ {
		row := (n*g.H + iy0 + ky*g.DH) * g.W
		for kx := kx0; kx < kx1; kx++ {
			x := in[(row+ix0+kx*g.DW)*g.Cin+c:][:8]
			w := f[(ky*g.KW+kx)*g.Cout+c:][:8]
			a0 += (int32(x[0]) + off) * int32(w[0])
			a1 += (int32(x[1]) + off) * int32(w[1])
			a2 += (int32(x[2]) + off) * int32(w[2])
			a3 += (int32(x[3]) + off) * int32(w[3])
			a4 += (int32(x[4]) + off) * int32(w[4])
			a5 += (int32(x[5]) + off) * int32(w[5])
			a6 += (int32(x[6]) + off) * int32(w[6])
			a7 += (int32(x[7]) + off) * int32(w[7])
		}
	}
	o = o[c : c+8]
	for i, a := range [8]int32{a0, a1, a2, a3, a4, a5, a6, a7} {
		a = MultiplyByQuantizedMultiplier(a, g.Mul[c+i], g.Shift[c+i]) + g.OutOff
		o[i] = int8(ClampI32(a, g.LoQ, g.HiQ))
	}
}

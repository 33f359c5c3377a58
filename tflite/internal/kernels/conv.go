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
	ky0, ky1 = 0, g.KH
	for ky0 < g.KH && iy0+ky0*g.DH < 0 {
		ky0++
	}
	for ky1 > ky0 && iy0+(ky1-1)*g.DH >= g.H {
		ky1--
	}
	kx0, kx1 = 0, g.KW
	for kx0 < g.KW && ix0+kx0*g.DW < 0 {
		kx0++
	}
	for kx1 > kx0 && ix0+(kx1-1)*g.DW >= g.W {
		kx1--
	}
	return
}

// ConvFloat computes a float32 CONV_2D (filter [Cout,KH,KW,Cin]).
func ConvFloat(g *Geom, in, f, out []float32) {
	rowLen := g.KW * g.Cin
	for n := 0; n < g.N; n++ {
		for oy := 0; oy < g.OH; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				ky0, ky1, kx0, kx1 := g.Taps(oy, ox)
				iy0, ix0 := oy*g.SH-g.PadT, ox*g.SW-g.PadL
				o := out[((n*g.OH+oy)*g.OW+ox)*g.Cout:][:g.Cout]
				for oc := range o {
					acc := g.BiasF[oc]
					fo := f[oc*g.KH*rowLen:]
					for ky := ky0; ky < ky1; ky++ {
						iRow := in[((n*g.H+iy0+ky*g.DH)*g.W)*g.Cin:]
						fRow := fo[ky*rowLen:]
						if g.DW == 1 {
							a := (ix0 + kx0) * g.Cin
							acc += DotF32(fRow[kx0*g.Cin:kx1*g.Cin], iRow[a:])
							continue
						}
						for kx := kx0; kx < kx1; kx++ {
							acc += DotF32(fRow[kx*g.Cin:(kx+1)*g.Cin], iRow[(ix0+kx*g.DW)*g.Cin:])
						}
					}
					o[oc] = ClampF32(acc, g.LoF, g.HiF)
				}
			}
		}
	}
}

// ConvInt8 computes TFLite's per-channel int8 CONV_2D; wsum holds Σw per
// output channel and filter tap, used to fold the input offset out of the inner loop.
func ConvInt8(g *Geom, in, f []int8, wsum []int32, out []int8) {
	rowLen := g.KW * g.Cin
	for n := 0; n < g.N; n++ {
		for oy := 0; oy < g.OH; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				ky0, ky1, kx0, kx1 := g.Taps(oy, ox)
				iy0, ix0 := oy*g.SH-g.PadT, ox*g.SW-g.PadL
				o := out[((n*g.OH+oy)*g.OW+ox)*g.Cout:][:g.Cout]
				for oc := range o {
					acc := g.BiasQ[oc]
					fo := f[oc*g.KH*rowLen:]
					ws := wsum[oc*g.KH*g.KW:]
					var sw int32
					for ky := ky0; ky < ky1; ky++ {
						iRow := in[((n*g.H+iy0+ky*g.DH)*g.W)*g.Cin:]
						fRow := fo[ky*rowLen:]
						for kx := kx0; kx < kx1; kx++ {
							sw += ws[ky*g.KW+kx]
						}
						if g.DW == 1 {
							a := (ix0 + kx0) * g.Cin
							acc += DotI8(fRow[kx0*g.Cin:kx1*g.Cin], iRow[a:])
							continue
						}
						for kx := kx0; kx < kx1; kx++ {
							acc += DotI8(fRow[kx*g.Cin:(kx+1)*g.Cin], iRow[(ix0+kx*g.DW)*g.Cin:])
						}
					}
					acc += sw * g.InOff
					acc = MultiplyByQuantizedMultiplier(acc, g.Mul[oc], g.Shift[oc]) + g.OutOff
					o[oc] = int8(ClampI32(acc, g.LoQ, g.HiQ))
				}
			}
		}
	}
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

// DepthwiseFloat computes a float32 DEPTHWISE_CONV_2D; acc is Cout scratch.
func DepthwiseFloat(g *Geom, in, f, out, acc []float32) {
	for n := 0; n < g.N; n++ {
		for oy := 0; oy < g.OH; oy++ {
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

// DepthwiseInt8 computes TFLite's per-channel int8 DEPTHWISE_CONV_2D; acc is Cout scratch.
func DepthwiseInt8(g *Geom, in, f, out []int8, acc []int32) {
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
						if g.DepthMul == 1 {
							for c, v := range x {
								acc[c] += (int32(v) + g.InOff) * int32(w[c])
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
				o := out[((n*g.OH+oy)*g.OW+ox)*g.Cout:][:g.Cout]
				for c, a := range acc {
					a = MultiplyByQuantizedMultiplier(a, g.Mul[c], g.Shift[c]) + g.OutOff
					o[c] = int8(ClampI32(a, g.LoQ, g.HiQ))
				}
			}
		}
	}
}

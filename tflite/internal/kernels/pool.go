package kernels

import "math"

// PoolFloat computes float AVERAGE_POOL_2D or MAX_POOL_2D (padding ignored).
func PoolFloat(g *Geom, isMax bool, in, out []float32) {
	for n := 0; n < g.N; n++ {
		for oy := 0; oy < g.OH; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				ky0, ky1, kx0, kx1 := g.Taps(oy, ox)
				iy0, ix0 := oy*g.SH-g.PadT, ox*g.SW-g.PadL
				o := out[((n*g.OH+oy)*g.OW+ox)*g.Cout:][:g.Cout]
				count := float32((ky1 - ky0) * (kx1 - kx0))
				for c := range o {
					acc := float32(0)
					if isMax {
						acc = float32(math.Inf(-1))
					}
					for ky := ky0; ky < ky1; ky++ {
						for kx := kx0; kx < kx1; kx++ {
							v := in[((n*g.H+iy0+ky)*g.W+ix0+kx)*g.Cin+c]
							if isMax {
								acc = max(acc, v)
							} else {
								acc += v
							}
						}
					}
					if !isMax {
						acc /= count
					}
					o[c] = ClampF32(acc, g.LoF, g.HiF)
				}
			}
		}
	}
}

// PoolInt8 computes TFLite's int8 AVERAGE_POOL_2D (rounded) or MAX_POOL_2D.
func PoolInt8(g *Geom, isMax bool, in, out []int8) {
	for n := 0; n < g.N; n++ {
		for oy := 0; oy < g.OH; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				ky0, ky1, kx0, kx1 := g.Taps(oy, ox)
				iy0, ix0 := oy*g.SH-g.PadT, ox*g.SW-g.PadL
				o := out[((n*g.OH+oy)*g.OW+ox)*g.Cout:][:g.Cout]
				count := int32((ky1 - ky0) * (kx1 - kx0))
				for c := range o {
					acc := int32(0)
					if isMax {
						acc = -128
					}
					for ky := ky0; ky < ky1; ky++ {
						for kx := kx0; kx < kx1; kx++ {
							v := int32(in[((n*g.H+iy0+ky)*g.W+ix0+kx)*g.Cin+c])
							if isMax {
								acc = max(acc, v)
							} else {
								acc += v
							}
						}
					}
					if !isMax {
						// TFLite reference: round half away from zero.
						if acc > 0 {
							acc = (acc + count/2) / count
						} else {
							acc = (acc - count/2) / count
						}
					}
					o[c] = int8(ClampI32(acc, g.LoQ, g.HiQ))
				}
			}
		}
	}
}

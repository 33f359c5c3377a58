package kernels

import "math"

// PoolFloat computes float AVERAGE_POOL_2D or MAX_POOL_2D (padding cells are
// ignored; averages divide by the number of valid cells); acc is Cin scratch.
func PoolFloat(g *Geom, isMax bool, in, out, acc []float32) {
	acc = acc[:g.Cin]
	for n := 0; n < g.N; n++ {
		for oy := 0; oy < g.OH; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				ky0, ky1, kx0, kx1 := g.Taps(oy, ox)
				iy0, ix0 := oy*g.SH-g.PadT, ox*g.SW-g.PadL
				init := float32(0)
				if isMax {
					init = float32(math.Inf(-1))
				}
				for c := range acc {
					acc[c] = init
				}
				for ky := ky0; ky < ky1; ky++ {
					for kx := kx0; kx < kx1; kx++ {
						x := in[((n*g.H+iy0+ky)*g.W+ix0+kx)*g.Cin:][:len(acc)]
						if isMax {
							for c, v := range x {
								acc[c] = max(acc[c], v)
							}
						} else {
							for c, v := range x {
								acc[c] += v
							}
						}
					}
				}
				count := float32((ky1 - ky0) * (kx1 - kx0))
				o := out[((n*g.OH+oy)*g.OW+ox)*g.Cout:][:len(acc)]
				for c, a := range acc {
					if !isMax {
						a /= count
					}
					o[c] = ClampF32(a, g.LoF, g.HiF)
				}
			}
		}
	}
}

// PoolInt8 computes TFLite's int8 AVERAGE_POOL_2D (sum over valid cells,
// divided with rounding half away from zero) or MAX_POOL_2D; acc is Cin scratch.
func PoolInt8(g *Geom, isMax bool, in, out []int8, acc []int32) {
	acc = acc[:g.Cin]
	for n := 0; n < g.N; n++ {
		for oy := 0; oy < g.OH; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				ky0, ky1, kx0, kx1 := g.Taps(oy, ox)
				iy0, ix0 := oy*g.SH-g.PadT, ox*g.SW-g.PadL
				init := int32(0)
				if isMax {
					init = -128
				}
				for c := range acc {
					acc[c] = init
				}
				for ky := ky0; ky < ky1; ky++ {
					for kx := kx0; kx < kx1; kx++ {
						x := in[((n*g.H+iy0+ky)*g.W+ix0+kx)*g.Cin:][:len(acc)]
						if isMax {
							for c, v := range x {
								acc[c] = max(acc[c], int32(v))
							}
						} else {
							for c, v := range x {
								acc[c] += int32(v)
							}
						}
					}
				}
				count := int32((ky1 - ky0) * (kx1 - kx0))
				o := out[((n*g.OH+oy)*g.OW+ox)*g.Cout:][:len(acc)]
				for c, a := range acc {
					if !isMax {
						if a > 0 {
							a = (a + count/2) / count
						} else {
							a = (a - count/2) / count
						}
					}
					o[c] = int8(ClampI32(a, g.LoQ, g.HiQ))
				}
			}
		}
	}
}

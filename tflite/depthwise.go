package tflite

import "errors"

func (it *Interpreter) compileDepthwise(op *Operator) (func(), error) {
	o, ok := op.Options.(*DepthwiseConv2DOptions)
	if !ok || o == nil {
		return nil, errors.New("missing DepthwiseConv2DOptions")
	}
	g, ins, out, err := it.convCommon(op, o.Padding, o.StrideW, o.StrideH, o.DilationW, o.DilationH, o.Activation, true)
	if err != nil {
		return nil, err
	}
	if o.DepthMultiplier != 0 && int(o.DepthMultiplier) != g.depthMul {
		return nil, errors.New("depth_multiplier does not match the filter and input channels")
	}
	in, f := ins[0], ins[1]
	if err := it.reserve(int64(4 * g.cout)); err != nil {
		return nil, err
	}
	if out.typ == Float32 {
		acc := make([]float32, g.cout)
		return func() { depthwiseFloat(g, in.f32, f.f32, out.f32, acc) }, nil
	}
	acc := make([]int32, g.cout)
	return func() { depthwiseInt8(g, in.i8, f.i8, out.i8, acc) }, nil
}

func depthwiseFloat(g *convGeom, in, f, out, acc []float32) {
	for n := 0; n < g.n; n++ {
		for oy := 0; oy < g.oh; oy++ {
			for ox := 0; ox < g.ow; ox++ {
				ky0, ky1, kx0, kx1 := g.taps(oy, ox)
				iy0, ix0 := oy*g.sh-g.padT, ox*g.sw-g.padL
				copy(acc, g.biasF)
				for ky := ky0; ky < ky1; ky++ {
					for kx := kx0; kx < kx1; kx++ {
						x := in[((n*g.h+iy0+ky*g.dh)*g.w+ix0+kx*g.dw)*g.cin:][:g.cin]
						w := f[(ky*g.kw+kx)*g.cout:][:g.cout]
						if g.depthMul == 1 {
							for c, v := range x {
								acc[c] += v * w[c]
							}
							continue
						}
						for c, v := range x {
							for m := 0; m < g.depthMul; m++ {
								acc[c*g.depthMul+m] += v * w[c*g.depthMul+m]
							}
						}
					}
				}
				o := out[((n*g.oh+oy)*g.ow+ox)*g.cout:][:g.cout]
				for c, a := range acc {
					o[c] = clampF32(a, g.loF, g.hiF)
				}
			}
		}
	}
}

func depthwiseInt8(g *convGeom, in, f, out []int8, acc []int32) {
	for n := 0; n < g.n; n++ {
		for oy := 0; oy < g.oh; oy++ {
			for ox := 0; ox < g.ow; ox++ {
				ky0, ky1, kx0, kx1 := g.taps(oy, ox)
				iy0, ix0 := oy*g.sh-g.padT, ox*g.sw-g.padL
				copy(acc, g.biasQ)
				for ky := ky0; ky < ky1; ky++ {
					for kx := kx0; kx < kx1; kx++ {
						x := in[((n*g.h+iy0+ky*g.dh)*g.w+ix0+kx*g.dw)*g.cin:][:g.cin]
						w := f[(ky*g.kw+kx)*g.cout:][:g.cout]
						if g.depthMul == 1 {
							for c, v := range x {
								acc[c] += (int32(v) + g.inOff) * int32(w[c])
							}
							continue
						}
						for c, v := range x {
							for m := 0; m < g.depthMul; m++ {
								acc[c*g.depthMul+m] += (int32(v) + g.inOff) * int32(w[c*g.depthMul+m])
							}
						}
					}
				}
				o := out[((n*g.oh+oy)*g.ow+ox)*g.cout:][:g.cout]
				for c, a := range acc {
					a = multiplyByQuantizedMultiplier(a, g.mul[c], g.shift[c]) + g.outOff
					o[c] = int8(clampI32(a, g.loQ, g.hiQ))
				}
			}
		}
	}
}

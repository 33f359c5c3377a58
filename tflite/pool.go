package tflite

import (
	"errors"
	"fmt"
	"math"
)

func (it *Interpreter) compilePool(op *Operator) (func(), error) {
	o, ok := op.Options.(*Pool2DOptions)
	if !ok || o == nil {
		return nil, errors.New("missing Pool2DOptions")
	}
	ins, out, err := it.operands(op, 1, 1)
	if err != nil {
		return nil, err
	}
	in := ins[0]
	typ, err := sameType(in, out)
	if err != nil {
		return nil, err
	}
	if err := needRank(in, 4); err != nil {
		return nil, err
	}
	if err := checkActivation(o.Activation); err != nil {
		return nil, err
	}
	g := &convGeom{n: in.shape[0], h: in.shape[1], w: in.shape[2], cin: in.shape[3], cout: in.shape[3],
		kh: int(o.FilterHeight), kw: int(o.FilterWidth), sh: int(o.StrideH), sw: int(o.StrideW), dh: 1, dw: 1}
	if g.oh, g.padT, err = window(o.Padding, g.h, g.kh, g.sh, 1); err != nil {
		return nil, err
	}
	if g.ow, g.padL, err = window(o.Padding, g.w, g.kw, g.sw, 1); err != nil {
		return nil, err
	}
	if err := needShape(out, []int{g.n, g.oh, g.ow, g.cout}); err != nil {
		return nil, err
	}
	isMax := op.Op == OpMaxPool2D
	if typ == Float32 {
		g.loF, g.hiF = activationRangeFloat(o.Activation)
		return func() { poolFloat(g, isMax, in.f32, out.f32) }, nil
	}
	if err := perTensor(in, out); err != nil {
		return nil, err
	}
	if in.scale != out.scale || in.zp != out.zp {
		return nil, fmt.Errorf("int8 pooling needs equal input and output quantisation (%v,%d vs %v,%d)", in.scale, in.zp, out.scale, out.zp)
	}
	g.loQ, g.hiQ = activationRangeInt8(o.Activation, out.scale, out.zp)
	return func() { poolInt8(g, isMax, in.i8, out.i8) }, nil
}

func poolFloat(g *convGeom, isMax bool, in, out []float32) {
	for n := 0; n < g.n; n++ {
		for oy := 0; oy < g.oh; oy++ {
			for ox := 0; ox < g.ow; ox++ {
				ky0, ky1, kx0, kx1 := g.taps(oy, ox)
				iy0, ix0 := oy*g.sh-g.padT, ox*g.sw-g.padL
				o := out[((n*g.oh+oy)*g.ow+ox)*g.cout:][:g.cout]
				count := float32((ky1 - ky0) * (kx1 - kx0))
				for c := range o {
					acc := float32(0)
					if isMax {
						acc = float32(math.Inf(-1))
					}
					for ky := ky0; ky < ky1; ky++ {
						for kx := kx0; kx < kx1; kx++ {
							v := in[((n*g.h+iy0+ky)*g.w+ix0+kx)*g.cin+c]
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
					o[c] = clampF32(acc, g.loF, g.hiF)
				}
			}
		}
	}
}

func poolInt8(g *convGeom, isMax bool, in, out []int8) {
	for n := 0; n < g.n; n++ {
		for oy := 0; oy < g.oh; oy++ {
			for ox := 0; ox < g.ow; ox++ {
				ky0, ky1, kx0, kx1 := g.taps(oy, ox)
				iy0, ix0 := oy*g.sh-g.padT, ox*g.sw-g.padL
				o := out[((n*g.oh+oy)*g.ow+ox)*g.cout:][:g.cout]
				count := int32((ky1 - ky0) * (kx1 - kx0))
				for c := range o {
					acc := int32(0)
					if isMax {
						acc = -128
					}
					for ky := ky0; ky < ky1; ky++ {
						for kx := kx0; kx < kx1; kx++ {
							v := int32(in[((n*g.h+iy0+ky)*g.w+ix0+kx)*g.cin+c])
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
					o[c] = int8(clampI32(acc, g.loQ, g.hiQ))
				}
			}
		}
	}
}

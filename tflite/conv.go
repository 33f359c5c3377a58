package tflite

import (
	"errors"
	"fmt"
)

// convGeom is the geometry shared by CONV_2D and DEPTHWISE_CONV_2D.
type convGeom struct {
	n, h, w, cin   int
	oh, ow, cout   int
	kh, kw         int
	sh, sw, dh, dw int
	padT, padL     int
	loF, hiF       float32
	loQ, hiQ       int32
	inOff, outOff  int32
	mul            []int32
	shift          []int
	biasF          []float32
	biasQ          []int32
	depthMul       int
}

// taps returns the range of filter taps [ky0,ky1) x [kx0,kx1) inside the input.
func (g *convGeom) taps(oy, ox int) (ky0, ky1, kx0, kx1 int) {
	iy0, ix0 := oy*g.sh-g.padT, ox*g.sw-g.padL
	ky0, ky1 = 0, g.kh
	for ky0 < g.kh && iy0+ky0*g.dh < 0 {
		ky0++
	}
	for ky1 > ky0 && iy0+(ky1-1)*g.dh >= g.h {
		ky1--
	}
	kx0, kx1 = 0, g.kw
	for kx0 < g.kw && ix0+kx0*g.dw < 0 {
		kx0++
	}
	for kx1 > kx0 && ix0+(kx1-1)*g.dw >= g.w {
		kx1--
	}
	return
}

func (it *Interpreter) convCommon(op *Operator, pad Padding, sw, sh, dw, dh int32, act Activation, depthwise bool) (*convGeom, []*tensorBuf, *tensorBuf, error) {
	ins, out, err := it.operands(op, 2, 3)
	if err != nil {
		return nil, nil, nil, err
	}
	in, f := ins[0], ins[1]
	var bias *tensorBuf
	if len(ins) == 3 {
		bias = ins[2]
	}
	typ, err := sameType(in, f, out)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, t := range []*tensorBuf{in, f, out} {
		if err := needRank(t, 4); err != nil {
			return nil, nil, nil, err
		}
	}
	if err := needConst(f, "filter"); err != nil {
		return nil, nil, nil, err
	}
	if err := checkActivation(act); err != nil {
		return nil, nil, nil, err
	}
	g := &convGeom{n: in.shape[0], h: in.shape[1], w: in.shape[2], cin: in.shape[3],
		kh: f.shape[1], kw: f.shape[2], sh: int(sh), sw: int(sw), dh: int(orOne(dh)), dw: int(orOne(dw))}
	if depthwise {
		if f.shape[0] != 1 {
			return nil, nil, nil, fmt.Errorf("depthwise filter shape %v, want [1,KH,KW,C]", f.shape)
		}
		g.cout = f.shape[3]
		if g.cout%g.cin != 0 {
			return nil, nil, nil, fmt.Errorf("depthwise filter channels %d not a multiple of input channels %d", g.cout, g.cin)
		}
		g.depthMul = g.cout / g.cin
	} else {
		g.cout = f.shape[0]
		if f.shape[3] != g.cin {
			return nil, nil, nil, fmt.Errorf("filter shape %v does not match %d input channels", f.shape, g.cin)
		}
	}
	if g.oh, g.padT, err = window(pad, g.h, g.kh, g.sh, g.dh); err != nil {
		return nil, nil, nil, err
	}
	if g.ow, g.padL, err = window(pad, g.w, g.kw, g.sw, g.dw); err != nil {
		return nil, nil, nil, err
	}
	if err := needShape(out, []int{g.n, g.oh, g.ow, g.cout}); err != nil {
		return nil, nil, nil, err
	}
	if err := biasCheck(bias, typ, g.cout); err != nil {
		return nil, nil, nil, err
	}
	if typ == Float32 {
		g.loF, g.hiF = activationRangeFloat(act)
		g.biasF = make([]float32, g.cout)
		if bias != nil {
			copy(g.biasF, bias.f32)
		}
		return g, ins, out, nil
	}
	if err := perTensor(in, out); err != nil {
		return nil, nil, nil, err
	}
	dim := 0
	if depthwise {
		dim = 3
	}
	fs, err := filterScales(f, g.cout, dim)
	if err != nil {
		return nil, nil, nil, err
	}
	g.mul, g.shift = channelMultipliers(in, fs, out)
	g.loQ, g.hiQ = activationRangeInt8(act, out.scale, out.zp)
	g.inOff, g.outOff = -in.zp, out.zp
	g.biasQ = make([]int32, g.cout)
	if bias != nil {
		copy(g.biasQ, bias.i32)
	}
	return g, ins, out, nil
}

func (it *Interpreter) compileConv(op *Operator) (func(), error) {
	o, ok := op.Options.(*Conv2DOptions)
	if !ok || o == nil {
		return nil, errors.New("missing Conv2DOptions")
	}
	g, ins, out, err := it.convCommon(op, o.Padding, o.StrideW, o.StrideH, o.DilationW, o.DilationH, o.Activation, false)
	if err != nil {
		return nil, err
	}
	in, f := ins[0], ins[1]
	if out.typ == Float32 {
		return func() { convFloat(g, in.f32, f.f32, out.f32) }, nil
	}
	// Σw per output channel and tap row, used to fold the input offset out of the inner loop.
	wsum := make([]int32, g.cout*g.kh*g.kw)
	for k := range wsum {
		var s int32
		for _, v := range f.i8[k*g.cin : (k+1)*g.cin] {
			s += int32(v)
		}
		wsum[k] = s
	}
	return func() { convInt8(g, in.i8, f.i8, wsum, out.i8) }, nil
}

func convFloat(g *convGeom, in, f, out []float32) {
	rowLen := g.kw * g.cin
	for n := 0; n < g.n; n++ {
		for oy := 0; oy < g.oh; oy++ {
			for ox := 0; ox < g.ow; ox++ {
				ky0, ky1, kx0, kx1 := g.taps(oy, ox)
				iy0, ix0 := oy*g.sh-g.padT, ox*g.sw-g.padL
				o := out[((n*g.oh+oy)*g.ow+ox)*g.cout:][:g.cout]
				for oc := range o {
					acc := g.biasF[oc]
					fo := f[oc*g.kh*rowLen:]
					for ky := ky0; ky < ky1; ky++ {
						iRow := in[((n*g.h+iy0+ky*g.dh)*g.w)*g.cin:]
						fRow := fo[ky*rowLen:]
						if g.dw == 1 {
							a := (ix0 + kx0) * g.cin
							acc += dotF32(fRow[kx0*g.cin:kx1*g.cin], iRow[a:])
							continue
						}
						for kx := kx0; kx < kx1; kx++ {
							acc += dotF32(fRow[kx*g.cin:(kx+1)*g.cin], iRow[(ix0+kx*g.dw)*g.cin:])
						}
					}
					o[oc] = clampF32(acc, g.loF, g.hiF)
				}
			}
		}
	}
}

func convInt8(g *convGeom, in, f []int8, wsum []int32, out []int8) {
	rowLen := g.kw * g.cin
	for n := 0; n < g.n; n++ {
		for oy := 0; oy < g.oh; oy++ {
			for ox := 0; ox < g.ow; ox++ {
				ky0, ky1, kx0, kx1 := g.taps(oy, ox)
				iy0, ix0 := oy*g.sh-g.padT, ox*g.sw-g.padL
				o := out[((n*g.oh+oy)*g.ow+ox)*g.cout:][:g.cout]
				for oc := range o {
					acc := g.biasQ[oc]
					fo := f[oc*g.kh*rowLen:]
					ws := wsum[oc*g.kh*g.kw:]
					var sw int32
					for ky := ky0; ky < ky1; ky++ {
						iRow := in[((n*g.h+iy0+ky*g.dh)*g.w)*g.cin:]
						fRow := fo[ky*rowLen:]
						for kx := kx0; kx < kx1; kx++ {
							sw += ws[ky*g.kw+kx]
						}
						if g.dw == 1 {
							a := (ix0 + kx0) * g.cin
							acc += dotI8(fRow[kx0*g.cin:kx1*g.cin], iRow[a:])
							continue
						}
						for kx := kx0; kx < kx1; kx++ {
							acc += dotI8(fRow[kx*g.cin:(kx+1)*g.cin], iRow[(ix0+kx*g.dw)*g.cin:])
						}
					}
					acc += sw * g.inOff
					acc = multiplyByQuantizedMultiplier(acc, g.mul[oc], g.shift[oc]) + g.outOff
					o[oc] = int8(clampI32(acc, g.loQ, g.hiQ))
				}
			}
		}
	}
}

// dotF32 returns Σ a[i]*b[i] over len(a).
func dotF32(a, b []float32) float32 {
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

// dotI8 returns Σ a[i]*b[i] over len(a) in int32.
func dotI8(a, b []int8) int32 {
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

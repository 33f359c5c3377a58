package tflite

import "github.com/trapnet/trapnet/tflite/internal/kernels"

func (it *Interpreter) compileBinary(op *Operator) (func(), error) {
	var act Activation
	switch o := op.Options.(type) {
	case *AddOptions:
		if o != nil {
			act = o.Activation
		}
	case *MulOptions:
		if o != nil {
			act = o.Activation
		}
	}
	if err := checkActivation(act); err != nil {
		return nil, err
	}
	ins, out, err := it.operands(op, 2, 2)
	if err != nil {
		return nil, err
	}
	a, b := ins[0], ins[1]
	typ, err := sameType(a, b, out)
	if err != nil {
		return nil, err
	}
	if err := it.reserve(int64(8 * out.numel())); err != nil {
		return nil, err
	}
	ia, err := kernels.BroadcastIndex(a.shape, out.shape)
	if err != nil {
		return nil, err
	}
	ib, err := kernels.BroadcastIndex(b.shape, out.shape)
	if err != nil {
		return nil, err
	}
	isAdd := op.Op == OpAdd
	if typ == Float32 {
		lo, hi := activationRangeFloat(act)
		return func() { kernels.BinaryFloat(isAdd, a.f32, b.f32, out.f32, ia, ib, lo, hi) }, nil
	}
	if err := perTensor(a, b, out); err != nil {
		return nil, err
	}
	lo, hi := activationRangeInt8(act, out.scale, out.zp)
	if !isAdd {
		p := &kernels.MulInt8{ZpA: a.zp, ZpB: b.zp, ZpOut: out.zp, Lo: lo, Hi: hi}
		p.Mul, p.Shift = kernels.QuantizeMultiplier(float64(a.scale) * float64(b.scale) / float64(out.scale))
		return func() { p.Run(a.i8, b.i8, out.i8, ia, ib) }, nil
	}
	p, err := kernels.NewAddInt8(a.scale, b.scale, out.scale, a.zp, b.zp, out.zp, lo, hi)
	if err != nil {
		return nil, err
	}
	return func() { p.Run(a.i8, b.i8, out.i8, ia, ib) }, nil
}

package tflite

import (
	"errors"
	"fmt"

	"github.com/trapnet/trapnet/tflite/internal/fb"
)

// maxDims bounds the rank of a tensor read from a file.
const maxDims = 8

// Read parses a .tflite flatbuffer. Truncated, corrupt or hostile input gives an
// error, never a panic; allocations are bounded by a small multiple of len(data).
// The returned model does not alias data.
func Read(data []byte) (m *Model, err error) {
	defer func() {
		if r := recover(); r != nil {
			fe, ok := r.(fb.Error)
			if !ok {
				panic(r)
			}
			m, err = nil, fmt.Errorf("tflite: read: corrupt file: %s", fe.Msg)
		}
	}()
	if len(data) < 8 {
		return nil, fmt.Errorf("tflite: read: file too short (%d bytes)", len(data))
	}
	if string(data[4:8]) != "TFL3" {
		return nil, fmt.Errorf("tflite: read: missing TFL3 file identifier (got %q): not a TFLite model", data[4:8])
	}
	m, err = parseModel(fb.New(data))
	if err != nil {
		return nil, fmt.Errorf("tflite: read: %w", err)
	}
	return m, nil
}

func parseModel(f *fb.Buf) (*Model, error) {
	root := f.Table(f.Indirect(0))
	if v := root.U32(0, 0); v != SchemaVersion {
		return nil, fmt.Errorf("schema version %d, want %d", v, SchemaVersion)
	}
	m := &Model{Description: root.Str(3), Metadata: map[string][]byte{}}

	codeTabs := root.Tables(1)
	codes := make([]BuiltinOperator, len(codeTabs))
	versions := make([]int32, len(codeTabs))
	for i, ct := range codeTabs {
		code := BuiltinOperator(ct.I32(3, 0))
		if dep := BuiltinOperator(ct.I8(0, 0)); dep > code {
			code = dep
		}
		if code == 32 || ct.Str(1) != "" {
			return nil, fmt.Errorf("operator code %d: custom operator %q not supported", i, ct.Str(1))
		}
		if _, ok := opNames[code]; !ok {
			return nil, fmt.Errorf("operator code %d: unsupported builtin operator %d", i, int32(code))
		}
		codes[i], versions[i] = code, ct.I32(2, 1)
	}

	for i, bt := range root.Tables(4) {
		if bt.U64(1, 0) != 0 || bt.U64(2, 0) != 0 {
			return nil, fmt.Errorf("buffer %d: external (offset/size) buffers not supported", i)
		}
		m.Buffers = append(m.Buffers, Buffer{Data: bt.Bytes(0)})
	}
	if len(m.Buffers) == 0 {
		return nil, errors.New("no buffers (buffer 0 sentinel missing)")
	}
	if len(m.Buffers[0].Data) != 0 {
		return nil, errors.New("buffer 0 (sentinel) is not empty")
	}

	sgs := root.Tables(2)
	if len(sgs) != 1 {
		return nil, fmt.Errorf("%d subgraphs, want exactly 1", len(sgs))
	}
	sg := sgs[0]
	m.SubgraphName = sg.Str(4)
	for i, tt := range sg.Tables(0) {
		t, err := parseTensor(tt, len(m.Buffers))
		if err != nil {
			return nil, fmt.Errorf("tensor %d: %w", i, err)
		}
		m.Tensors = append(m.Tensors, t)
	}
	m.Inputs, m.Outputs = sg.Int32s(1), sg.Int32s(2)
	for i, ot := range sg.Tables(3) {
		idx := ot.U32(0, 0)
		if int(idx) >= len(codes) {
			return nil, fmt.Errorf("operator %d: opcode index %d out of range (%d codes)", i, idx, len(codes))
		}
		op := Operator{Op: codes[idx], Version: versions[idx], Inputs: ot.Int32s(1), Outputs: ot.Int32s(2)}
		opt, err := parseOptions(op.Op, ot)
		if err != nil {
			return nil, fmt.Errorf("operator %d (%v): %w", i, op.Op, err)
		}
		op.Options = opt
		m.Operators = append(m.Operators, op)
	}
	if err := checkIndices(m); err != nil {
		return nil, err
	}

	metaBuf := map[uint32]bool{}
	for i, mt := range root.Tables(6) {
		name, bi := mt.Str(0), mt.U32(1, 0)
		if int(bi) >= len(m.Buffers) {
			return nil, fmt.Errorf("metadata %d %q: buffer %d out of range", i, name, bi)
		}
		m.Metadata[name] = m.Buffers[bi].Data
		metaBuf[bi] = true
	}
	dropMetadataBuffers(m, metaBuf)
	return m, nil
}

// dropMetadataBuffers removes buffers used only by metadata and renumbers tensors' buffers.
func dropMetadataBuffers(m *Model, meta map[uint32]bool) {
	for _, t := range m.Tensors {
		delete(meta, t.Buffer)
	}
	delete(meta, 0)
	if len(meta) == 0 {
		return
	}
	remap := make([]uint32, len(m.Buffers))
	var kept []Buffer
	for i, b := range m.Buffers {
		if meta[uint32(i)] {
			continue
		}
		remap[i] = uint32(len(kept))
		kept = append(kept, b)
	}
	m.Buffers = kept
	for i := range m.Tensors {
		m.Tensors[i].Buffer = remap[m.Tensors[i].Buffer]
	}
}

func parseTensor(tt fb.Table, nbuf int) (Tensor, error) {
	t := Tensor{Name: tt.Str(3), Shape: tt.Int32s(0), Type: TensorType(tt.I8(1, 0)), Buffer: tt.U32(2, 0)}
	if len(t.Shape) > maxDims {
		return t, fmt.Errorf("%q: rank %d exceeds %d", t.Name, len(t.Shape), maxDims)
	}
	n := int64(1)
	for _, d := range t.Shape {
		if d < 0 {
			return t, fmt.Errorf("%q: negative dimension in shape %v", t.Name, t.Shape)
		}
		n *= int64(d)
		if n > 1<<31 {
			return t, fmt.Errorf("%q: shape %v too large", t.Name, t.Shape)
		}
	}
	if t.Type.Size() == 0 {
		return t, fmt.Errorf("%q: unsupported type %v", t.Name, t.Type)
	}
	if int(t.Buffer) >= nbuf {
		return t, fmt.Errorf("%q: buffer %d out of range (%d buffers)", t.Name, t.Buffer, nbuf)
	}
	if qt, ok := tt.Sub(4); ok {
		if qt.U8(4, 0) != 0 {
			return t, fmt.Errorf("%q: custom quantization details not supported", t.Name)
		}
		q := &Quantization{Scale: qt.Float32s(2), ZeroPoint: qt.Int64s(3), QuantizedDimension: qt.I32(6, 0)}
		if len(q.Scale) > 0 || len(q.ZeroPoint) > 0 {
			t.Quant = q
		}
	}
	return t, nil
}

// parseOptions reads the builtin options of an operator of kind op.
func parseOptions(op BuiltinOperator, ot fb.Table) (Options, error) {
	typ := ot.U8(3, 0)
	tab, present := ot.Sub(4)
	want := expectedUnion(op)
	if typ == unionNone || !present {
		if want == unionNone {
			return nil, nil
		}
		tab = fb.Table{} // absent: every field takes its default
	} else if typ != want {
		return nil, fmt.Errorf("builtin options type %d, want %d", typ, want)
	}
	get := func(fn func(t fb.Table) Options) Options {
		if tab.IsZero() {
			return fn(fb.Empty())
		}
		return fn(tab)
	}
	switch op {
	case OpConv2D:
		return get(func(t fb.Table) Options {
			return &Conv2DOptions{Padding: Padding(t.I8(0, 0)), StrideW: t.I32(1, 0), StrideH: t.I32(2, 0),
				Activation: Activation(t.I8(3, 0)), DilationW: t.I32(4, 1), DilationH: t.I32(5, 1)}
		}), nil
	case OpDepthwiseConv2D:
		return get(func(t fb.Table) Options {
			return &DepthwiseConv2DOptions{Padding: Padding(t.I8(0, 0)), StrideW: t.I32(1, 0), StrideH: t.I32(2, 0),
				DepthMultiplier: t.I32(3, 0), Activation: Activation(t.I8(4, 0)), DilationW: t.I32(5, 1), DilationH: t.I32(6, 1)}
		}), nil
	case OpAveragePool2D, OpMaxPool2D:
		return get(func(t fb.Table) Options {
			return &Pool2DOptions{Padding: Padding(t.I8(0, 0)), StrideW: t.I32(1, 0), StrideH: t.I32(2, 0),
				FilterWidth: t.I32(3, 0), FilterHeight: t.I32(4, 0), Activation: Activation(t.I8(5, 0))}
		}), nil
	case OpFullyConnected:
		if !tab.IsZero() && tab.I8(1, 0) != 0 {
			return nil, errors.New("shuffled FULLY_CONNECTED weights not supported")
		}
		return get(func(t fb.Table) Options {
			return &FullyConnectedOptions{Activation: Activation(t.I8(0, 0)), KeepNumDims: t.Boolean(2)}
		}), nil
	case OpSoftmax:
		return get(func(t fb.Table) Options { return &SoftmaxOptions{Beta: t.F32(0, 0)} }), nil
	case OpConcatenation:
		return get(func(t fb.Table) Options {
			return &ConcatenationOptions{Axis: t.I32(0, 0), Activation: Activation(t.I8(1, 0))}
		}), nil
	case OpAdd:
		return get(func(t fb.Table) Options { return &AddOptions{Activation: Activation(t.I8(0, 0))} }), nil
	case OpMul:
		return get(func(t fb.Table) Options { return &MulOptions{Activation: Activation(t.I8(0, 0))} }), nil
	case OpReshape:
		return get(func(t fb.Table) Options { return &ReshapeOptions{NewShape: t.Int32s(0)} }), nil
	case OpMean:
		return get(func(t fb.Table) Options { return &ReducerOptions{KeepDims: t.Boolean(0)} }), nil
	case OpPad:
		return &PadOptions{}, nil
	case OpQuantize:
		return &QuantizeOptions{}, nil
	case OpDequantize:
		return &DequantizeOptions{}, nil
	}
	return nil, nil
}

// expectedUnion returns the BuiltinOptions union type of op's options.
func expectedUnion(op BuiltinOperator) uint8 {
	switch op {
	case OpConv2D:
		return unionConv2D
	case OpDepthwiseConv2D:
		return unionDepthwiseConv2D
	case OpAveragePool2D, OpMaxPool2D:
		return unionPool2D
	case OpFullyConnected:
		return unionFullyConnected
	case OpSoftmax:
		return unionSoftmax
	case OpConcatenation:
		return unionConcatenation
	case OpAdd:
		return unionAdd
	case OpMul:
		return unionMul
	case OpReshape:
		return unionReshape
	case OpMean:
		return unionReducer
	case OpPad:
		return unionPad
	case OpQuantize:
		return unionQuantize
	case OpDequantize:
		return unionDequantize
	}
	return unionNone
}

package tflite

import (
	"errors"
	"fmt"
	"reflect"
	"sort"

	flatbuffers "github.com/google/flatbuffers/go"
)

// Write serialises m as a .tflite flatbuffer (schema version 3). It checks tensor,
// buffer and operator indices; use NewInterpreter for a full semantic check.
func Write(m *Model) ([]byte, error) {
	if m == nil {
		return nil, errors.New("tflite: write: nil model")
	}
	if err := checkIndices(m); err != nil {
		return nil, fmt.Errorf("tflite: write: %w", err)
	}
	size := 1024
	for _, b := range m.Buffers {
		size += len(b.Data) + 32
	}
	for _, d := range m.Metadata {
		size += len(d) + 32
	}
	b := flatbuffers.NewBuilder(size)

	// Operator codes: one per distinct (op, version).
	type codeKey struct {
		op  BuiltinOperator
		ver int32
	}
	codeIndex := map[codeKey]uint32{}
	var codes []codeKey
	opCode := make([]uint32, len(m.Operators))
	for i, op := range m.Operators {
		k := codeKey{op.Op, op.Version}
		if k.ver == 0 {
			k.ver = versionFor(m, &op)
		}
		idx, ok := codeIndex[k]
		if !ok {
			idx = uint32(len(codes))
			codeIndex[k] = idx
			codes = append(codes, k)
		}
		opCode[i] = idx
	}

	// Buffers, then metadata buffers.
	names := make([]string, 0, len(m.Metadata))
	for n := range m.Metadata {
		names = append(names, n)
	}
	sort.Strings(names)
	bufOffs := make([]flatbuffers.UOffsetT, 0, len(m.Buffers)+len(names))
	for _, buf := range m.Buffers {
		bufOffs = append(bufOffs, writeBuffer(b, buf.Data))
	}
	if len(m.Buffers) == 0 {
		bufOffs = append(bufOffs, writeBuffer(b, nil))
	}
	metaStart := len(bufOffs)
	for _, n := range names {
		bufOffs = append(bufOffs, writeBuffer(b, m.Metadata[n]))
	}
	metaOffs := make([]flatbuffers.UOffsetT, len(names))
	for i, n := range names {
		s := b.CreateString(n)
		b.StartObject(2)
		b.PrependUOffsetTSlot(0, s, 0)
		b.PrependUint32Slot(1, uint32(metaStart+i), 0)
		metaOffs[i] = b.EndObject()
	}

	codeOffs := make([]flatbuffers.UOffsetT, len(codes))
	for i, c := range codes {
		b.StartObject(4)
		dep := int8(127) // PLACEHOLDER_FOR_GREATER_OP_CODES
		if c.op < 127 {
			dep = int8(c.op)
		}
		b.PrependInt8Slot(0, dep, 0)
		b.PrependInt32Slot(2, c.ver, 1)
		b.PrependInt32Slot(3, int32(c.op), 0)
		codeOffs[i] = b.EndObject()
	}

	tensorOffs := make([]flatbuffers.UOffsetT, len(m.Tensors))
	for i := range m.Tensors {
		tensorOffs[i] = writeTensor(b, &m.Tensors[i])
	}
	opOffs := make([]flatbuffers.UOffsetT, len(m.Operators))
	for i := range m.Operators {
		op := &m.Operators[i]
		ins := int32Vector(b, op.Inputs)
		outs := int32Vector(b, op.Outputs)
		var optType uint8
		var opt flatbuffers.UOffsetT
		if op.Options != nil {
			if reflect.ValueOf(op.Options).IsNil() {
				return nil, fmt.Errorf("tflite: write: operator %d (%v): nil %T options", i, op.Op, op.Options)
			}
			optType = op.Options.unionType()
			opt = writeOptions(b, op.Options)
		}
		b.StartObject(9)
		b.PrependUint32Slot(0, opCode[i], 0)
		b.PrependUOffsetTSlot(1, ins, 0)
		b.PrependUOffsetTSlot(2, outs, 0)
		if optType != unionNone {
			b.PrependUint8Slot(3, optType, 0)
			b.PrependUOffsetTSlot(4, opt, 0)
		}
		opOffs[i] = b.EndObject()
	}
	tensorsVec := tableVector(b, tensorOffs)
	inVec := int32Vector(b, m.Inputs)
	outVec := int32Vector(b, m.Outputs)
	opsVec := tableVector(b, opOffs)
	var sgName flatbuffers.UOffsetT
	if m.SubgraphName != "" {
		sgName = b.CreateString(m.SubgraphName)
	}
	b.StartObject(5)
	b.PrependUOffsetTSlot(0, tensorsVec, 0)
	b.PrependUOffsetTSlot(1, inVec, 0)
	b.PrependUOffsetTSlot(2, outVec, 0)
	b.PrependUOffsetTSlot(3, opsVec, 0)
	if sgName != 0 {
		b.PrependUOffsetTSlot(4, sgName, 0)
	}
	sg := b.EndObject()

	codesVec := tableVector(b, codeOffs)
	sgVec := tableVector(b, []flatbuffers.UOffsetT{sg})
	var desc flatbuffers.UOffsetT
	if m.Description != "" {
		desc = b.CreateString(m.Description)
	}
	bufVec := tableVector(b, bufOffs)
	metaVec := tableVector(b, metaOffs)
	b.StartObject(8)
	b.PrependUint32Slot(0, SchemaVersion, 0)
	b.PrependUOffsetTSlot(1, codesVec, 0)
	b.PrependUOffsetTSlot(2, sgVec, 0)
	if desc != 0 {
		b.PrependUOffsetTSlot(3, desc, 0)
	}
	b.PrependUOffsetTSlot(4, bufVec, 0)
	if len(metaOffs) > 0 {
		b.PrependUOffsetTSlot(6, metaVec, 0)
	}
	root := b.EndObject()
	b.FinishWithFileIdentifier(root, []byte("TFL3"))
	return b.FinishedBytes(), nil
}

// versionFor picks the operator code version for an operator with Version 0.
func versionFor(m *Model, op *Operator) int32 {
	ts := op.Inputs
	if op.Op == OpQuantize {
		ts = op.Outputs
	}
	if len(ts) == 0 || ts[0] < 0 {
		return 1
	}
	return defaultVersion(op.Op, m.Tensors[ts[0]].Type)
}

// checkIndices verifies that every index in m refers to an existing tensor or buffer.
func checkIndices(m *Model) error {
	nt := int32(len(m.Tensors))
	for i, t := range m.Tensors {
		if int(t.Buffer) >= len(m.Buffers) && !(t.Buffer == 0 && len(m.Buffers) == 0) {
			return fmt.Errorf("tensor %d %q: buffer %d out of range (%d buffers)", i, t.Name, t.Buffer, len(m.Buffers))
		}
	}
	if len(m.Buffers) > 0 && len(m.Buffers[0].Data) != 0 {
		return errors.New("buffer 0 must be empty (sentinel)")
	}
	check := func(what string, idx []int32, optional bool) error {
		for _, x := range idx {
			if (x < 0 && !(optional && x == -1)) || x >= nt {
				return fmt.Errorf("%s: tensor index %d out of range (%d tensors)", what, x, nt)
			}
		}
		return nil
	}
	if err := check("subgraph inputs", m.Inputs, false); err != nil {
		return err
	}
	if err := check("subgraph outputs", m.Outputs, false); err != nil {
		return err
	}
	for i, op := range m.Operators {
		what := fmt.Sprintf("operator %d (%v)", i, op.Op)
		if err := check(what+" inputs", op.Inputs, true); err != nil {
			return err
		}
		if err := check(what+" outputs", op.Outputs, false); err != nil {
			return err
		}
	}
	return nil
}

func writeBuffer(b *flatbuffers.Builder, data []byte) flatbuffers.UOffsetT {
	var vec flatbuffers.UOffsetT
	if len(data) > 0 {
		b.StartVector(1, len(data), 16) // force_align: 16
		for i := len(data) - 1; i >= 0; i-- {
			b.PlaceByte(data[i])
		}
		vec = b.EndVector(len(data))
	}
	b.StartObject(3)
	if vec != 0 {
		b.PrependUOffsetTSlot(0, vec, 0)
	}
	return b.EndObject()
}

func writeTensor(b *flatbuffers.Builder, t *Tensor) flatbuffers.UOffsetT {
	shape := int32Vector(b, t.Shape)
	var name, q flatbuffers.UOffsetT
	if t.Name != "" {
		name = b.CreateString(t.Name)
	}
	if t.Quant != nil {
		scale := float32Vector(b, t.Quant.Scale)
		b.StartVector(8, len(t.Quant.ZeroPoint), 8)
		for i := len(t.Quant.ZeroPoint) - 1; i >= 0; i-- {
			b.PlaceInt64(t.Quant.ZeroPoint[i])
		}
		zp := b.EndVector(len(t.Quant.ZeroPoint))
		b.StartObject(7)
		b.PrependUOffsetTSlot(2, scale, 0)
		b.PrependUOffsetTSlot(3, zp, 0)
		b.PrependInt32Slot(6, t.Quant.QuantizedDimension, 0)
		q = b.EndObject()
	}
	b.StartObject(6)
	b.PrependUOffsetTSlot(0, shape, 0)
	b.PrependInt8Slot(1, int8(t.Type), 0)
	b.PrependUint32Slot(2, t.Buffer, 0)
	if name != 0 {
		b.PrependUOffsetTSlot(3, name, 0)
	}
	if q != 0 {
		b.PrependUOffsetTSlot(4, q, 0)
	}
	return b.EndObject()
}

func writeOptions(b *flatbuffers.Builder, o Options) flatbuffers.UOffsetT {
	switch o := o.(type) {
	case *Conv2DOptions:
		b.StartObject(6)
		b.PrependInt8Slot(0, int8(o.Padding), 0)
		b.PrependInt32Slot(1, o.StrideW, 0)
		b.PrependInt32Slot(2, o.StrideH, 0)
		b.PrependInt8Slot(3, int8(o.Activation), 0)
		b.PrependInt32Slot(4, orOne(o.DilationW), 1)
		b.PrependInt32Slot(5, orOne(o.DilationH), 1)
	case *DepthwiseConv2DOptions:
		b.StartObject(7)
		b.PrependInt8Slot(0, int8(o.Padding), 0)
		b.PrependInt32Slot(1, o.StrideW, 0)
		b.PrependInt32Slot(2, o.StrideH, 0)
		b.PrependInt32Slot(3, o.DepthMultiplier, 0)
		b.PrependInt8Slot(4, int8(o.Activation), 0)
		b.PrependInt32Slot(5, orOne(o.DilationW), 1)
		b.PrependInt32Slot(6, orOne(o.DilationH), 1)
	case *Pool2DOptions:
		b.StartObject(6)
		b.PrependInt8Slot(0, int8(o.Padding), 0)
		b.PrependInt32Slot(1, o.StrideW, 0)
		b.PrependInt32Slot(2, o.StrideH, 0)
		b.PrependInt32Slot(3, o.FilterWidth, 0)
		b.PrependInt32Slot(4, o.FilterHeight, 0)
		b.PrependInt8Slot(5, int8(o.Activation), 0)
	case *FullyConnectedOptions:
		b.StartObject(3)
		b.PrependInt8Slot(0, int8(o.Activation), 0)
		b.PrependBoolSlot(2, o.KeepNumDims, false)
	case *SoftmaxOptions:
		b.StartObject(1)
		b.PrependFloat32Slot(0, o.Beta, 0)
	case *ConcatenationOptions:
		b.StartObject(2)
		b.PrependInt32Slot(0, o.Axis, 0)
		b.PrependInt8Slot(1, int8(o.Activation), 0)
	case *AddOptions:
		b.StartObject(1)
		b.PrependInt8Slot(0, int8(o.Activation), 0)
	case *MulOptions:
		b.StartObject(1)
		b.PrependInt8Slot(0, int8(o.Activation), 0)
	case *ReshapeOptions:
		v := int32Vector(b, o.NewShape)
		b.StartObject(1)
		b.PrependUOffsetTSlot(0, v, 0)
	case *ReducerOptions:
		b.StartObject(1)
		b.PrependBoolSlot(0, o.KeepDims, false)
	default: // PadOptions, QuantizeOptions, DequantizeOptions: empty tables
		b.StartObject(0)
	}
	return b.EndObject()
}

func orOne(x int32) int32 {
	if x == 0 {
		return 1
	}
	return x
}

func int32Vector(b *flatbuffers.Builder, v []int32) flatbuffers.UOffsetT {
	b.StartVector(4, len(v), 4)
	for i := len(v) - 1; i >= 0; i-- {
		b.PlaceInt32(v[i])
	}
	return b.EndVector(len(v))
}

func float32Vector(b *flatbuffers.Builder, v []float32) flatbuffers.UOffsetT {
	b.StartVector(4, len(v), 4)
	for i := len(v) - 1; i >= 0; i-- {
		b.PlaceFloat32(v[i])
	}
	return b.EndVector(len(v))
}

func tableVector(b *flatbuffers.Builder, offs []flatbuffers.UOffsetT) flatbuffers.UOffsetT {
	b.StartVector(4, len(offs), 4)
	for i := len(offs) - 1; i >= 0; i-- {
		b.PrependUOffsetT(offs[i])
	}
	return b.EndVector(len(offs))
}

package tflite

import "fmt"

// SchemaVersion is the TFLite schema version written by Write and accepted by Read.
const SchemaVersion = 3

// TensorType is the element type of a tensor (TFLite enum TensorType).
type TensorType int8

// TensorType values, with their official TFLite enum numbers.
const (
	Float32 TensorType = 0
	Float16 TensorType = 1
	Int32   TensorType = 2
	UInt8   TensorType = 3
	Int64   TensorType = 4
	String  TensorType = 5
	Bool    TensorType = 6
	Int16   TensorType = 7
	Int8    TensorType = 9
)

// Size returns the size in bytes of one element, or 0 for types without a fixed size.
func (t TensorType) Size() int {
	switch t {
	case Float32, Int32:
		return 4
	case Float16, Int16:
		return 2
	case UInt8, Int8, Bool:
		return 1
	case Int64:
		return 8
	}
	return 0
}

// String returns the TFLite name of the type, e.g. "INT8".
func (t TensorType) String() string {
	switch t {
	case Float32:
		return "FLOAT32"
	case Float16:
		return "FLOAT16"
	case Int32:
		return "INT32"
	case UInt8:
		return "UINT8"
	case Int64:
		return "INT64"
	case String:
		return "STRING"
	case Bool:
		return "BOOL"
	case Int16:
		return "INT16"
	case Int8:
		return "INT8"
	}
	return fmt.Sprintf("TensorType(%d)", int8(t))
}

// Quantization holds affine quantisation parameters: real = Scale * (q - ZeroPoint).
// Per-tensor quantisation has one scale and one zero point; per-channel
// quantisation has one per index of dimension QuantizedDimension.
type Quantization struct {
	Scale              []float32
	ZeroPoint          []int64
	QuantizedDimension int32
}

// Tensor describes one tensor of the (single) subgraph.
type Tensor struct {
	Name  string
	Shape []int32
	Type  TensorType
	// Buffer indexes Model.Buffers; 0 (the empty sentinel) for activations.
	Buffer uint32
	// Quant is nil for non-quantised tensors.
	Quant *Quantization
}

// NumElements returns the product of the shape's dimensions (1 for a scalar).
func (t *Tensor) NumElements() int {
	n := 1
	for _, d := range t.Shape {
		n *= int(d)
	}
	return n
}

// Buffer is a raw little-endian data buffer of constant tensor contents.
type Buffer struct {
	Data []byte
}

// Operator is one builtin operation. Inputs and Outputs index Model.Tensors; an
// optional input that is absent (e.g. FULLY_CONNECTED without bias) is -1.
type Operator struct {
	Op BuiltinOperator
	// Version is the operator code version; 0 lets Write choose one from the op and its types.
	Version int32
	Inputs  []int32
	Outputs []int32
	// Options holds the typed builtin options (one of the *Options types of this
	// package) or nil for ops without options (LOGISTIC, RELU, QUANTIZE, ...).
	Options Options
}

// Model is an in-memory TFLite model with exactly one subgraph.
type Model struct {
	// Description is the free-text Model.description.
	Description string
	// SubgraphName is the name of subgraph 0 (may be empty).
	SubgraphName string
	Tensors      []Tensor
	// Buffers[0] must be the empty sentinel buffer.
	Buffers   []Buffer
	Operators []Operator
	// Inputs and Outputs are the subgraph's input and output tensor indices.
	Inputs  []int32
	Outputs []int32
	// Metadata maps Model.metadata names (e.g. MetaLabels) to their buffer contents.
	// Write stores each entry in its own buffer after Buffers; Read removes those
	// buffers from Buffers again when no tensor uses them.
	Metadata map[string][]byte
}

// NewModel returns an empty model with the buffer-0 sentinel and an empty metadata map.
func NewModel() *Model {
	return &Model{Buffers: []Buffer{{}}, Metadata: map[string][]byte{}}
}

// AddBuffer appends a data buffer and returns its index.
func (m *Model) AddBuffer(data []byte) uint32 {
	if len(m.Buffers) == 0 {
		m.Buffers = append(m.Buffers, Buffer{})
	}
	m.Buffers = append(m.Buffers, Buffer{Data: data})
	return uint32(len(m.Buffers) - 1)
}

// AddTensor appends a tensor and returns its index.
func (m *Model) AddTensor(t Tensor) int32 {
	m.Tensors = append(m.Tensors, t)
	return int32(len(m.Tensors) - 1)
}

// AddOperator appends an operator (operators run in the order they are added).
func (m *Model) AddOperator(op Operator) {
	m.Operators = append(m.Operators, op)
}

// Metadata buffer names used by trapnet (see docs/CONTRACTS.md).
const (
	MetaLabels         = "trapnet.labels"
	MetaMetadataSchema = "trapnet.metadata_schema"
	MetaPreprocess     = "trapnet.preprocess"
	MetaGenotype       = "trapnet.genotype"
	MetaVersion        = "trapnet.version"
	MetaDataSummary    = "trapnet.data_summary"
)

// SetMetadata stores a named metadata buffer (creating the map if needed).
func (m *Model) SetMetadata(name string, data []byte) {
	if m.Metadata == nil {
		m.Metadata = map[string][]byte{}
	}
	m.Metadata[name] = data
}

// MetadataString returns a named metadata buffer as a string and whether it exists.
func (m *Model) MetadataString(name string) (string, bool) {
	b, ok := m.Metadata[name]
	return string(b), ok
}

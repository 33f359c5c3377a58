// Package model runs a trapnet .tflite classifier on the trap: it reads the
// model's trapnet.* metadata buffers (labels, metadata schema, preprocess
// parameters, version), preprocesses a crop exactly as training did
// (package preprocess), encodes the specimen's metadata with the schema
// shipped in the file (package metadata) and runs the pure-Go interpreter.
package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math"
	"os"
	"sort"
	"sync/atomic"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/metadata"
	"github.com/trapnet/trapnet/preprocess"
	"github.com/trapnet/trapnet/tflite"
)

// Model is a loaded classifier. It implements agent.Classifier and is safe
// for concurrent use: it holds a pool of interpreters (see ParseN), and
// concurrent calls beyond the pool size wait for a free one.
type Model struct {
	labels  []string
	schema  *metadata.Schema // nil for an image-only model
	pp      preprocess.Params
	version string
	in, out []tflite.Tensor
	pool    chan *instance
	omit    map[string]bool // metadata columns not given to the model

	// EncodeWarnings counts metadata values that were present but unusable
	// (encoded as missing).
	EncodeWarnings atomic.Uint64
}

// instance is one interpreter with its input buffers.
type instance struct {
	it   *tflite.Interpreter
	img  []float32
	meta []float32
	q    []int8
}

// Load reads and prepares the .tflite file at path with one interpreter.
func Load(path string) (*Model, error) { return LoadN(path, 1) }

// LoadN reads and prepares the .tflite file at path with n interpreters
// (n crops classified in parallel; each holds its own activation memory).
func LoadN(path string, n int) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	m, err := ParseN(data, n)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	return m, nil
}

// Parse prepares a model from the bytes of a .tflite file (one interpreter).
func Parse(data []byte) (*Model, error) { return ParseN(data, 1) }

// ParseN prepares a model with n >= 1 interpreters.
func ParseN(data []byte, n int) (*Model, error) {
	tm, err := tflite.Read(data)
	if err != nil {
		return nil, err
	}
	m := &Model{}
	need := func(name string) ([]byte, error) {
		b, ok := tm.Metadata[name]
		if !ok || len(b) == 0 {
			return nil, fmt.Errorf("metadata buffer %s is missing", name)
		}
		return b, nil
	}
	b, err := need(tflite.MetaLabels)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &m.labels); err != nil || len(m.labels) == 0 {
		return nil, fmt.Errorf("metadata buffer %s: want a non-empty JSON array of strings (%v)", tflite.MetaLabels, err)
	}
	if b, err = need(tflite.MetaPreprocess); err != nil {
		return nil, err
	}
	if m.pp, err = preprocess.Unmarshal(b); err != nil {
		return nil, fmt.Errorf("metadata buffer %s: %w", tflite.MetaPreprocess, err)
	}
	m.version, _ = tm.MetadataString(tflite.MetaVersion)
	if m.version == "" {
		m.version = "unknown"
	}
	n = max(1, n)
	m.pool = make(chan *instance, n)
	for i := 0; i < n; i++ {
		it, err := tflite.NewInterpreter(tm, tflite.InterpreterOptions{})
		if err != nil {
			return nil, err
		}
		if i == 0 {
			if err := m.checkIO(tm, it); err != nil {
				return nil, err
			}
		}
		inst := &instance{it: it, img: make([]float32, m.pp.Len())}
		if m.schema != nil {
			inst.meta = make([]float32, 0, m.schema.Dim())
		}
		m.pool <- inst
	}
	return m, nil
}

func (m *Model) checkIO(tm *tflite.Model, it *tflite.Interpreter) error {
	n := it.NumInputs()
	if n < 1 || n > 2 || it.NumOutputs() < 1 {
		return fmt.Errorf("want 1 or 2 inputs (image, metadata) and 1 output, got %d and %d", n, it.NumOutputs())
	}
	for i := 0; i < n; i++ {
		t, _ := it.InputTensor(i)
		m.in = append(m.in, t)
	}
	out, _ := it.OutputTensor(0)
	m.out = []tflite.Tensor{out}
	s := m.pp.Size
	if got := m.in[0].Shape; len(got) != 4 || got[0] != 1 || int(got[1]) != s || int(got[2]) != s || got[3] != 3 {
		return fmt.Errorf("input 0 has shape %v, want [1 %d %d 3] (trapnet.preprocess size %d)", got, s, s, s)
	}
	if out.NumElements() != len(m.labels) {
		return fmt.Errorf("output 0 has %d values (shape %v) but trapnet.labels has %d labels", out.NumElements(), out.Shape, len(m.labels))
	}
	if n == 2 {
		b, ok := tm.Metadata[tflite.MetaMetadataSchema]
		if !ok {
			return fmt.Errorf("model has a metadata input but no %s buffer", tflite.MetaMetadataSchema)
		}
		sc, err := metadata.Unmarshal(b)
		if err != nil {
			return fmt.Errorf("metadata buffer %s: %w", tflite.MetaMetadataSchema, err)
		}
		if !sc.Fitted {
			return fmt.Errorf("metadata buffer %s: schema is not fitted", tflite.MetaMetadataSchema)
		}
		if d := m.in[1].NumElements(); d != sc.Dim() {
			return fmt.Errorf("input 1 has %d values (shape %v) but the metadata schema encodes %d", d, m.in[1].Shape, sc.Dim())
		}
		m.schema = sc
		m.omit = map[string]bool{}
		for _, c := range unseenColumns(sc) {
			m.omit[c] = true
		}
	}
	for i, t := range append(append([]tflite.Tensor(nil), m.in...), out) {
		if t.Type != tflite.Float32 && t.Type != tflite.Int8 {
			return fmt.Errorf("tensor %q (io %d) has type %v: want float32 or int8", t.Name, i, t.Type)
		}
		if t.Type == tflite.Int8 && (t.Quant == nil || len(t.Quant.Scale) == 0 || len(t.Quant.ZeroPoint) == 0) {
			return fmt.Errorf("int8 tensor %q has no quantisation parameters", t.Name)
		}
	}
	return nil
}

// unseenColumns returns the columns of fields that were never present in
// training. A schema fitted with counts says so exactly (Schema.Unseen);
// for an older schema: a categorical field with an empty vocabulary, a
// numeric field with the fitter's no-data statistics (mean 0, std 1). The
// trainer encoded them as missing for every sample, so the agent must too:
// a value there would be outside anything the model has seen.
func unseenColumns(s *metadata.Schema) []string {
	if s.Counted {
		return s.Unseen()
	}
	var out []string
	for _, f := range s.Fields {
		if f.Kind == metadata.Categorical && len(f.Vocab) == 0 || f.Kind == metadata.Numeric && f.Mean == 0 && f.Std == 1 {
			if len(f.Columns) > 0 {
				out = append(out, f.Columns...)
			} else {
				out = append(out, f.Name)
			}
		}
	}
	return out
}

// Omit stops giving the metadata columns cols to the model (they are then
// encoded as missing), e.g. a capture date for a model trained on data
// without dates (config model.omit_columns). Call it before classifying.
func (m *Model) Omit(cols ...string) {
	if m.omit == nil {
		m.omit = map[string]bool{}
	}
	for _, c := range cols {
		m.omit[c] = true
	}
}

// Omitted returns the metadata columns not given to the model: those the
// schema shows were never present in training, plus those passed to Omit.
func (m *Model) Omitted() []string {
	out := make([]string, 0, len(m.omit))
	for c := range m.omit {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Labels returns the class labels (index = class id).
func (m *Model) Labels() []string { return m.labels }

// Version implements agent.Classifier.
func (m *Model) Version() string { return m.version }

// Schema returns the metadata schema (nil for an image-only model).
func (m *Model) Schema() *metadata.Schema { return m.schema }

// Preprocess returns the image preprocessing parameters.
func (m *Model) Preprocess() preprocess.Params { return m.pp }

// Classify implements agent.Classifier: probabilities for every label.
func (m *Model) Classify(crop image.Image, row metadata.Row) ([]agent.Prediction, error) {
	if crop == nil || crop.Bounds().Empty() {
		return nil, errors.New("model: empty crop")
	}
	inst := <-m.pool
	defer func() { m.pool <- inst }()
	if err := preprocess.Into(inst.img, crop, m.pp); err != nil {
		return nil, err
	}
	if err := m.setInput(inst, 0, inst.img); err != nil {
		return nil, err
	}
	if m.schema != nil {
		var errs []error
		if len(m.omit) > 0 {
			kept := make(metadata.Row, len(row))
			for k, v := range row {
				if !m.omit[k] {
					kept[k] = v
				}
			}
			row = kept
		}
		inst.meta, errs = m.schema.Encode(inst.meta[:0], row)
		m.EncodeWarnings.Add(uint64(len(errs)))
		if err := m.setInput(inst, 1, inst.meta); err != nil {
			return nil, err
		}
	}
	if err := inst.it.Invoke(); err != nil {
		return nil, err
	}
	probs, err := m.output(inst)
	if err != nil {
		return nil, err
	}
	out := make([]agent.Prediction, len(probs))
	for i, p := range probs {
		out[i] = agent.Prediction{Label: m.labels[i], Score: float64(p)}
	}
	return out, nil
}

func (m *Model) setInput(inst *instance, i int, x []float32) error {
	t := m.in[i]
	if t.Type == tflite.Float32 {
		return inst.it.SetInputFloat32(i, x)
	}
	scale, zp := t.Quant.Scale[0], float64(t.Quant.ZeroPoint[0])
	inst.q = inst.q[:0]
	for _, v := range x {
		q := math.Round(float64(v/scale)) + zp
		inst.q = append(inst.q, int8(max(-128, min(127, q))))
	}
	return inst.it.SetInputInt8(i, inst.q)
}

// output returns a copy of the probabilities (the interpreter's buffer is
// reused by the next call).
func (m *Model) output(inst *instance) ([]float32, error) {
	t := m.out[0]
	if t.Type == tflite.Float32 {
		p, err := inst.it.OutputFloat32(0)
		return append([]float32(nil), p...), err
	}
	q, err := inst.it.OutputInt8(0)
	if err != nil {
		return nil, err
	}
	scale, zp := t.Quant.Scale[0], float32(t.Quant.ZeroPoint[0])
	out := make([]float32, len(q))
	for i, v := range q {
		out[i] = (float32(v) - zp) * scale
	}
	return out, nil
}

// SelfTest classifies a fixed input (a mid-grey crop with every metadata
// field missing) and checks the output: one finite probability in [0, 1]
// per label, summing to 1 (within int8 rounding).
func (m *Model) SelfTest() error {
	img := image.NewRGBA(image.Rect(0, 0, m.pp.Size, m.pp.Size))
	for i := range img.Pix {
		img.Pix[i] = 128
	}
	preds, err := m.Classify(img, metadata.Row{})
	if err != nil {
		return fmt.Errorf("self-test: %w", err)
	}
	if len(preds) != len(m.labels) {
		return fmt.Errorf("self-test: %d outputs for %d labels", len(preds), len(m.labels))
	}
	sum := 0.0
	for _, p := range preds {
		if math.IsNaN(p.Score) || math.IsInf(p.Score, 0) || p.Score < -1e-6 || p.Score > 1+1e-6 {
			return fmt.Errorf("self-test: label %q has probability %v", p.Label, p.Score)
		}
		sum += p.Score
	}
	if math.Abs(sum-1) > 0.05 {
		return fmt.Errorf("self-test: probabilities sum to %.4f, want 1", sum)
	}
	return nil
}

// Package testmodel builds tiny but real trapnet .tflite files for the
// agent's tests: image FULLY_CONNECTED + metadata FULLY_CONNECTED, ADD,
// SOFTMAX, with every trapnet.* metadata buffer. Label k responds to colour
// channel k, so a pure red crop is label 0, green label 1, blue label 2.
package testmodel

import (
	"encoding/binary"
	"encoding/json"
	"math"

	"github.com/trapnet/trapnet/metadata"
	"github.com/trapnet/trapnet/preprocess"
	"github.com/trapnet/trapnet/tflite"
	ttm "github.com/trapnet/trapnet/tflite/testmodel"
)

// Options shape the model.
type Options struct {
	Labels  []string // default: three labels
	Size    int      // input side, default 8
	Version string   // default "test-1"
	// Broken makes the weights NaN: the model loads but fails its self-test.
	Broken bool
	// Int8 quantises the model (tflite/testmodel.Quantize) with int8 graph
	// inputs and outputs, like `trainer quantize --io int8`.
	Int8 bool
}

// Schema returns the fitted metadata schema embedded in the model.
func Schema() *metadata.Schema {
	s := metadata.DefaultBIOSCAN()
	ft, _ := metadata.NewFitter(s)
	ft.Add(metadata.Row{"country": "Canada", "province_state": "Quebec", "coord-lat": "45.5", "coord-lon": "-73.6", "date": "2026-06-01", "image_measurement_value": "4000", "area_fraction": "0.02", "scale_factor": "1"})
	ft.Add(metadata.Row{"country": "Costa Rica", "image_measurement_value": "9000", "area_fraction": "0.05", "scale_factor": "2"})
	return ft.Finish()
}

// Build returns the .tflite bytes.
func Build(o Options) []byte {
	if len(o.Labels) == 0 {
		o.Labels = []string{"Lycorma delicatula", "Drosophila melanogaster", "Musca domestica"}
	}
	if o.Size == 0 {
		o.Size = 8
	}
	if o.Version == "" {
		o.Version = "test-1"
	}
	schema := Schema()
	k, d, n := len(o.Labels), schema.Dim(), o.Size*o.Size*3
	m := tflite.NewModel()
	f32 := func(name string, shape []int32, data []float32) int32 {
		t := tflite.Tensor{Name: name, Shape: shape, Type: tflite.Float32}
		if data != nil {
			b := make([]byte, 4*len(data))
			for i, v := range data {
				binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
			}
			t.Buffer = m.AddBuffer(b)
		}
		return m.AddTensor(t)
	}
	w1 := make([]float32, k*n)
	for c := 0; c < k; c++ {
		for i := c % 3; i < n; i += 3 {
			w1[c*n+i] = 2 / float32(o.Size*o.Size)
			if o.Broken {
				w1[c*n+i] = float32(math.NaN())
			}
		}
	}
	w2 := make([]float32, k*d)
	for i := range w2 {
		w2[i] = 0.01 * float32(i%7)
	}
	img := f32("image", []int32{1, int32(o.Size), int32(o.Size), 3}, nil)
	meta := f32("metadata", []int32{1, int32(d)}, nil)
	fc1 := f32("fc_image", []int32{1, int32(k)}, nil)
	fc2 := f32("fc_meta", []int32{1, int32(k)}, nil)
	sum := f32("logits", []int32{1, int32(k)}, nil)
	probs := f32("probs", []int32{1, int32(k)}, nil)
	wt1 := f32("w_image", []int32{int32(k), int32(n)}, w1)
	wt2 := f32("w_meta", []int32{int32(k), int32(d)}, w2)
	m.AddOperator(tflite.Operator{Op: tflite.OpFullyConnected, Inputs: []int32{img, wt1, -1}, Outputs: []int32{fc1}, Options: &tflite.FullyConnectedOptions{}})
	m.AddOperator(tflite.Operator{Op: tflite.OpFullyConnected, Inputs: []int32{meta, wt2, -1}, Outputs: []int32{fc2}, Options: &tflite.FullyConnectedOptions{}})
	m.AddOperator(tflite.Operator{Op: tflite.OpAdd, Inputs: []int32{fc1, fc2}, Outputs: []int32{sum}, Options: &tflite.AddOptions{}})
	m.AddOperator(tflite.Operator{Op: tflite.OpSoftmax, Inputs: []int32{sum}, Outputs: []int32{probs}, Options: &tflite.SoftmaxOptions{Beta: 1}})
	m.Inputs = []int32{img, meta}
	m.Outputs = []int32{probs}
	if o.Int8 {
		var samples [][][]float32
		for i := 0; i < 8; i++ {
			im := make([]float32, n)
			for j := range im {
				im[j] = float32((i+j)%9)/2 - 2 // about the normalised pixel range
			}
			me := make([]float32, d)
			for j := range me {
				me[j] = float32((i*j)%3) - 1
			}
			samples = append(samples, [][]float32{im, me})
		}
		q, err := ttm.Quantize(m, samples, ttm.QuantizeOptions{Int8IO: true})
		if err != nil {
			panic("testmodel: quantize: " + err.Error())
		}
		m = q
	}
	labels, _ := json.Marshal(o.Labels)
	sc, _ := schema.Marshal()
	pp, _ := json.Marshal(preprocess.Default(o.Size))
	m.SetMetadata(tflite.MetaLabels, labels)
	m.SetMetadata(tflite.MetaMetadataSchema, sc)
	m.SetMetadata(tflite.MetaPreprocess, pp)
	m.SetMetadata(tflite.MetaVersion, []byte(o.Version))
	b, err := tflite.Write(m)
	if err != nil {
		panic("testmodel: " + err.Error()) // a bug in this test helper, not input
	}
	return b
}

package quantize

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/metadata"
	"github.com/trapnet/trapnet/preprocess"
	"github.com/trapnet/trapnet/tflite"
)

// Model directory files besides ir's graph.json and weights.bin (see
// docs/CONTRACTS.md).
const (
	LabelsFile         = "labels.json"
	MetadataSchemaFile = "metadata_schema.json"
	PreprocessFile     = "preprocess.json"
	// GenotypeFile is optional (hand-designed baselines have none).
	GenotypeFile = "genotype.json"
	VersionFile  = "version.txt"
	// DataSummaryFile is optional; when absent the caller may supply the
	// summary (trainer quantize builds it from the dataset).
	DataSummaryFile = "data_summary.json"
)

// ModelDir is a loaded model directory.
type ModelDir struct {
	// Graph is the float graph (validated).
	Graph *ir.Graph
	// Labels are the class names, index = class id.
	Labels []string
	// Rank is the taxonomic rank of the labels when labels.json records it.
	Rank string
	// Preprocess is the image transform the model was trained with.
	Preprocess preprocess.Params
	// Schema is the fitted metadata schema (nil for image-only models).
	Schema *metadata.Schema
	// Metadata holds the trapnet.* buffers for the .tflite file.
	Metadata map[string][]byte

	trainRank string // train_config.json's rank, a fallback for Rank
}

// ReadModelDir loads and cross-checks a model directory: graph and weights,
// labels (one per output class), preprocess parameters (matching the image
// input size), the metadata schema (required when the graph has a metadata
// input; its width must match), version, and the optional genotype (absent
// for hand-designed baselines) and data summary. Missing or invalid files
// are errors naming the file.
func ReadModelDir(dir string) (*ModelDir, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("quantize: model directory %q: not a readable directory", dir)
	}
	g, err := ir.Load(dir)
	if err != nil {
		return nil, err
	}
	md := &ModelDir{Graph: g, Metadata: map[string][]byte{}, trainRank: readTrainRank(dir)}
	read := func(name string) ([]byte, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("quantize: model directory: %w", err)
		}
		return b, nil
	}
	fail := func(name string, err error) error {
		return fmt.Errorf("quantize: %s: %w", filepath.Join(dir, name), err)
	}

	b, err := read(LabelsFile)
	if err != nil {
		return nil, err
	}
	if md.Labels, md.Rank, err = parseLabels(b); err != nil {
		return nil, fail(LabelsFile, err)
	}
	shapes, _ := g.InferShapes(1)
	if k := shapes[g.Outputs[0]][1]; k != len(md.Labels) {
		return nil, fail(LabelsFile, fmt.Errorf("%d labels, the graph outputs %d classes", len(md.Labels), k))
	}
	lj, _ := json.Marshal(md.Labels)
	md.Metadata[tflite.MetaLabels] = lj

	if b, err = read(PreprocessFile); err != nil {
		return nil, err
	}
	if md.Preprocess, err = preprocess.Unmarshal(b); err != nil {
		return nil, fail(PreprocessFile, err)
	}
	if s := g.Inputs[0].Shape; s[1] != md.Preprocess.Size || s[2] != md.Preprocess.Size {
		return nil, fail(PreprocessFile, fmt.Errorf("size %d, the graph's image input is %v", md.Preprocess.Size, s))
	}
	md.Metadata[tflite.MetaPreprocess] = b

	if len(g.Inputs) == 2 {
		if b, err = read(MetadataSchemaFile); err != nil {
			return nil, err
		}
		if md.Schema, err = metadata.Unmarshal(b); err != nil {
			return nil, fail(MetadataSchemaFile, err)
		}
		if d := g.Inputs[1].Shape[1]; md.Schema.Dim() != d {
			return nil, fail(MetadataSchemaFile, fmt.Errorf("encodes %d values, the graph's metadata input takes %d", md.Schema.Dim(), d))
		}
		md.Metadata[tflite.MetaMetadataSchema] = b
	}

	// A hand-designed baseline has no genotype: the buffer then holds null.
	md.Metadata[tflite.MetaGenotype] = []byte("null")
	if b, err := os.ReadFile(filepath.Join(dir, GenotypeFile)); err == nil {
		if !json.Valid(b) {
			return nil, fail(GenotypeFile, errors.New("not valid JSON"))
		}
		md.Metadata[tflite.MetaGenotype] = b
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fail(GenotypeFile, err)
	}

	if b, err = read(VersionFile); err != nil {
		return nil, err
	}
	md.Metadata[tflite.MetaVersion] = []byte(strings.TrimSpace(string(b)))

	if b, err := os.ReadFile(filepath.Join(dir, DataSummaryFile)); err == nil {
		if !json.Valid(b) {
			return nil, fail(DataSummaryFile, errors.New("not valid JSON"))
		}
		md.Metadata[tflite.MetaDataSummary] = b
	}
	return md, nil
}

// parseLabels accepts a JSON array of strings or an object with a "labels"
// array and optionally a "rank".
func parseLabels(b []byte) ([]string, string, error) {
	var labels []string
	var rank string
	if err := json.Unmarshal(b, &labels); err != nil {
		var obj struct {
			Labels []string `json:"labels"`
			Rank   string   `json:"rank"`
		}
		if err2 := json.Unmarshal(b, &obj); err2 != nil {
			return nil, "", fmt.Errorf("want a JSON array of labels or {\"labels\": [...], \"rank\": ...}: %w", err)
		}
		labels, rank = obj.Labels, obj.Rank
	}
	if len(labels) == 0 {
		return nil, "", errors.New("no labels")
	}
	return labels, rank, nil
}

package trainer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/metadata"
	"github.com/trapnet/trapnet/preprocess"
	"github.com/trapnet/trapnet/search"
)

// File names inside a model directory (docs/CONTRACTS.md).
const (
	FileGraph       = "graph.json"
	FileWeights     = "weights.bin"
	FileLabels      = "labels.json"
	FileSchema      = "metadata_schema.json"
	FilePreprocess  = "preprocess.json"
	FileGenotype    = "genotype.json"
	FileTrainConfig = "train_config.json"
	FileVersion     = "version.txt"
	FileDataSummary = "data_summary.json"
	DirCheckpoint   = "checkpoint"
)

// TrainConfig is what `trainer train` was run with (train_config.json).
type TrainConfig struct {
	Data     string `json:"data"`
	Rank     string `json:"rank"`
	Genotype string `json:"genotype,omitempty"`
	Arch     Arch   `json:"arch"`
	Hyper    Hyper  `json:"hyper"`
	// Balance is "weights" (class-weighted loss), "sampler" (balanced
	// sampling) or "none".
	Balance string             `json:"balance"`
	Augment preprocess.Augment `json:"augment"`
	Backend string             `json:"backend"`
	// Init is the model directory training started from (fine-tuning;
	// see Runner.InitFrom), "" for a training from scratch.
	Init string `json:"init,omitempty"`
}

// DataSummary describes the data a model was trained on.
type DataSummary struct {
	Dataset     string         `json:"dataset"`
	Rank        string         `json:"rank"`
	ClassCounts []int          `json:"class_counts"`
	SplitSizes  map[string]int `json:"split_sizes"`
}

// ModelDir is the content of RUN/model.
type ModelDir struct {
	Graph       *ir.Graph
	Labels      []string
	Schema      *metadata.Schema
	Preprocess  preprocess.Params
	Genotype    *search.Genotype // nil for hand-designed baselines
	Config      TrainConfig
	DataSummary DataSummary
	Version     string
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// Save writes the model directory (creating dir). The checkpoint folder is
// left alone.
func (m *ModelDir) Save(dir string) error {
	if err := m.check(); err != nil {
		return err
	}
	if err := ir.Save(m.Graph, dir); err != nil {
		return fmt.Errorf("model %s: %w", dir, err)
	}
	files := map[string]any{FileLabels: labelsFile{Rank: m.DataSummary.Rank, Labels: m.Labels}, FilePreprocess: m.Preprocess, FileTrainConfig: m.Config, FileDataSummary: m.DataSummary}
	if m.Genotype != nil {
		files[FileGenotype] = m.Genotype
	}
	for name, v := range files {
		if err := writeJSON(filepath.Join(dir, name), v); err != nil {
			return fmt.Errorf("model %s: %w", dir, err)
		}
	}
	if err := m.Schema.Save(filepath.Join(dir, FileSchema)); err != nil {
		return fmt.Errorf("model %s: %w", dir, err)
	}
	return os.WriteFile(filepath.Join(dir, FileVersion), []byte(m.Version+"\n"), 0o644)
}

// check verifies that the parts agree with each other.
func (m *ModelDir) check() error {
	if m.Graph == nil || m.Schema == nil {
		return errors.New("model: graph and metadata schema are required")
	}
	shapes, err := m.Graph.InferShapes(1)
	if err != nil {
		return err
	}
	if k := shapes[m.Graph.Outputs[0]][1]; k != len(m.Labels) {
		return fmt.Errorf("model: graph has %d outputs but labels.json has %d labels", k, len(m.Labels))
	}
	if s := m.Graph.Inputs[0].Shape; s[1] != m.Preprocess.Size || s[2] != m.Preprocess.Size {
		return fmt.Errorf("model: graph takes %dx%d images but preprocess.json says size %d", s[1], s[2], m.Preprocess.Size)
	}
	if len(m.Graph.Inputs) > 1 && m.Graph.Inputs[1].Shape[1] != m.Schema.Dim() {
		return fmt.Errorf("model: graph takes %d metadata values but metadata_schema.json encodes %d", m.Graph.Inputs[1].Shape[1], m.Schema.Dim())
	}
	return nil
}

// LoadModelDir reads a model directory written by Save, naming the missing
// or broken part on failure.
func LoadModelDir(dir string) (*ModelDir, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("model directory %s: not found", dir)
	}
	for _, name := range []string{FileGraph, FileWeights, FileLabels, FileSchema, FilePreprocess} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return nil, fmt.Errorf("model directory %s: missing %s", dir, name)
		}
	}
	m := &ModelDir{}
	var err error
	if m.Graph, err = ir.Load(dir); err != nil {
		return nil, fmt.Errorf("model directory %s: %s/%s: %w", dir, FileGraph, FileWeights, err)
	}
	if m.Labels, err = readLabels(filepath.Join(dir, FileLabels)); err != nil {
		return nil, err
	}
	if m.Schema, err = metadata.Load(filepath.Join(dir, FileSchema)); err != nil {
		return nil, err
	}
	if m.Preprocess, err = preprocess.Load(filepath.Join(dir, FilePreprocess)); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, FileGenotype)); err == nil {
		if m.Genotype, err = search.LoadGenotype(filepath.Join(dir, FileGenotype)); err != nil {
			return nil, err
		}
	}
	for name, v := range map[string]any{FileTrainConfig: &m.Config, FileDataSummary: &m.DataSummary} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			if err := readJSON(filepath.Join(dir, name), v); err != nil {
				return nil, err
			}
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, FileVersion)); err == nil {
		m.Version = strings.TrimSpace(string(b))
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("model directory %s: %w", dir, err)
	}
	return m, nil
}

// labelsFile is labels.json: the class names (index = class id) and their
// taxonomic rank. A plain JSON array of names is accepted too.
type labelsFile struct {
	Rank   string   `json:"rank"`
	Labels []string `json:"labels"`
}

func readLabels(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var plain []string
	if json.Unmarshal(b, &plain) == nil {
		return plain, nil
	}
	var lf labelsFile
	if err := json.Unmarshal(b, &lf); err != nil {
		return nil, fmt.Errorf("%s: want {\"rank\": ..., \"labels\": [...]} or a JSON array: %w", path, err)
	}
	return lf.Labels, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// CodeVersion returns `git describe --always --dirty` of the working
// directory, or "unknown".
func CodeVersion() string {
	out, err := exec.Command("git", "describe", "--always", "--dirty").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

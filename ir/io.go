package ir

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
)

// File names inside a model directory.
const (
	GraphFile   = "graph.json"
	WeightsFile = "weights.bin"
)

// FormatVersion is the graph.json format version Save writes and Load accepts.
const FormatVersion = 1

// constRef locates a constant in weights.bin.
type constRef struct {
	Name   string `json:"name"`
	Shape  []int  `json:"shape"`
	Offset int64  `json:"offset"` // bytes
	Length int64  `json:"length"` // bytes (4 per float32)
}

// fileGraph is the JSON form of a Graph.
type fileGraph struct {
	Format int        `json:"format"`
	Consts []constRef `json:"consts"`
	*Graph
}

// Save validates g and writes dir/graph.json and dir/weights.bin (creating
// dir). Node shapes are filled in (at batch 1) for readability.
func Save(g *Graph, dir string) error {
	shapes, err := g.InferShapes(1)
	if err != nil {
		return err
	}
	for _, nd := range g.Nodes {
		nd.Shape = slices.Clone(shapes[nd.Output])
	}
	names := make([]string, 0, len(g.Consts))
	for n := range g.Consts {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	refs := make([]constRef, 0, len(names))
	for _, n := range names {
		c := g.Consts[n]
		ref := constRef{Name: n, Shape: c.Shape, Offset: int64(buf.Len()), Length: 4 * int64(len(c.Data))}
		var b [4]byte
		for _, v := range c.Data {
			binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
			buf.Write(b[:])
		}
		refs = append(refs, ref)
	}
	js, err := json.MarshalIndent(fileGraph{Format: FormatVersion, Consts: refs, Graph: g}, "", "  ")
	if err != nil {
		return fmt.Errorf("ir: encoding graph: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("ir: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, WeightsFile), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("ir: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, GraphFile), append(js, '\n'), 0o644); err != nil {
		return fmt.Errorf("ir: %w", err)
	}
	return nil
}

// Load reads and validates dir/graph.json and dir/weights.bin. Any
// inconsistency (unknown op, dangling tensor name, shape mismatch, weights
// out of range of the file, non-finite weights) is an error naming the file.
func Load(dir string) (*Graph, error) {
	gp := filepath.Join(dir, GraphFile)
	js, err := os.ReadFile(gp)
	if err != nil {
		return nil, fmt.Errorf("ir: %w", err)
	}
	wp := filepath.Join(dir, WeightsFile)
	wb, err := os.ReadFile(wp)
	if err != nil {
		return nil, fmt.Errorf("ir: %w", err)
	}
	g, err := Decode(js, wb)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", gp, err)
	}
	return g, nil
}

// Decode builds a graph from the contents of graph.json and weights.bin and
// validates it, including the model contract (CheckModelIO).
func Decode(graphJSON, weights []byte) (*Graph, error) {
	fg := fileGraph{Graph: &Graph{}}
	dec := json.NewDecoder(bytes.NewReader(graphJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fg); err != nil {
		return nil, fmt.Errorf("decoding graph: %w", err)
	}
	if fg.Format != FormatVersion {
		return nil, fmt.Errorf("format %d, this build reads %d", fg.Format, FormatVersion)
	}
	g := fg.Graph
	g.Consts = make(map[string]*Tensor, len(fg.Consts))
	for _, r := range fg.Consts {
		if r.Name == "" {
			return nil, fmt.Errorf("constant without a name")
		}
		if _, dup := g.Consts[r.Name]; dup {
			return nil, fmt.Errorf("constant %q listed twice", r.Name)
		}
		n := int64(1)
		for _, d := range r.Shape {
			if d < 1 || d > 1<<30 {
				return nil, fmt.Errorf("constant %q: bad shape %v", r.Name, r.Shape)
			}
			n *= int64(d)
			if n > 1<<31 {
				return nil, fmt.Errorf("constant %q: shape %v too large", r.Name, r.Shape)
			}
		}
		if r.Length != 4*n {
			return nil, fmt.Errorf("constant %q: length %d bytes, shape %v needs %d", r.Name, r.Length, r.Shape, 4*n)
		}
		if r.Offset < 0 || r.Offset+r.Length > int64(len(weights)) {
			return nil, fmt.Errorf("constant %q: bytes [%d,%d) beyond %s (%d bytes, truncated?)", r.Name, r.Offset, r.Offset+r.Length, WeightsFile, len(weights))
		}
		data := make([]float32, n)
		raw := weights[r.Offset : r.Offset+r.Length]
		for i := range data {
			v := math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("constant %q: value %d is %v", r.Name, i, v)
			}
			data[i] = v
		}
		g.Consts[r.Name] = &Tensor{Shape: slices.Clone(r.Shape), Data: data}
	}
	if err := g.CheckModelIO(); err != nil {
		return nil, err
	}
	return g, nil
}

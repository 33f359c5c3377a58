package trainer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/metadata"
	"github.com/trapnet/trapnet/preprocess"
	"github.com/trapnet/trapnet/search"
	"github.com/trapnet/trapnet/synth"
)

func goodGenotype() *search.Genotype {
	return &search.Genotype{Nodes: 2,
		Normal:       []search.Edge{{Op: "sep_conv_3x3", Input: 0, Node: 0}, {Op: "skip_connect", Input: 1, Node: 1}, {Op: "max_pool_3x3", Input: 2, Node: 1}},
		NormalConcat: []int{2, 3},
		Reduce:       []search.Edge{{Op: "max_pool_3x3", Input: 0, Node: 0}, {Op: "avg_pool_3x3", Input: 1, Node: 1}},
		ReduceConcat: []int{2, 3}}
}

func TestGenotypeErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(g *search.Genotype)
		want   string
	}{
		{"unknown op", func(g *search.Genotype) { g.Normal[0].Op = "conv_7x7_magic" }, `unknown op "conv_7x7_magic"`},
		{"zero op kept", func(g *search.Genotype) { g.Reduce[1].Op = "zero" }, `unknown op "zero"`},
		{"input from the future", func(g *search.Genotype) { g.Normal[0].Input = 3 }, "input 3 invalid for node 0"},
		{"negative input", func(g *search.Genotype) { g.Reduce[0].Input = -1 }, "input -1 invalid"},
		{"node out of range", func(g *search.Genotype) { g.Normal[2].Node = 5 }, "node 5 out of range"},
		{"concat out of range", func(g *search.Genotype) { g.NormalConcat = []int{2, 9} }, "normal_concat[1] = 9"},
		{"reduce_concat is empty", func(g *search.Genotype) { g.ReduceConcat = nil }, "reduce_concat is empty"},
		{"used node without edges", func(g *search.Genotype) { g.Reduce = g.Reduce[1:] }, "node 0, which has no incoming edge"},
		{"no nodes", func(g *search.Genotype) { g.Nodes = 0 }, "nodes = 0"},
	}
	if _, err := CellsFromGenotype(goodGenotype()); err != nil {
		t.Fatalf("good genotype: %v", err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := goodGenotype()
			tc.change(g)
			_, err := CellsFromGenotype(g)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := CellsFromGenotype(nil); err == nil {
		t.Error("nil genotype: no error")
	}
}

func TestArchErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(a *Arch)
		want   string
	}{
		{"size not divisible", func(a *Arch) { a.Size = 10 }, "divisible by 4"},
		{"odd channels", func(a *Arch) { a.Channels = 5 }, "channels 5"},
		{"one class", func(a *Arch) { a.Classes = 1 }, "1 classes"},
		{"modality", func(a *Arch) { a.Modality = "audio" }, `unknown modality "audio"`},
		{"no metadata", func(a *Arch) { a.MetaDim = 0 }, "meta_dim"},
		{"fusion kind", func(a *Arch) { a.Fusion = "attention" }, `unknown fusion "attention"`},
	}
	for _, tc := range tests {
		a := tinyArch(Fusion)
		tc.change(&a)
		if _, err := NewPlan(a); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// writeTinyModel exports an untrained tiny network as a model directory.
func writeTinyModel(t *testing.T, dir string, labels []string, size, metaDim int) {
	t.Helper()
	a := Arch{Cells: darts2Cells(), Layers: 3, Channels: 4, StemMult: 1, Size: size, MetaDim: metaDim, MetaHidden: 4, Classes: len(labels), Modality: Fusion}
	p, err := NewPlan(a)
	if err != nil {
		t.Fatal(err)
	}
	backend, err := NewBackend("go")
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRunner(p, backend, 1, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := &Batch{N: 2, Size: size, MetaDim: metaDim, Images: make([]float32, 2*size*size*3), Meta: make([]float32, 2*metaDim)}
	if _, err := r.Predict(b); err != nil { // creates the variables
		t.Fatal(err)
	}
	g, err := p.Export(r.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	schema := fittedSchemaOfDim(t, metaDim)
	md := &ModelDir{Graph: g, Labels: labels, Schema: schema, Preprocess: preprocess.Default(size), Config: TrainConfig{Arch: a}, DataSummary: DataSummary{Rank: "species"}, Version: "test"}
	if err := md.Save(dir); err != nil {
		t.Fatal(err)
	}
}

// fittedSchemaOfDim returns a fitted schema encoding to dim values (dim >= 2).
func fittedSchemaOfDim(t *testing.T, dim int) *metadata.Schema {
	t.Helper()
	s := &metadata.Schema{Version: metadata.SchemaVersion, Fields: []metadata.Field{{Name: "region", Kind: metadata.Categorical}}}
	ft, err := metadata.NewFitter(s)
	if err != nil {
		t.Fatal(err)
	}
	for i := range dim - 2 {
		ft.Add(metadata.Row{"region": string(rune('a' + i))})
	}
	return ft.Finish()
}

func TestModelDirErrors(t *testing.T) {
	base := t.TempDir()
	good := filepath.Join(base, "good")
	writeTinyModel(t, good, []string{"a", "b", "c"}, 8, 4)
	m, err := LoadModelDir(good)
	if err != nil {
		t.Fatalf("good model: %v", err)
	}
	if len(m.Labels) != 3 || m.Version != "test" || m.Schema.Dim() != 4 {
		t.Fatalf("loaded %v labels, version %q, schema dim %d", m.Labels, m.Version, m.Schema.Dim())
	}
	for _, f := range []string{FileGraph, FileWeights, FileLabels, FileSchema, FilePreprocess} {
		t.Run("missing "+f, func(t *testing.T) {
			dir := copyDir(t, good, filepath.Join(base, "missing-"+f))
			if err := os.Remove(filepath.Join(dir, f)); err != nil {
				t.Fatal(err)
			}
			_, err := LoadModelDir(dir)
			if err == nil || !strings.Contains(err.Error(), f) {
				t.Errorf("error %v, want one naming %s", err, f)
			}
		})
	}
	corrupt := []struct{ file, content, want string }{
		{FileLabels, `["a", "b"]`, "2 labels"},
		{FilePreprocess, `{"size": 16, "mean": [0,0,0], "std": [1,1,1]}`, "size 16"},
		{FileLabels, `{"labels": 3}`, FileLabels},
		{FileGraph, `{"format": 1, "nodes": [`, FileGraph},
	}
	for i, c := range corrupt {
		dir := copyDir(t, good, filepath.Join(base, "corrupt", string(rune('a'+i))))
		if err := os.WriteFile(filepath.Join(dir, c.file), []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadModelDir(dir); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s = %s: error %v, want one containing %q", c.file, c.content, err, c.want)
		}
	}
	if _, err := LoadModelDir(filepath.Join(base, "nowhere")); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("missing directory: %v", err)
	}
}

func copyDir(t *testing.T, from, to string) string {
	t.Helper()
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

func TestEvalLabelMismatch(t *testing.T) {
	base := t.TempDir()
	data := filepath.Join(base, "data")
	o := synth.DefaultOptions()
	o.Dir, o.Species, o.Images, o.Size, o.Square, o.Imbalance, o.Seed = data, 4, 80, 16, true, 1, 3
	if _, err := synth.Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(base, "model")
	writeTinyModel(t, model, []string{"Musca fictiva", "Apis imaginaria"}, 16, 4)
	m, err := LoadModelDir(model)
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenEvalSplit([]string{data}, "test", m, 8)
	if err == nil || !strings.Contains(err.Error(), "not in the model's label map") {
		t.Fatalf("error %v, want a label-map mismatch", err)
	}
}

func TestLoadCellsFiles(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, content, want string }{
		{"unknown op", `{"normal":[{"op":"warp_drive","input":0,"node":0}],"normal_concat":[2],"reduce":[{"op":"max_pool_3x3","input":0,"node":0}],"reduce_concat":[2],"nodes":1}`, `unknown op "warp_drive"`},
		{"bad edge", `{"normal":[{"op":"sep_conv_3x3","input":4,"node":0}],"normal_concat":[2],"reduce":[{"op":"max_pool_3x3","input":0,"node":0}],"reduce_concat":[2],"nodes":1}`, "input 4"},
		{"not json", `{"normal": [`, "genotype"},
		{"darts list form ok", `{"normal":[["sep_conv_3x3",0],["skip_connect",1]],"normal_concat":[2],"reduce":[["max_pool_3x3",0],["max_pool_3x3",1]],"reduce_concat":[2],"nodes":1}`, ""},
	}
	for _, tc := range tests {
		path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".json")
		if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := LoadCells(path)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path)):
			t.Errorf("%s: error %v, want one naming %s and containing %q", tc.name, err, path, tc.want)
		}
	}
	if _, _, err := LoadCells(filepath.Join(dir, "absent.json")); err == nil {
		t.Error("missing file: no error")
	}
}

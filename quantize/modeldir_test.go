package quantize

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/tflite"
)

// writeModelDir writes a complete model directory for smallNet (3 classes).
func writeModelDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := ir.Save(smallNet(t, 1, 3), dir); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		LabelsFile:         `{"rank": "species", "labels": ["a", "b", "c"]}`,
		PreprocessFile:     `{"size": 12, "mean": [0.5, 0.5, 0.5], "std": [0.2, 0.2, 0.2]}`,
		MetadataSchemaFile: `{"version": 1, "fitted": true, "fields": [{"name": "size", "kind": "numeric", "mean": 1, "std": 2}, {"name": "coord", "kind": "geo", "columns": ["lat", "lon"]}]}`,
		GenotypeFile:       `{"normal": []}`,
		VersionFile:        "v0.1-3-gabc\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReadModelDir(t *testing.T) {
	md, err := ReadModelDir(writeModelDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(md.Labels) != 3 || md.Rank != "species" || md.Preprocess.Size != 12 || md.Schema.Dim() != 6 {
		t.Fatalf("read %+v", md)
	}
	want := map[string]string{
		tflite.MetaLabels:  `["a","b","c"]`,
		tflite.MetaVersion: "v0.1-3-gabc",
	}
	for k, v := range want {
		if string(md.Metadata[k]) != v {
			t.Errorf("%s = %q, want %q", k, md.Metadata[k], v)
		}
	}
	for _, k := range []string{tflite.MetaPreprocess, tflite.MetaMetadataSchema, tflite.MetaGenotype} {
		if len(md.Metadata[k]) == 0 {
			t.Errorf("metadata %s missing", k)
		}
	}
	if _, ok := md.Metadata[tflite.MetaDataSummary]; ok {
		t.Error("data summary present without data_summary.json")
	}
}

func TestReadModelDirErrors(t *testing.T) {
	cases := []struct {
		name   string
		remove string
		file   string
		body   string
		want   string
	}{
		{name: "missing graph", remove: ir.GraphFile, want: "graph.json"},
		{name: "missing weights", remove: ir.WeightsFile, want: "weights.bin"},
		{name: "missing labels", remove: LabelsFile, want: "labels.json"},
		{name: "missing preprocess", remove: PreprocessFile, want: "preprocess.json"},
		{name: "missing schema", remove: MetadataSchemaFile, want: "metadata_schema.json"},
		{name: "missing version", remove: VersionFile, want: "version.txt"},
		{name: "label count", file: LabelsFile, body: `["a","b"]`, want: "2 labels, the graph outputs 3"},
		{name: "labels not json", file: LabelsFile, body: `a,b,c`, want: "labels.json"},
		{name: "size mismatch", file: PreprocessFile, body: `{"size": 32, "mean": [0,0,0], "std": [1,1,1]}`, want: "size 32"},
		{name: "schema width", file: MetadataSchemaFile, body: `{"version": 1, "fitted": true, "fields": [{"name": "size", "kind": "numeric", "mean": 1, "std": 2}]}`, want: "encodes 2 values"},
		{name: "genotype not json", file: GenotypeFile, body: `{`, want: "genotype.json"},
		{name: "summary not json", file: DataSummaryFile, body: `nope`, want: "data_summary.json"},
		{name: "truncated weights", file: ir.WeightsFile, body: "abc", want: "truncated"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeModelDir(t)
			if c.remove != "" {
				os.Remove(filepath.Join(dir, c.remove))
			} else {
				os.WriteFile(filepath.Join(dir, c.file), []byte(c.body), 0o644)
			}
			_, err := ReadModelDir(dir)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
	if _, err := ReadModelDir(filepath.Join(t.TempDir(), "nope")); err == nil || !strings.Contains(err.Error(), "not a readable directory") {
		t.Fatalf("missing dir: %v", err)
	}
}

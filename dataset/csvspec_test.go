package dataset

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/preprocess"
)

func TestOpenCSVWithSpecFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "imgs", "a.jpg"), jpegBytes(t, 20, 20, 1))
	writeFile(t, filepath.Join(dir, "imgs", "b.png"), nil)
	csv := strings.Join([]string{
		"File,Taxon,Set,Date,Trap,Temp",
		"imgs/a.jpg,Apis mellifera,train,2024-06-30,T1,21.5",
		"imgs/b.png,Vespa crabro,validation,2024-07-01,T2,19",
		"imgs/c.jpg,Apis mellifera,Test,2024-07-02,T1,20",
		"imgs/d.jpg,Apis mellifera,later,2024-07-02,T1,20",
		",Apis mellifera,train,2024-07-02,T1,20",
		"imgs/e.jpg,,train,2024-07-02,T1,20",
	}, "\n")
	writeFile(t, filepath.Join(dir, "data", "captures.csv"), []byte(csv))
	spec := "csv: data/captures.csv\nroot: .\nimage_column: file\nlabel_column: Taxon\nsplit_column: set\nmetadata_columns: [date, trap]\n"
	writeFile(t, filepath.Join(dir, "spec.yaml"), []byte(spec))
	s, err := LoadSpec(filepath.Join(dir, "spec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := OpenCSV(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Classes, "|"); got != "Apis mellifera" {
		t.Fatalf("classes = %q", got)
	}
	if d.Rank != "taxon" {
		t.Errorf("rank = %q, want the label column", d.Rank)
	}
	sz := d.SplitSizes()
	if sz["train"] != 1 || sz["val"] != 1 || sz["test"] != 1 {
		t.Fatalf("split sizes %v", sz)
	}
	a := d.Samples[0]
	if a.ImagePath != filepath.Join(dir, "imgs", "a.jpg") || a.ProcessID != "imgs/a.jpg" || a.Class != 0 {
		t.Errorf("sample a = %+v", a)
	}
	if r := a.Meta.Row(); len(r) != 2 || r["date"] != "2024-06-30" || r["trap"] != "T1" {
		t.Errorf("meta = %v, want only date and trap", r)
	}
	if d.Samples[1].Class != -1 || d.Report.Count(UnknownLabel) != 1 {
		t.Errorf("val-only label: class %d, unknown count %d", d.Samples[1].Class, d.Report.Count(UnknownLabel))
	}
	file := filepath.Join(dir, "data", "captures.csv")
	if !issueAt(d.Report, UnknownSplit, file+":5:", `"later"`) {
		t.Errorf("unknown split not reported: %v", d.Report.Issues(UnknownSplit))
	}
	if !issueAt(d.Report, BadRow, file+":6:", "empty image path") {
		t.Errorf("empty path not reported: %v", d.Report.Issues(BadRow))
	}
	if d.Report.Unlabelled["train"] != 1 {
		t.Errorf("unlabelled = %v", d.Report.Unlabelled)
	}
}

func TestOpenCSVDefaultsAndErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "x.csv"), []byte("image,label,country\na.jpg,Ant,Peru\nb.jpg,Bee,Chile\n"))
	d, err := OpenCSV(Spec{CSV: filepath.Join(dir, "x.csv")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Split("train")) != 2 || len(d.Classes) != 2 {
		t.Fatalf("no split column: want all train, got %v classes %v", d.SplitSizes(), d.Classes)
	}
	if v, _ := d.Samples[1].Meta.Get("country"); v != "Chile" {
		t.Errorf("default metadata columns: country = %q", v)
	}
	cases := []struct {
		name string
		spec Spec
		want string
	}{
		{"no csv", Spec{}, "no csv"},
		{"missing file", Spec{CSV: filepath.Join(dir, "nope.csv")}, "nope.csv does not exist"},
		{"no label column", Spec{CSV: filepath.Join(dir, "x.csv"), LabelColumn: "species"}, `label column "species"`},
		{"no split column", Spec{CSV: filepath.Join(dir, "x.csv"), SplitColumn: "fold"}, `split column "fold"`},
		{"no metadata column", Spec{CSV: filepath.Join(dir, "x.csv"), MetadataColumns: []string{"elevation"}}, `metadata column "elevation"`},
	}
	for _, tc := range cases {
		if _, err := OpenCSV(tc.spec, Options{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	writeFile(t, filepath.Join(dir, "bad.yaml"), []byte("csv: x.csv\nimage_colum: img\n"))
	if _, err := LoadSpec(filepath.Join(dir, "bad.yaml")); err == nil || !strings.Contains(err.Error(), "image_colum") {
		t.Errorf("misspelt spec key: err = %v", err)
	}
}

// A PNG listed in a generic CSV comes out of the loader with the exact
// normalised colour, and its metadata encoded by the fitted schema.
func TestOpenCSVLoaderPNG(t *testing.T) {
	dir := t.TempDir()
	img := image.NewNRGBA(image.Rect(0, 0, 10, 6))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.NRGBA{R: 51, G: 102, B: 204, A: 255}}, image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "p.png"), buf.Bytes())
	writeFile(t, filepath.Join(dir, "x.csv"), []byte("image,label,country\np.png,Ant,Peru\n"))
	d, err := OpenCSV(Spec{CSV: filepath.Join(dir, "x.csv")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	schema, err := d.FitMetadata(nil)
	if err != nil {
		t.Fatal(err)
	}
	prep := preprocess.Default(4)
	l, err := NewLoader(d.Split(SplitTrain), schema, prep, LoaderOptions{BatchSize: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	b, err := l.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if b.N != 1 || b.Labels[0] != 0 || b.ProcessIDs[0] != "p.png" {
		t.Fatalf("batch: N=%d labels=%v ids=%v", b.N, b.Labels, b.ProcessIDs)
	}
	for i := 0; i < 16; i++ {
		for c, v := range []float32{51, 102, 204} {
			want := (v/255 - prep.Mean[c]) / prep.Std[c]
			if got := b.Images[i*3+c]; math.Abs(float64(got-want)) > 1e-4 {
				t.Fatalf("pixel %d channel %d = %v, want %v", i, c, got, want)
			}
		}
	}
	if b.Meta[0] != 1 { // country vocabulary ["Peru"]: slot 0 hot
		t.Fatalf("metadata %v: country not one-hot", b.Meta[:b.MetaDim])
	}
	if _, err := l.Next(context.Background()); !errors.Is(err, io.EOF) {
		t.Fatalf("after the last batch: %v, want io.EOF", err)
	}
}

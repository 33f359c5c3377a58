package fieldloop

import (
	"encoding/csv"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/uncertain"
	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/metadata"
)

// labelCrops fills in the label column of an uncertain folder's labels.csv
// with label(row) for every row (row maps column name to value), as an
// operator would.
func labelCrops(t *testing.T, dir string, label func(row map[string]string) string) {
	t.Helper()
	path := filepath.Join(dir, "labels.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(recs[0], "label")
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, name := range recs[0] {
			row[name] = rec[i]
		}
		rec[col] = label(row)
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestAgentRowEncodesLikeTrainingRow: the metadata row the agent keeps
// with an uncertain crop, once imported, encodes exactly as the agent's
// row itself and as a BIOSCAN-5M training row of the same specimen.
func TestAgentRowEncodesLikeTrainingRow(t *testing.T) {
	lat, lon := 48.8566, 2.3522
	cfg := &config.Config{}
	cfg.Trap.ID = "orchard-3"
	cfg.Trap.Timezone = "Europe/Paris"
	cfg.Trap.Location = config.Location{Lat: &lat, Lon: &lon, Country: "France", Region: "Ile-de-France"}
	capture := time.Date(2026, 6, 30, 21, 45, 0, 0, time.UTC) // 23:45 in Paris
	size := agent.Size{AreaPx: 900, AreaMM2: 3.2, LengthMM: 2.5, WidthMM: 1.3,
		ImageMeasurementValue: 4123.5, AreaFraction: 0.0625, ScaleFactor: 0.8125}
	row := agent.MetaRow(cfg, capture, size)

	unc := t.TempDir()
	st, err := uncertain.Open(unc, 0)
	if err != nil {
		t.Fatal(err)
	}
	crop := image.NewRGBA(image.Rect(0, 0, 12, 12))
	for i := range crop.Pix {
		crop.Pix[i] = uint8(i * 7)
	}
	crop.Set(0, 0, color.RGBA{1, 2, 3, 255})
	if err := st.Save("20260630T214500Z-0001", crop, "Aedes aegypti", 0.31, "v1", row); err != nil {
		t.Fatal(err)
	}
	labelCrops(t, unc, func(map[string]string) string { return "Drosophila suzukii" })
	field := filepath.Join(t.TempDir(), "field")
	if _, err := dataset.ImportCrops(field, []string{unc}); err != nil {
		t.Fatal(err)
	}

	// The same specimen as a BIOSCAN-5M training row (published columns
	// plus a collection date), values as the agent writes them.
	bio := t.TempDir()
	head := append(slices.Clone(dataset.BIOSCANColumns), "date")
	vals := map[string]string{"processid": "SPEC1", "split": "train", "species": "Drosophila suzukii"}
	for _, c := range []string{"country", "province_state", "coord-lat", "coord-lon", "image_measurement_value", "area_fraction", "scale_factor", "date"} {
		vals[c] = row[c]
	}
	rec := make([]string, len(head))
	for i, c := range head {
		rec[i] = vals[c]
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.WriteAll([][]string{head, rec})
	if err := os.WriteFile(filepath.Join(bio, dataset.BIOSCANMetadataFile), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	d, err := dataset.OpenPaths([]string{bio, field}, "species", dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Samples) != 2 {
		t.Fatalf("%d samples, want the BIOSCAN row and the imported crop", len(d.Samples))
	}
	schema, err := dataset.FitMetadata(d.Samples, metadata.DefaultBIOSCAN())
	if err != nil {
		t.Fatal(err)
	}
	enc := func(r metadata.Row) []float32 {
		v, errs := schema.Encode(nil, r)
		if len(errs) > 0 {
			t.Fatalf("encode %v: %v", r, errs)
		}
		return v
	}
	want := enc(row)
	for _, s := range d.Samples {
		if got := enc(s.Meta.Row()); !slices.Equal(got, want) {
			t.Errorf("%s: encodes %v, the agent's row %v", s.ProcessID, got, want)
		}
	}
	// Not vacuous: every field of the schema is present in the row.
	for _, c := range schema.Columns() {
		if row[c] == "" {
			t.Errorf("agent row lacks %s", c)
		}
	}
}

package hub

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/dataset"
)

func TestWriteCSV(t *testing.T) {
	s := openTest(t)
	fillFixture(t, s)
	var b bytes.Buffer
	if err := s.WriteCSV(context.Background(), &b, Filter{Trap: "trap-01", Reviewed: "yes"}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+fixtureConfirmed+fixtureCorrected || len(rows[0]) != len(csvHeader) {
		t.Fatalf("%d rows of %d columns", len(rows), len(rows[0]))
	}
	if got := rows[len(rows)-1][10]; got != "Noctua pronuba" {
		t.Errorf("counted_label of a corrected detection: %q", got)
	}
}

func TestDwCA(t *testing.T) {
	s := openTest(t)
	fillFixture(t, s)
	var b bytes.Buffer
	if err := s.WriteDwCA(context.Background(), &b, DefaultConfig().Dataset); err != nil {
		t.Fatal(err)
	}
	if probs := CheckDwCA(bytes.NewReader(b.Bytes()), int64(b.Len())); len(probs) > 0 {
		t.Fatalf("structural check: %s", strings.Join(probs, "\n"))
	}
	files := unzip(t, b.Bytes())
	events := strings.Split(strings.TrimSpace(files["event.txt"]), "\n")
	if len(events) != 1+3 {
		t.Fatalf("%d event rows, want 3 trap-nights:\n%s", len(events)-1, files["event.txt"])
	}
	if !strings.Contains(events[1], "20 frames from ") || !strings.Contains(events[1], "\thour\t") {
		t.Errorf("event without sampling effort: %s", events[1])
	}
	// Occurrence counts equal the night counts without "uncertain".
	want := 0
	counts, _ := s.NightCounts(context.Background(), "")
	for _, c := range counts {
		if c.Label != "uncertain" {
			want += c.N
		}
	}
	got := 0
	for _, row := range strings.Split(strings.TrimSpace(files["occurrence.txt"]), "\n")[1:] {
		n, err := strconv.Atoi(strings.Split(row, "\t")[4])
		if err != nil {
			t.Fatal(row)
		}
		got += n
	}
	if got != want || want == 0 {
		t.Errorf("occurrences count %d individuals, night counts %d", got, want)
	}
}

// TestCheckDwCAFinds: each broken archive is reported.
func TestCheckDwCAFinds(t *testing.T) {
	s := openTest(t)
	fillFixture(t, s)
	var b bytes.Buffer
	if err := s.WriteDwCA(context.Background(), &b, DefaultConfig().Dataset); err != nil {
		t.Fatal(err)
	}
	good := unzip(t, b.Bytes())
	for _, tc := range []struct {
		name, want string
		edit       func(map[string]string)
	}{
		{"no meta", "meta.xml: missing", func(f map[string]string) { delete(f, "meta.xml") }},
		{"two cores", "2 core elements", func(f map[string]string) {
			f["meta.xml"] = strings.Replace(f["meta.xml"], "<extension ", "<core ", 1)
			f["meta.xml"] = strings.Replace(f["meta.xml"], "</extension>", "</core>", 1)
		}},
		{"core id repeated", "repeated", func(f map[string]string) {
			rows := strings.Split(f["event.txt"], "\n")
			f["event.txt"] = strings.Join(append(rows[:2], rows[1:]...), "\n")
		}},
		{"orphan occurrence", "has no core row", func(f map[string]string) {
			f["occurrence.txt"] += "trap-09_2020-01-01\tx\tMachineObservation\tA b\t1\t1\tindividuals\tpresent\tunverified\t-\n"
		}},
		{"short row", "columns", func(f map[string]string) { f["event.txt"] += "only\tthree\tcolumns\n" }},
		{"bad term", "is not a URI", func(f map[string]string) {
			f["meta.xml"] = strings.Replace(f["meta.xml"], `term="http://rs.tdwg.org/dwc/terms/country"`, `term="country"`, 1)
		}},
		{"no title", "no dataset title", func(f map[string]string) {
			f["eml.xml"] = strings.Replace(f["eml.xml"], "<title>", "<name>", 1)
			f["eml.xml"] = strings.Replace(f["eml.xml"], "</title>", "</name>", 1)
		}},
		{"missing data file", "occurrence.txt: missing", func(f map[string]string) { delete(f, "occurrence.txt") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := map[string]string{}
			for k, v := range good {
				f[k] = v
			}
			tc.edit(f)
			z := rezip(t, f)
			probs := CheckDwCA(bytes.NewReader(z), int64(len(z)))
			if !strings.Contains(strings.Join(probs, "\n"), tc.want) {
				t.Errorf("problems %q, want one with %q", probs, tc.want)
			}
		})
	}
}

// TestReviewedDataset: the reviewed crops export opens with the trainer's
// generic CSV reader, one sample per reviewed crop with its reviewed label.
func TestReviewedDataset(t *testing.T) {
	s := openTest(t)
	fillFixture(t, s)
	var b bytes.Buffer
	n, err := s.WriteReviewed(context.Background(), &b)
	if err != nil || n != fixtureConfirmed+fixtureCorrected {
		t.Fatalf("wrote %d crops, want %d (%v)", n, fixtureConfirmed+fixtureCorrected, err)
	}
	dir := t.TempDir()
	for name, data := range unzip(t, b.Bytes()) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	spec, err := dataset.LoadSpec(filepath.Join(dir, "dataset.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dataset.OpenCSV(spec, dataset.Options{CheckImages: true})
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]int{}
	for _, smp := range ds.Samples {
		labels[smp.Label]++
	}
	if len(ds.Samples) != n || labels["Noctua pronuba"] != fixtureCorrected {
		t.Errorf("trainer reads %d samples, labels %v; want %d with %d Noctua pronuba", len(ds.Samples), labels, n, fixtureCorrected)
	}
}

func unzip(t testing.TB, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		out[f.Name] = buf.String()
	}
	return out
}

func rezip(t testing.TB, files map[string]string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for k, v := range files {
		w, err := zw.Create(k)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(v))
	}
	zw.Close()
	return b.Bytes()
}

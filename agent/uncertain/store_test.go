package uncertain

import (
	"encoding/csv"
	"fmt"
	"image"
	"image/color"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
)

func noisy(seed int64) image.Image {
	rng := rand.New(rand.NewSource(seed))
	img := image.NewRGBA(image.Rect(0, 0, 32, 32))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.Intn(256))
	}
	img.Set(0, 0, color.RGBA{A: 255})
	return img
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestLayout(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	meta := map[string]string{"country": "Canada", "date": "2026-06-01", "image_measurement_value": "1234"}
	if err := s.Save("t1-20260601T120000.000Z-000", noisy(1), "Musca domestica", 0.31, "v1", meta); err != nil {
		t.Fatal(err)
	}
	// Saving the same id again (re-processed frame) adds no second row.
	if err := s.Save("t1-20260601T120000.000Z-000", noisy(1), "Musca domestica", 0.31, "v1", meta); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, filepath.Join(dir, "labels.csv"))
	want := []string{"image", "label", "id", "pred_label", "pred_score", "model_version", "country", "date", "image_measurement_value"}
	if fmt.Sprint(rows[0]) != fmt.Sprint(want) {
		t.Fatalf("header %v, want %v", rows[0], want)
	}
	if len(rows) != 2 || rows[1][0] != "images/t1-20260601T120000.000Z-000.png" || rows[1][1] != "" || rows[1][6] != "Canada" {
		t.Fatalf("rows %v", rows)
	}
	if _, err := os.Stat(filepath.Join(dir, rows[1][0])); err != nil {
		t.Fatal(err)
	}
	spec, _ := os.ReadFile(filepath.Join(dir, "dataset.yaml"))
	if len(spec) == 0 {
		t.Fatal("no dataset.yaml")
	}
	if err := s.Save("../evil", noisy(2), "x", 0, "v1", meta); err == nil {
		t.Fatal("path traversal id accepted")
	}
}

func TestQuota(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir, 20000) // each noisy 32x32 PNG is ~3 KB
	meta := map[string]string{"country": "Canada"}
	for i := 0; i < 30; i++ {
		if err := s.Save(fmt.Sprintf("t1-%04d", i), noisy(int64(i)), "x", 0.1, "v1", meta); err != nil {
			t.Fatal(err)
		}
	}
	st := s.Stats()
	if st.Saved != 30 || st.Evicted == 0 || st.Bytes > 20000 {
		t.Fatalf("stats %+v", st)
	}
	// Reopening measures the same size; the CSV lists exactly the kept images, newest last.
	s2, _ := Open(dir, 20000)
	if s2.Stats().Bytes != st.Bytes {
		t.Fatalf("reopened size %d, tracked %d", s2.Stats().Bytes, st.Bytes)
	}
	rows := readCSV(t, filepath.Join(dir, "labels.csv"))
	ents, _ := os.ReadDir(filepath.Join(dir, "images"))
	if len(rows)-1 != len(ents) || rows[len(rows)-1][2] != "t1-0029" {
		t.Fatalf("%d CSV rows for %d images, last %v", len(rows)-1, len(ents), rows[len(rows)-1])
	}
}

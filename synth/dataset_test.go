package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/synth/internal/dirtest"
)

// tiny returns options for a fast test set in dir.
func tiny(dir string) Options {
	o := DefaultOptions()
	o.Dir, o.Species, o.Images, o.Size, o.Seed, o.Imbalance = dir, 6, 90, 32, 7, 5
	return o
}

func readCSV(t *testing.T, dir string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, MetadataFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestGenerateDeterministic(t *testing.T) {
	var snaps []map[string][]byte
	for _, workers := range []int{1, 3} {
		o := tiny(t.TempDir())
		o.Workers = workers
		if _, err := Generate(context.Background(), o); err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, dirtest.Snapshot(t, o.Dir))
	}
	a, b := snaps[0], snaps[1]
	if len(a) != len(b) || len(a) < 90 {
		t.Fatalf("file counts differ or too small: %d vs %d", len(a), len(b))
	}
	for p, x := range a {
		if !bytes.Equal(x, b[p]) {
			t.Fatalf("%s differs between 1 and 3 workers", p)
		}
	}
	// A different seed must change the data.
	o := tiny(t.TempDir())
	o.Seed = 8
	if _, err := Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if c := dirtest.Snapshot(t, o.Dir); bytes.Equal(c[MetadataFile], a[MetadataFile]) {
		t.Fatal("seed 7 and 8 wrote the same CSV")
	}
}

func TestLayout(t *testing.T) {
	o := tiny(t.TempDir())
	sum, err := Generate(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, o.Dir)
	if !slices.Equal(recs[0], dataset.BIOSCANColumns) || len(dataset.BIOSCANColumns) != 23 {
		t.Fatalf("header = %v", recs[0])
	}
	col := map[string]int{}
	for i, c := range dataset.BIOSCANColumns {
		col[c] = i
	}
	if len(recs)-1 != o.Images || sum.Rows != o.Images {
		t.Fatalf("rows = %d (summary %d), want %d", len(recs)-1, sum.Rows, o.Images)
	}
	seenIn := map[string]map[string]bool{} // species -> splits
	pids := map[string]bool{}
	for i, r := range recs[1:] {
		pid, split, chunk := r[col["processid"]], r[col["split"]], r[col["chunk"]]
		if pids[pid] {
			t.Fatalf("row %d: duplicate processid %q", i+1, pid)
		}
		pids[pid] = true
		if !slices.Contains(dataset.Splits, split) {
			t.Fatalf("row %d: split %q", i+1, split)
		}
		if chunk != Chunk(pid, split) {
			t.Fatalf("row %d: chunk %q, want %q", i+1, chunk, Chunk(pid, split))
		}
		f, err := os.Open(filepath.Join(o.Dir, ImagePath(pid, split, chunk)))
		if err != nil {
			t.Fatalf("row %d: %v", i+1, err)
		}
		cfg, err := jpeg.DecodeConfig(f)
		f.Close()
		if err != nil || min(cfg.Width, cfg.Height) != o.Size || max(cfg.Width, cfg.Height) > o.Size*4/3+1 {
			t.Fatalf("row %d: image %dx%d (%v), want short side %d", i+1, cfg.Width, cfg.Height, err, o.Size)
		}
		sp := r[col["species"]]
		if split == dataset.SplitPretrain && sp != "" {
			t.Fatalf("row %d: pretrain row has species %q", i+1, sp)
		}
		if (split == dataset.SplitTrain || split == dataset.SplitVal || split == dataset.SplitTest) && sp == "" {
			t.Fatalf("row %d: %s row without species", i+1, split)
		}
		if r[col["taxon"]] == "" || r[col["phylum"]] != "Arthropoda" || r[col["class"]] != "Insecta" {
			t.Fatalf("row %d: taxonomy %v", i+1, r[2:10])
		}
		if sp != "" {
			if !strings.HasPrefix(sp, r[col["genus"]]+" ") || r[col["taxon"]] != sp {
				t.Fatalf("row %d: species %q genus %q taxon %q", i+1, sp, r[col["genus"]], r[col["taxon"]])
			}
			if seenIn[sp] == nil {
				seenIn[sp] = map[string]bool{}
			}
			seenIn[sp][split] = true
		}
	}
	for sp, splits := range seenIn {
		seen := splits[dataset.SplitTrain] || splits[dataset.SplitVal] || splits[dataset.SplitTest]
		unseen := splits[dataset.SplitKeyUnseen] || splits[dataset.SplitValUnseen] || splits[dataset.SplitTestUnseen]
		if seen && unseen {
			t.Errorf("species %s is in both seen and unseen splits", sp)
		}
		if seen && !(splits[dataset.SplitTrain] && splits[dataset.SplitVal] && splits[dataset.SplitTest]) {
			t.Errorf("species %s lacks one of train/val/test: %v", sp, splits)
		}
	}
	if len(seenIn) != o.Species+max(1, o.Species/10) {
		t.Errorf("%d labelled species, want %d", len(seenIn), o.Species+1)
	}
	if _, _, err := LoadInfo(filepath.Join(o.Dir, InfoFile)); err != nil {
		t.Fatal(err)
	}
}

func TestSquareOption(t *testing.T) {
	o := tiny(t.TempDir())
	o.Square, o.Images, o.Species = true, 40, 3
	if _, err := Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	for i, r := range readCSV(t, o.Dir)[1:] {
		f, err := os.Open(filepath.Join(o.Dir, ImagePath(r[0], r[20], r[22])))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := jpeg.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != o.Size || cfg.Height != o.Size {
			t.Fatalf("row %d: %dx%d, want %dx%d", i+1, cfg.Width, cfg.Height, o.Size, o.Size)
		}
	}
}

func TestChunk(t *testing.T) {
	// File names listed by the bioscan-dataset package for cropped_256.
	cases := []struct{ pid, split, want string }{
		{"AACTA1040-20", dataset.SplitPretrain, "00"},
		{"YGEN686-22", dataset.SplitPretrain, "ff"},
		{"YGEN2059-22", dataset.SplitPretrain, "fe"},
		{"AACTA1026-20", dataset.SplitTrain, "0"},
		{"YGEN986-22", dataset.SplitTrain, "f"},
		{"ABSSI1639-22", dataset.SplitOtherHeldout, "0"},
		{"YDBB6502-21", dataset.SplitOtherHeldout, "f"},
		{"AACTA161-20", dataset.SplitVal, ""},
		{"AACTA1436-20", dataset.SplitTest, ""},
		{"AACTA5263-20", dataset.SplitKeyUnseen, ""},
		{"ABOTH8801-22", dataset.SplitValUnseen, ""},
		{"BCMIN4148-23", dataset.SplitTestUnseen, ""},
	}
	for _, c := range cases {
		if got := Chunk(c.pid, c.split); got != c.want {
			t.Errorf("Chunk(%q, %q) = %q, want %q", c.pid, c.split, got, c.want)
		}
	}
	if got := ImagePath("X1-20", dataset.SplitTrain, "a"); got != "images/cropped_256/train/a/X1-20.jpg" {
		t.Errorf("ImagePath = %q", got)
	}
	if got := ImagePath("X1-20", dataset.SplitVal, ""); got != "images/cropped_256/val/X1-20.jpg" {
		t.Errorf("ImagePath = %q", got)
	}
}

func TestSeenCounts(t *testing.T) {
	cases := []struct {
		n      int
		imb    float64
		budget int
		err    bool
	}{
		{2, 20, 100, false},
		{10, 20, 1000, false},
		{40, 20, 4500, false},
		{50, 1, 500, false},
		{10, 20, 50, true},
	}
	for _, c := range cases {
		counts, err := seenCounts(c.n, c.imb, c.budget)
		if (err != nil) != c.err {
			t.Fatalf("%+v: err = %v", c, err)
		}
		if err != nil {
			continue
		}
		total := 0
		for k, v := range counts {
			total += v
			if v < 3 || (k > 0 && v > counts[k-1]) {
				t.Fatalf("%+v: counts %v not >= 3 and non-increasing", c, counts)
			}
		}
		ratio := float64(counts[0]) / float64(counts[len(counts)-1])
		if math.Abs(ratio-c.imb)/c.imb > 0.05 || total > c.budget || (c.n > 2 && total < c.budget*9/10) {
			t.Fatalf("%+v: ratio %.2f total %d (counts %v)", c, ratio, total, counts)
		}
	}
}

func TestImbalanceInCSV(t *testing.T) {
	o := tiny(t.TempDir())
	o.Species, o.Images, o.Imbalance = 8, 400, 10
	if _, err := Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, r := range readCSV(t, o.Dir)[1:] {
		if s := r[20]; s == dataset.SplitTrain || s == dataset.SplitVal || s == dataset.SplitTest {
			counts[r[9]]++
		}
	}
	lo, hi := math.MaxInt, 0
	for _, n := range counts {
		lo, hi = min(lo, n), max(hi, n)
	}
	if len(counts) != 8 || math.Abs(float64(hi)/float64(lo)-10) > 0.5 {
		t.Fatalf("%d species, max/min = %d/%d, want ratio 10", len(counts), hi, lo)
	}
}

// measure parses image_measurement_value of a CSV record.
func measure(t *testing.T, r []string) float64 {
	v, err := strconv.ParseFloat(r[16], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

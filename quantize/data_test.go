package quantize

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeDataset writes a tiny BIOSCAN-layout dataset whose species are the
// labels of writeModelDir plus one the model does not know.
func writeDataset(t *testing.T) string { t.Helper(); return writeDatasetHeldOut(t, "test") }

// writeDatasetHeldOut is writeDataset with every third row in split
// heldOut instead of test.
func writeDatasetHeldOut(t *testing.T, heldOut string) string {
	t.Helper()
	root := t.TempDir()
	var csv strings.Builder
	csv.WriteString("processid,split,species,chunk,size,lat,lon\n")
	species := []string{"a", "b", "c", "zzz"}
	for i := range 24 {
		split := "train"
		if i%3 == 0 {
			split = heldOut
		}
		id := fmt.Sprintf("P%02d", i)
		fmt.Fprintf(&csv, "%s,%s,%s,,%d,45,-75\n", id, split, species[i%4], i)
		dir := filepath.Join(root, "images", "cropped_256", split)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		img := image.NewRGBA(image.Rect(0, 0, 16, 16))
		for p := range img.Pix {
			img.Pix[p] = uint8(i*10 + p)
		}
		img.Set(0, 0, color.White)
		f, err := os.Create(filepath.Join(dir, id+".jpg"))
		if err != nil {
			t.Fatal(err)
		}
		if err := jpeg.Encode(f, img, nil); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	if err := os.WriteFile(filepath.Join(root, "BIOSCAN_5M_Insect_Dataset_metadata.csv"), []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestRunOnDataset runs the pipeline (Run, as `trainer quantize` does) on a
// tiny dataset: splits, calibration, int8 and float files, parallel
// evaluation and the report.
func TestRunOnDataset(t *testing.T) {
	model := writeModelDir(t)
	md, err := ReadModelDir(model)
	if err != nil {
		t.Fatal(err)
	}
	root := writeDataset(t)
	train, test, _, summary, err := OpenSplits([]string{root}, md, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	// 16 train rows and 8 test rows; a quarter are species "zzz".
	if len(train) != 12 || len(test) != 6 || !strings.Contains(string(summary), `"class_counts":[4,4,4]`) {
		t.Fatalf("%d train, %d test, summary %s", len(train), len(test), summary)
	}
	out := filepath.Join(t.TempDir(), "m", "model.tflite")
	rep, err := Run(context.Background(), Config{Model: model, Data: []string{root}, Out: out, CalibBatches: 2, Batch: 5,
		Calib: MinMax, IO: IOFloat, Float: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.CalibBatches != 2 || rep.CalibSamples != 10 {
		t.Errorf("%d calibration batches / %d samples for 2 batches of 5", rep.CalibBatches, rep.CalibSamples)
	}
	if rep.TestSamples != 6 || rep.MaxProbDiff > 0.1 {
		t.Errorf("%d evaluated, max prob diff %v", rep.TestSamples, rep.MaxProbDiff)
	}
	for _, f := range []string{out, rep.FloatFile, rep.Path()} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("output %s: %v", f, err)
		}
	}
	if _, err := Run(context.Background(), Config{Model: model, Data: []string{root}, Out: out, CalibBatches: 1, Batch: 1, Calib: "median", IO: IOFloat}); err == nil || !strings.Contains(err.Error(), "--calib") {
		t.Errorf("bad --calib: %v", err)
	}
}

// TestOpenSplitsEvalSplit: without a test split the int8 model is
// compared on val (a model trained on all the data there is).
func TestOpenSplitsEvalSplit(t *testing.T) {
	md, err := ReadModelDir(writeModelDir(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, split := range []string{"test", "val"} {
		train, eval, evalSplit, _, err := OpenSplits([]string{writeDatasetHeldOut(t, split)}, md, "", 1)
		if err != nil || len(train) != 12 || len(eval) != 6 || evalSplit != split {
			t.Errorf("held out as %s: %d train, %d on %q, err %v; want 12, 6 on %q", split, len(train), len(eval), evalSplit, err, split)
		}
	}
}

func TestOpenSplitsErrors(t *testing.T) {
	md, err := ReadModelDir(writeModelDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, _, err := OpenSplits([]string{t.TempDir()}, md, "species", 1); err == nil {
		t.Error("empty directory accepted")
	}
	if _, _, _, _, err := OpenSplits([]string{writeDataset(t)}, md, "genus", 1); err == nil || !strings.Contains(err.Error(), "genus") {
		t.Errorf("wrong rank: %v", err)
	}
}

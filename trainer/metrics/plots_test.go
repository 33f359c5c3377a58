package metrics

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestPlots(t *testing.T) {
	dir := t.TempDir()
	for _, k := range []int{3, 45, 200} {
		labels := make([]int32, 4*k)
		pred := make([]int, 4*k)
		for i := range labels {
			labels[i] = int32(i % k)
			pred[i] = (i + i/k) % k
		}
		m, err := Evaluate(labels, oneHot(pred, k), k, nil)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "conf.png")
		if err := PlotConfusion(m, path); err != nil {
			t.Fatalf("k=%d: %v", k, err)
		}
		checkPNG(t, path)
	}
	log := []EpochLog{{Epoch: 1, TrainLoss: 2, ValLoss: 2.1, ValMacroF1: 0.2}, {Epoch: 2, TrainLoss: 1, ValLoss: 1.2, ValMacroF1: 0.5}}
	logPath := filepath.Join(dir, "train.jsonl")
	for _, e := range log {
		if err := AppendLog(logPath, e); err != nil {
			t.Fatal(err)
		}
	}
	back, err := ReadLog(logPath)
	if err != nil || len(back) != 2 || back[1].ValMacroF1 != 0.5 {
		t.Fatalf("ReadLog = %v, %v", back, err)
	}
	path := filepath.Join(dir, "curves.png")
	if err := PlotCurves(back, path); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path)
	if err := PlotCurves(nil, path); err == nil {
		t.Error("PlotCurves(nil): no error")
	}
}

func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() < 200 || b.Dy() < 200 {
		t.Errorf("%s: tiny image %v", path, b)
	}
}

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

	"github.com/trapnet/trapnet/ir"
)

// writeDataset writes a tiny BIOSCAN-layout dataset whose species are the
// labels of writeModelDir plus one the model does not know.
func writeDataset(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	var csv strings.Builder
	csv.WriteString("processid,split,species,chunk,size,lat,lon\n")
	species := []string{"a", "b", "c", "zzz"}
	for i := range 24 {
		split := "train"
		if i%3 == 0 {
			split = "test"
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

// TestPipelineOnDataset runs the command's pipeline on a tiny dataset:
// splits, calibration, int8 build and parallel evaluation.
func TestPipelineOnDataset(t *testing.T) {
	md, err := ReadModelDir(writeModelDir(t))
	if err != nil {
		t.Fatal(err)
	}
	root := writeDataset(t)
	train, test, summary, err := OpenSplits(root, md, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	// 16 train rows and 8 test rows; a quarter are species "zzz".
	if len(train) != 12 || len(test) != 6 || !strings.Contains(string(summary), `"class_counts":[4,4,4]`) {
		t.Fatalf("%d train, %d test, summary %s", len(train), len(test), summary)
	}
	folded, err := FoldBatchNorm(md.Graph)
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := NewCalibrator(folded, MinMax)
	err = EachBatch(context.Background(), md, train, 5, 10, func(in []*ir.Tensor, labels []int32) error {
		if len(in) != 2 || in[0].Shape[1] != 12 || in[1].Shape[1] != 6 {
			return fmt.Errorf("batch shapes %v %v", in[0].Shape, in[1].Shape)
		}
		_, err := cal.Observe(in...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if cal.Batches() != 2 {
		t.Fatalf("%d calibration batches for a limit of 10 at batch 5", cal.Batches())
	}
	ranges, _ := cal.Ranges()
	m, err := Build(folded, ranges, Options{Metadata: md.Metadata})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRunner(roundTripModel(t, m), 2)
	if err != nil {
		t.Fatal(err)
	}
	cmp := Comparison{K: 3}
	err = EachBatch(context.Background(), md, test, 4, 0, func(in []*ir.Tensor, labels []int32) error {
		fp, err := FloatProbs(md.Graph, in...)
		if err != nil {
			return err
		}
		qp, err := r.Run(in...)
		if err != nil {
			return err
		}
		return cmp.Add(labels, fp, qp)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cmp.Labels) != 6 || cmp.MaxProbDiff() > 0.1 {
		t.Fatalf("%d evaluated, max prob diff %v", len(cmp.Labels), cmp.MaxProbDiff())
	}
}

func TestOpenSplitsErrors(t *testing.T) {
	md, err := ReadModelDir(writeModelDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := OpenSplits(t.TempDir(), md, "species", 1); err == nil {
		t.Error("empty directory accepted")
	}
	if _, _, _, err := OpenSplits(writeDataset(t), md, "genus", 1); err == nil || !strings.Contains(err.Error(), "genus") {
		t.Errorf("wrong rank: %v", err)
	}
}

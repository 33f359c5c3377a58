package trainer

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/preprocess"
)

// TestOpenDataFitsNormalisation: data that is not BIOSCAN-5M gets
// normalisation statistics of its own training images (half pure red,
// half pure green here: mean 0.5, 0.5, 0), not BIOSCAN-5M's.
func TestOpenDataFitsNormalisation(t *testing.T) {
	dir := t.TempDir()
	lines := []string{"image,label"}
	for i := range 12 {
		c := color.RGBA{R: 255, A: 255}
		label := "red"
		if i%2 == 1 {
			c, label = color.RGBA{G: 255, A: 255}, "green"
		}
		img := image.NewRGBA(image.Rect(0, 0, 6, 6))
		for j := 0; j < len(img.Pix); j += 4 {
			img.Pix[j], img.Pix[j+1], img.Pix[j+2], img.Pix[j+3] = c.R, c.G, c.B, c.A
		}
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%d.png", i)))
		if err != nil {
			t.Fatal(err)
		}
		png.Encode(f, img)
		f.Close()
		lines = append(lines, fmt.Sprintf("%d.png,%s", i, label))
	}
	os.WriteFile(filepath.Join(dir, "labels.csv"), []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, dataset.SpecFile), []byte("csv: labels.csv\nmetadata_columns: []\n"), 0o644)
	d, err := OpenData([]string{dir}, DataOptions{Size: 4, Batch: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := [3]float64{0.5, 0.5, 0}
	for c := range 3 {
		if math.Abs(float64(d.Prep.Mean[c])-want[c]) > 0.01 {
			t.Errorf("mean %v, want %v", d.Prep.Mean, want)
		}
	}
	if d.NormFitted != d.Train.Len() || d.Prep.Mean == preprocess.BIOSCANMean || math.Abs(float64(d.Prep.Std[0])-0.5) > 0.01 {
		t.Errorf("fitted on %d of %d train images: %+v", d.NormFitted, d.Train.Len(), d.Prep)
	}
	if len(d.Sources) != 1 || d.Sources[0].Format != dataset.FormatCSV {
		t.Errorf("sources %+v", d.Sources)
	}
}

func TestCapTrain(t *testing.T) {
	var train []dataset.Sample
	for c, n := range []int{10, 3, 8} {
		for range n {
			train = append(train, dataset.Sample{Class: c})
		}
	}
	for _, tc := range []struct {
		n, base int
		want    []int
	}{
		{0, 0, []int{10, 3, 8}},
		{4, 0, []int{4, 3, 4}},
		{4, 2, []int{4, 3, 8}}, // class 2 is new: kept whole
	} {
		got := dataset.ClassCounts(capTrain(train, tc.n, tc.base, 1), 3)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("cap %d base %d: counts %v, want %v", tc.n, tc.base, got, tc.want)
		}
	}
}

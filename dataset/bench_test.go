package dataset

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/trapnet/trapnet/preprocess"
)

// bioscanCSV returns n rows of realistic BIOSCAN-5M metadata (labels,
// coordinates, a long DNA barcode) over 1000 species.
func bioscanCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString(bioscanHeader + "\n")
	dna := bytes.Repeat([]byte("ACGT"), 165)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "BIOUG%07d-22,BIOUG%07d-A01,Sp %d,Arthropoda,Insecta,Diptera,Fam%d,Sub%d,Gen%d,Gen%d sp%d,BOLD:A%05d,%s,Canada,Ontario,%.4f,%.4f,%d,0.%03d,1.%02d,species,%s,%d,%d\n",
			i, i, i%1000, i%40, i%80, i%300, i%300, i%1000, i%5000, dna, 40+float64(i%1000)/100, -75-float64(i%500)/100, 1000+i%9000, i%1000, i%100,
			[]string{"train", "pretrain", "val", "test"}[i%4], i, i%100)
	}
	return b.Bytes()
}

// BenchmarkReadBIOSCAN measures parsing speed and the memory kept per
// sample (heap growth / samples), the figure that bounds a 5M-row CSV.
func BenchmarkReadBIOSCAN(b *testing.B) {
	const n = 20000
	data := bioscanCSV(n)
	opts, _ := Options{KeepUnlabelled: true}.withDefaults()
	b.SetBytes(int64(len(data)))
	var kept int
	var perSample float64
	for b.Loop() {
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		d, err := readBIOSCAN(bytes.NewReader(data), "bench.csv", "/data/bioscan", opts)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&m1)
		kept = len(d.Samples)
		perSample = float64(m1.HeapAlloc-m0.HeapAlloc) / float64(kept)
		runtime.KeepAlive(d)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(perSample, "heapB/sample")
	_ = kept
}

// BenchmarkLoader256To64 streams epochs of 64 BIOSCAN-style 256x256 JPEGs
// through the Loader (read, decode, resize to 64x64, normalise, metadata,
// batching) with one worker per CPU; images/s is reported.
func BenchmarkLoader256To64(b *testing.B) {
	var rows []fixtureRow
	for i := 0; i < 64; i++ {
		rows = append(rows, fixtureRow{pid: fmt.Sprintf("P%03d", i), split: "train", chunk: "1", species: fmt.Sprintf("S%d", i%4),
			lat: "45", lon: "-75", image: jpegBytes(b, 256, 256, uint8(i))})
	}
	d, err := OpenBIOSCAN(writeBIOSCAN(b, rows), Options{})
	if err != nil {
		b.Fatal(err)
	}
	schema, err := d.FitMetadata(nil)
	if err != nil {
		b.Fatal(err)
	}
	l, err := NewLoader(d.Samples, schema, preprocess.Default(64), LoaderOptions{BatchSize: 32, Shuffle: true})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	images := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		l.Reset(i)
		for {
			bt, err := l.Next(context.Background())
			if err != nil {
				break
			}
			images += bt.N
		}
	}
	b.ReportMetric(float64(images)/b.Elapsed().Seconds(), "images/s")
}

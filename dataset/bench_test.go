package dataset

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
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

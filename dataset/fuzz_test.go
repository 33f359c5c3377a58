package dataset

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseRow feeds arbitrary data lines under the published BIOSCAN-5M
// header through the row parser. Whatever the input, parsing must not fail
// or panic, and every kept sample must be well formed. The f.Add seeds run
// as a normal test.
func FuzzParseRow(f *testing.F) {
	seeds := []string{
		bioscanRow(map[string]string{"processid": "A1", "split": "train", "species": "Aedes aegypti", "coord-lat": "45", "coord-lon": "-75", "chunk": "3"}),
		bioscanRow(map[string]string{"processid": "A2", "split": "val", "species": "x", "coord-lat": "north", "coord-lon": "1"}),
		bioscanRow(map[string]string{"processid": "../etc", "split": "test", "species": "y"}),
		bioscanRow(map[string]string{"processid": "A3", "split": "TRAIN", "species": "NA", "chunk": "4.0", "area_fraction": "NaN"}),
		"A4,x,y",
		`"unterminated,train`,
		`a"b,c` + strings.Repeat(",", 21),
		"\ufeff,,,,\n\n\r\n",
		bioscanRow(map[string]string{"processid": "A5", "split": "pretrain", "species": "z\x1fw", "coord-lat": "1e400", "coord-lon": "-0"}),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rows string) {
		opts, _ := Options{MinPerClass: 2}.withDefaults()
		d, err := readBIOSCAN(strings.NewReader(bioscanHeader+"\n"+rows), "fuzz.csv", "/data", opts)
		if err != nil {
			t.Fatalf("parse error on data rows: %v", err)
		}
		for _, s := range d.Samples {
			if !contains(Splits, s.Split) {
				t.Fatalf("sample with split %q", s.Split)
			}
			if s.ProcessID == "" || strings.ContainsAny(s.ProcessID, `/\`) || s.Line < 2 {
				t.Fatalf("bad sample kept: %+v", s)
			}
			if s.Class < -1 || s.Class >= len(d.Classes) || (s.Class >= 0 && s.Label == "") {
				t.Fatalf("sample class %d of %d (label %q)", s.Class, len(d.Classes), s.Label)
			}
			r := s.Meta.Row()
			if la, ok := r[colLat]; ok {
				x, err := strconv.ParseFloat(strings.TrimSpace(la), 64)
				y, err2 := strconv.ParseFloat(strings.TrimSpace(r[colLon]), 64)
				if err != nil || err2 != nil || math.Abs(x) > 90 || math.Abs(y) > 180 {
					t.Fatalf("unusable coordinates kept: %q, %q", la, r[colLon])
				}
			}
			if _, ok := r[colLon]; ok != (r[colLat] != "") {
				t.Fatalf("only one coordinate kept: %v", r)
			}
		}
	})
}

package dataset

import (
	"math"
	"testing"

	"github.com/trapnet/trapnet/metadata"
)

func samplesWithClasses(counts ...int) []Sample {
	var s []Sample
	for c, n := range counts {
		for i := 0; i < n; i++ {
			s = append(s, Sample{ProcessID: string(rune('A'+c)) + string(rune('a'+i%26)) + string(rune('0'+i/26)), Class: c})
		}
	}
	return s
}

func TestSplitFraction(t *testing.T) {
	cases := []struct {
		name   string
		counts []int
		frac   float64
		wantA  []int
	}{
		{"half", []int{10, 4, 1}, 0.5, []int{5, 2, 1}},
		{"all", []int{3, 3}, 1, []int{3, 3}},
		{"none", []int{3, 3}, 0, []int{0, 0}},
		{"clamped", []int{2}, 7, []int{2}},
	}
	for _, tc := range cases {
		s := samplesWithClasses(tc.counts...)
		a, b := SplitFraction(s, tc.frac, 42)
		if got := ClassCounts(a, len(tc.counts)); !equalInts(got, tc.wantA) {
			t.Errorf("%s: part A counts %v, want %v", tc.name, got, tc.wantA)
		}
		if len(a)+len(b) != len(s) {
			t.Errorf("%s: %d+%d != %d", tc.name, len(a), len(b), len(s))
		}
		a2, _ := SplitFraction(s, tc.frac, 42)
		for i := range a {
			if a[i].ProcessID != a2[i].ProcessID {
				t.Fatalf("%s: not deterministic", tc.name)
			}
		}
	}
}

func TestWeights(t *testing.T) {
	w := ClassWeights([]int{100, 25, 0})
	if w[2] != 0 || math.Abs(float64(w[1]/w[0])-2) > 1e-5 {
		t.Fatalf("class weights %v: want w1 = 2*w0 and w2 = 0", w)
	}
	if mean := (100*w[0] + 25*w[1]) / 125; math.Abs(float64(mean)-1) > 1e-5 {
		t.Fatalf("mean per-sample weight %v, want 1", mean)
	}
	s := samplesWithClasses(8, 2)
	s = append(s, Sample{Class: -1})
	bw := BalancedWeights(s, 2, 1)
	if bw[0] != 1.0/8 || bw[9] != 0.5 || bw[10] != 0 {
		t.Fatalf("balanced weights %v", bw)
	}
	cases := []struct {
		counts []int
		want   float64
	}{{[]int{10, 2, 0}, 5}, {[]int{0, 0}, 0}, {[]int{3}, 1}}
	for _, tc := range cases {
		if got := ImbalanceRatio(tc.counts); got != tc.want {
			t.Errorf("ImbalanceRatio(%v) = %v, want %v", tc.counts, got, tc.want)
		}
	}
}

func TestMetaAndFit(t *testing.T) {
	cases := []metadata.Row{
		{},
		{"country": "Canada"},
		{"country": "Canada", "coord-lat": "45", "coord-lon": "-75", "note": "a\x1fb"},
	}
	for _, r := range cases {
		m := NewMeta(r)
		got := m.Row()
		for k, v := range r {
			if k == "note" {
				v = "a b" // the separator is replaced
			}
			if got[k] != v {
				t.Errorf("Meta round trip of %v: %v", r, got)
			}
		}
		if len(got) != len(r) {
			t.Errorf("Meta round trip of %v: %v", r, got)
		}
	}
	s := []Sample{
		{Split: "train", Meta: NewMeta(metadata.Row{"country": "Canada", "area_fraction": "0.2"})},
		{Split: "train", Meta: NewMeta(metadata.Row{"country": "Canada", "area_fraction": "0.4"})},
		{Split: "train", Meta: NewMeta(metadata.Row{"country": "Peru"})},
	}
	schema, err := FitMetadata(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !schema.Fitted || len(schema.Fields[0].Vocab) != 2 || schema.Fields[0].Vocab[0] != "Canada" {
		t.Fatalf("fitted schema: %+v", schema.Fields[0])
	}
	if f := schema.Fields[4]; f.Name != "area_fraction" || math.Abs(f.Mean-0.3) > 1e-9 {
		t.Fatalf("area_fraction fit: %+v", f)
	}
}

package trainer

import (
	"strings"
	"testing"
)

func TestVerdictAndTable(t *testing.T) {
	cases := []struct {
		name             string
		searched, random CompareRow
		want             string
	}{
		{"clear win", CompareRow{MacroF1: 0.8, F1Std: 0.01}, CompareRow{MacroF1: 0.7, F1Std: 0.02}, "search beats random"},
		{"within noise", CompareRow{MacroF1: 0.72, F1Std: 0.05}, CompareRow{MacroF1: 0.7, F1Std: 0.05}, "within the run-to-run spread"},
		{"loss", CompareRow{MacroF1: 0.6, F1Std: 0.01}, CompareRow{MacroF1: 0.7, F1Std: 0.01}, "does NOT beat random"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.searched.Model, c.searched.Modality, c.searched.Runs = "searched", Fusion, 3
			c.random.Model, c.random.Modality, c.random.Runs = "random", Fusion, 3
			rows := []CompareRow{c.searched, c.random}
			if v := Verdict(rows); !strings.Contains(v, c.want) || !strings.HasPrefix(v, "fusion:") {
				t.Errorf("verdict %q, want %q", v, c.want)
			}
			if tab := MarkdownTable(rows); !strings.Contains(tab, "± ") {
				t.Errorf("table without std:\n%s", tab)
			}
		})
	}
	m, s := meanStd([]float64{1, 2, 3})
	if m != 2 || s < 0.816 || s > 0.817 {
		t.Errorf("meanStd = %v, %v", m, s)
	}
}

package metrics

import (
	"math"
	"testing"
)

// oneHot turns predicted classes into score rows.
func oneHot(pred []int, k int) []float32 {
	s := make([]float32, len(pred)*k)
	for i, p := range pred {
		s[i*k+p] = 1
	}
	return s
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name                              string
		labels                            []int32
		pred                              []int
		k                                 int
		acc, macroP, macroR, macroF1, wF1 float64
	}{
		// scikit-learn's precision_recall_fscore_support doc example.
		{"sklearn", []int32{0, 1, 2, 0, 1, 2}, []int{0, 2, 1, 0, 0, 1}, 3, 1.0 / 3, 2.0 / 9, 1.0 / 3, 4.0 / 15, 4.0 / 15},
		{"perfect", []int32{0, 1, 1, 2}, []int{0, 1, 1, 2}, 3, 1, 1, 1, 1, 1},
		// Imbalanced: class 0 (3 ex.) always right, class 1 (1 ex.) predicted 0.
		// P0=3/4 R0=1 F0=6/7; P1=R1=F1=0.
		{"imbalanced", []int32{0, 0, 0, 1}, []int{0, 0, 0, 0}, 2, 0.75, 3.0 / 8, 0.5, 3.0 / 7, 0.75 * 6 / 7},
		// Class 2 never occurs nor is predicted: excluded from macro averages.
		{"absent class", []int32{0, 1}, []int{0, 1}, 3, 1, 1, 1, 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Evaluate(tc.labels, oneHot(tc.pred, tc.k), tc.k, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				what      string
				got, want float64
			}{{"accuracy", m.Accuracy, tc.acc}, {"macro P", m.MacroPrecision, tc.macroP}, {"macro R", m.MacroRecall, tc.macroR},
				{"macro F1", m.MacroF1, tc.macroF1}, {"weighted F1", m.WeightedF1, tc.wF1}} {
				if math.Abs(c.got-c.want) > 1e-9 {
					t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
				}
			}
		})
	}
}

func TestEvaluateTop5(t *testing.T) {
	// 7 classes; the true class is ranked 1st, 5th and 6th.
	scores := []float32{
		7, 6, 5, 4, 3, 2, 1, // label 0: rank 1
		7, 6, 5, 4, 3, 2, 1, // label 4: rank 5
		7, 6, 5, 4, 3, 2, 1, // label 5: rank 6
	}
	m, err := Evaluate([]int32{0, 4, 5}, scores, 7, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2.0 / 3; math.Abs(m.Top5-want) > 1e-9 {
		t.Errorf("top5 = %v, want %v", m.Top5, want)
	}
	if want := 1.0 / 3; math.Abs(m.Accuracy-want) > 1e-9 {
		t.Errorf("accuracy = %v, want %v", m.Accuracy, want)
	}
}

func TestEvaluateErrors(t *testing.T) {
	tests := []struct {
		name   string
		labels []int32
		scores []float32
		k      int
	}{
		{"no classes", []int32{0}, []float32{1}, 0},
		{"length", []int32{0, 1}, []float32{1, 0, 0}, 2},
		{"label range", []int32{2}, []float32{1, 0}, 2},
		{"nan", []int32{0}, []float32{float32(math.NaN()), 0}, 2},
	}
	for _, tc := range tests {
		if _, err := Evaluate(tc.labels, tc.scores, tc.k, nil); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

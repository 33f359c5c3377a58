// Package metrics computes classification metrics (accuracy, top-5,
// precision, recall and F1 macro and weighted, per-class report, confusion
// matrix), keeps the JSONL training log and draws the confusion-matrix and
// training-curve plots of package trainer.
package metrics

import (
	"fmt"
	"math"
	"sort"
)

// ClassReport holds the one-vs-rest metrics of one class.
type ClassReport struct {
	Class     int     `json:"class"`
	Label     string  `json:"label"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// Support is the number of true examples of the class.
	Support int `json:"support"`
}

// Metrics summarises a classifier's predictions on a split.
type Metrics struct {
	N                 int           `json:"n"`
	Classes           int           `json:"classes"`
	Accuracy          float64       `json:"accuracy"`
	Top5              float64       `json:"top5"`
	MacroPrecision    float64       `json:"macro_precision"`
	MacroRecall       float64       `json:"macro_recall"`
	MacroF1           float64       `json:"macro_f1"`
	WeightedPrecision float64       `json:"weighted_precision"`
	WeightedRecall    float64       `json:"weighted_recall"`
	WeightedF1        float64       `json:"weighted_f1"`
	PerClass          []ClassReport `json:"per_class"`
	// Confusion[t][p] counts examples of true class t predicted as p.
	Confusion [][]int `json:"confusion"`
}

// Evaluate computes Metrics from true labels and per-example class scores
// (probabilities or logits, row-major [len(labels), k]). labels may be nil
// (then class numbers are used as names). Macro averages run over the classes
// that have support or were predicted at least once, as scikit-learn does with
// labels=unique(y_true ∪ y_pred).
func Evaluate(labels []int32, scores []float32, k int, names []string) (*Metrics, error) {
	n := len(labels)
	if k <= 0 {
		return nil, fmt.Errorf("evaluate: %d classes", k)
	}
	if len(scores) != n*k {
		return nil, fmt.Errorf("evaluate: %d scores for %d examples x %d classes", len(scores), n, k)
	}
	m := &Metrics{N: n, Classes: k, Confusion: make([][]int, k)}
	for i := range m.Confusion {
		m.Confusion[i] = make([]int, k)
	}
	top5 := 0
	for i, y := range labels {
		if y < 0 || int(y) >= k {
			return nil, fmt.Errorf("evaluate: example %d has label %d outside [0,%d)", i, y, k)
		}
		row := scores[i*k : (i+1)*k]
		pred, better := 0, 0
		for j, s := range row {
			if math.IsNaN(float64(s)) {
				return nil, fmt.Errorf("evaluate: example %d has a NaN score", i)
			}
			if s > row[pred] {
				pred = j
			}
			if s > row[y] {
				better++
			}
		}
		if better < 5 {
			top5++
		}
		m.Confusion[y][pred]++
	}
	m.fill(names, top5)
	return m, nil
}

// fill derives every summary from the confusion matrix.
func (m *Metrics) fill(names []string, top5 int) {
	k, n := m.Classes, m.N
	correct := 0
	predicted := make([]int, k)
	for t := range k {
		correct += m.Confusion[t][t]
		for p := range k {
			predicted[p] += m.Confusion[t][p]
		}
	}
	if n > 0 {
		m.Accuracy = float64(correct) / float64(n)
		m.Top5 = float64(top5) / float64(n)
	}
	used := 0
	for c := range k {
		support := 0
		for _, v := range m.Confusion[c] {
			support += v
		}
		tp := m.Confusion[c][c]
		r := ClassReport{Class: c, Label: fmt.Sprint(c), Support: support}
		if c < len(names) {
			r.Label = names[c]
		}
		r.Precision = ratio(tp, predicted[c])
		r.Recall = ratio(tp, support)
		if r.Precision+r.Recall > 0 {
			r.F1 = 2 * r.Precision * r.Recall / (r.Precision + r.Recall)
		}
		m.PerClass = append(m.PerClass, r)
		if support > 0 || predicted[c] > 0 {
			used++
			m.MacroPrecision += r.Precision
			m.MacroRecall += r.Recall
			m.MacroF1 += r.F1
		}
		if n > 0 {
			w := float64(support) / float64(n)
			m.WeightedPrecision += w * r.Precision
			m.WeightedRecall += w * r.Recall
			m.WeightedF1 += w * r.F1
		}
	}
	if used > 0 {
		m.MacroPrecision /= float64(used)
		m.MacroRecall /= float64(used)
		m.MacroF1 /= float64(used)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Worst returns the n classes with the lowest F1 among those with support,
// worst first (ties by class id).
func (m *Metrics) Worst(n int) []ClassReport {
	var rs []ClassReport
	for _, r := range m.PerClass {
		if r.Support > 0 {
			rs = append(rs, r)
		}
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].F1 < rs[j].F1 })
	if len(rs) > n {
		rs = rs[:n]
	}
	return rs
}

// CrossEntropy is the mean softmax cross-entropy of logits [n, k].
func CrossEntropy(logits []float32, labels []int32, k int) float64 {
	var sum float64
	for i, y := range labels {
		row := logits[i*k : (i+1)*k]
		mx := math.Inf(-1)
		for _, v := range row {
			mx = math.Max(mx, float64(v))
		}
		var z float64
		for _, v := range row {
			z += math.Exp(float64(v) - mx)
		}
		sum += math.Log(z) + mx - float64(row[y])
	}
	return sum / float64(max(len(labels), 1))
}

package metrics

import (
	"fmt"
	"io"
)

// WriteReport prints the summary and the per-class report (all classes
// when there are at most 30, else the 15 worst by F1).
func (m *Metrics) WriteReport(w io.Writer) {
	fmt.Fprintf(w, "examples %d, classes %d\n", m.N, m.Classes)
	fmt.Fprintf(w, "accuracy %.4f  top-5 %.4f\n", m.Accuracy, m.Top5)
	fmt.Fprintf(w, "macro:    precision %.4f recall %.4f F1 %.4f\n", m.MacroPrecision, m.MacroRecall, m.MacroF1)
	fmt.Fprintf(w, "weighted: precision %.4f recall %.4f F1 %.4f\n", m.WeightedPrecision, m.WeightedRecall, m.WeightedF1)
	rows := m.PerClass
	title := "per class"
	if len(rows) > 30 {
		rows, title = m.Worst(15), "15 worst classes by F1"
	}
	fmt.Fprintf(w, "\n%s:\n%-32s %9s %9s %9s %8s\n", title, "class", "precision", "recall", "f1", "support")
	for _, r := range rows {
		fmt.Fprintf(w, "%-32s %9.4f %9.4f %9.4f %8d\n", r.Label, r.Precision, r.Recall, r.F1, r.Support)
	}
}

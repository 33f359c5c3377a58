package metrics

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// maxLabelledClasses is the most classes for which the confusion matrix
// plot prints class names on its axes.
const maxLabelledClasses = 30

// confGrid is a row-normalised confusion matrix as a plotter.GridXYZ. Row 0
// (true class 0) is drawn at the top.
type confGrid struct {
	z [][]float64
}

func (g confGrid) Dims() (c, r int)   { return len(g.z), len(g.z) }
func (g confGrid) Z(c, r int) float64 { return g.z[len(g.z)-1-r][c] }
func (g confGrid) X(c int) float64    { return float64(c) }
func (g confGrid) Y(r int) float64    { return float64(r) }
func (g confGrid) Min() float64       { return 0 }
func (g confGrid) Max() float64       { return 1 }

// classTicks names classes on an axis; reversed maps row r to class K-1-r.
type classTicks struct {
	names    []string
	reversed bool
}

func (t classTicks) Ticks(min, max float64) []plot.Tick {
	k := len(t.names)
	var ts []plot.Tick
	for i := range k {
		name := t.names[i]
		if t.reversed {
			name = t.names[k-1-i]
		}
		ts = append(ts, plot.Tick{Value: float64(i), Label: name})
	}
	return ts
}

// indexTicks marks every step-th class id; reversed maps row r to class
// k-1-r.
type indexTicks struct {
	k, step  int
	reversed bool
}

func (t indexTicks) Ticks(min, max float64) []plot.Tick {
	var ts []plot.Tick
	for c := 0; c < t.k; c += t.step {
		v := float64(c)
		if t.reversed {
			v = float64(t.k - 1 - c)
		}
		ts = append(ts, plot.Tick{Value: v, Label: fmt.Sprint(c)})
	}
	return ts
}

// PlotConfusion writes the row-normalised confusion matrix of m as a heatmap
// PNG (true class down, predicted class across). Class names appear on the
// axes when there are at most 30 classes, else every K/10-th class id; the
// image grows with K so that 200 classes stay legible as a pattern.
func PlotConfusion(m *Metrics, path string) error {
	k := m.Classes
	if k == 0 || len(m.Confusion) != k {
		return fmt.Errorf("confusion plot: empty matrix")
	}
	z := make([][]float64, k)
	for t := range k {
		z[t] = make([]float64, k)
		sum := 0
		for _, v := range m.Confusion[t] {
			sum += v
		}
		for p := range k {
			if sum > 0 { // sqrt colour scale: rare confusions stay visible
				z[t][p] = math.Sqrt(float64(m.Confusion[t][p]) / float64(sum))
			}
		}
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Confusion (rows normalised, sqrt colour scale); accuracy %.3f, macro-F1 %.3f", m.Accuracy, m.MacroF1)
	p.X.Label.Text = "predicted class"
	p.Y.Label.Text = "true class"
	hm := plotter.NewHeatMap(confGrid{z}, moreland.ExtendedBlackBody().Palette(256))
	p.Add(hm)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -0.5, float64(k)-0.5, -0.5, float64(k)-0.5
	size := vg.Length(6) * vg.Inch
	if k <= maxLabelledClasses {
		names := make([]string, k)
		for i := range k {
			names[i] = fmt.Sprint(i)
			if i < len(m.PerClass) && m.PerClass[i].Label != "" {
				names[i] = m.PerClass[i].Label
			}
		}
		p.X.Tick.Marker = classTicks{names: names}
		p.Y.Tick.Marker = classTicks{names: names, reversed: true}
		p.X.Tick.Label.Rotation = 1.2
		p.X.Tick.Label.XAlign = -1
		p.X.Tick.Label.YAlign = -0.5
	} else { // class ids every step classes
		step := max(k/10, 1)
		p.X.Tick.Marker = indexTicks{k: k, step: step}
		p.Y.Tick.Marker = indexTicks{k: k, step: step, reversed: true}
		if k > 100 {
			size = 9 * vg.Inch
		}
	}
	return p.Save(size, size, path)
}

// PlotCurves writes the training curves (train and validation loss, validation
// accuracy and macro-F1 per epoch) as a PNG.
func PlotCurves(log []EpochLog, path string) error {
	if len(log) == 0 {
		return fmt.Errorf("curve plot: no epochs logged")
	}
	p := plot.New()
	p.Title.Text = "Training curves"
	p.X.Label.Text = "epoch"
	series := []struct {
		name string
		get  func(EpochLog) float64
	}{
		{"train loss", func(e EpochLog) float64 { return e.TrainLoss }},
		{"val loss", func(e EpochLog) float64 { return e.ValLoss }},
		{"val accuracy", func(e EpochLog) float64 { return e.ValAccuracy }},
		{"val macro-F1", func(e EpochLog) float64 { return e.ValMacroF1 }},
	}
	for i, s := range series {
		pts := make(plotter.XYs, len(log))
		for j, e := range log {
			pts[j].X, pts[j].Y = float64(e.Epoch), s.get(e)
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("curve plot: %w", err)
		}
		l.Color = plotColors[i%len(plotColors)]
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(s.name, l)
	}
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return p.Save(7*vg.Inch, 4.5*vg.Inch, path)
}

var plotColors = []color.Color{
	color.RGBA{31, 119, 180, 255}, color.RGBA{255, 127, 14, 255},
	color.RGBA{44, 160, 44, 255}, color.RGBA{214, 39, 40, 255},
}

package search

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// StateName names a cell state as DARTS's plots do: c_{k-2} and c_{k-1}
// for the two cell inputs, n<i> for intermediate node i.
func StateName(s int) string {
	switch s {
	case 0:
		return "c_{k-2}"
	case 1:
		return "c_{k-1}"
	}
	return fmt.Sprintf("n%d", s-2)
}

// EdgeLabel is "n<node> <- <input>" for the alpha row of an edge.
func EdgeLabel(node, input int) string {
	return fmt.Sprintf("n%d <- %s", node, StateName(input))
}

// edgeLabels lists the edge labels of a cell with nodes nodes in alpha-row
// (DARTS) order.
func edgeLabels(nodes int) []string {
	var out []string
	for i := range nodes {
		for j := 0; j < i+2; j++ {
			out = append(out, EdgeLabel(i, j))
		}
	}
	return out
}

// whiteBlue is a colour map from white (Min) to dark blue (Max).
type whiteBlue struct{ min, max, alpha float64 }

func (m *whiteBlue) At(v float64) (color.Color, error) {
	f := 0.0
	if m.max > m.min {
		f = math.Min(math.Max((v-m.min)/(m.max-m.min), 0), 1)
	}
	return color.RGBA{uint8(255 - 247*f), uint8(255 - 207*f), uint8(255 - 148*f), 255}, nil
}
func (m *whiteBlue) Max() float64       { return m.max }
func (m *whiteBlue) SetMax(v float64)   { m.max = v }
func (m *whiteBlue) Min() float64       { return m.min }
func (m *whiteBlue) SetMin(v float64)   { m.min = v }
func (m *whiteBlue) Alpha() float64     { return 1 }
func (m *whiteBlue) SetAlpha(a float64) { m.alpha = a }
func (m *whiteBlue) Palette(n int) palette.Palette {
	p := make(pal, n)
	for i := range p {
		p[i], _ = m.At(m.min + (m.max-m.min)*float64(i)/float64(max(n-1, 1)))
	}
	return p
}

type pal []color.Color

func (p pal) Colors() []color.Color { return p }

// weightGrid is a softmax matrix as a heat map: columns ops, rows edges
// (row 0 at the top).
type weightGrid [][]float64

func (g weightGrid) Dims() (c, r int)   { return len(g[0]), len(g) }
func (g weightGrid) Z(c, r int) float64 { return g[len(g)-1-r][c] }
func (g weightGrid) X(c int) float64    { return float64(c) }
func (g weightGrid) Y(r int) float64    { return float64(r) }

// nameTicks labels integer positions 0..len-1 (reversed: from the top).
type nameTicks struct {
	names    []string
	reversed bool
}

func (t nameTicks) Ticks(_, _ float64) []plot.Tick {
	var ts []plot.Tick
	for i, n := range t.names {
		v := float64(i)
		if t.reversed {
			v = float64(len(t.names) - 1 - i)
		}
		ts = append(ts, plot.Tick{Value: v, Label: n})
	}
	return ts
}

// PlotAlphas writes the final alpha softmax weights as one heat map per
// cell type (normal, reduce): rows are edges labelled "node <- input",
// columns ops, each cell printed with its weight, on a shared colour scale
// from 0 (white) to the largest weight (dark blue); the title gives the
// uniform weight 1/len(ops) for reference.
func PlotAlphas(path string, ops []string, nodes int, normal, reduce [][]float64) error {
	if len(normal) == 0 || len(normal) != NumEdges(nodes) || len(reduce) != len(normal) {
		return fmt.Errorf("search: alpha plot: %d/%d rows for %d nodes", len(normal), len(reduce), nodes)
	}
	hi := 0.0
	for _, m := range [][][]float64{normal, reduce} {
		for _, r := range m {
			for _, v := range r {
				hi = math.Max(hi, v)
			}
		}
	}
	cm := &whiteBlue{min: 0, max: hi}
	var plots []*plot.Plot
	for i, m := range [][][]float64{normal, reduce} {
		p := plot.New()
		p.Title.Text = []string{"normal cell", "reduction cell"}[i] + fmt.Sprintf(" (uniform = %.3f)", 1/float64(len(ops)))
		p.Add(plotter.NewHeatMap(weightGrid(m), cm.Palette(256)))
		var lab plotter.XYLabels
		for r, row := range m {
			for c, v := range row {
				lab.XYs = append(lab.XYs, plotter.XY{X: float64(c), Y: float64(len(m) - 1 - r)})
				lab.Labels = append(lab.Labels, fmt.Sprintf("%.2f", v))
			}
		}
		l, err := plotter.NewLabels(lab)
		if err != nil {
			return err
		}
		for k := range l.TextStyle {
			l.TextStyle[k].XAlign, l.TextStyle[k].YAlign = draw.XCenter, draw.YCenter
			l.TextStyle[k].Font.Size = vg.Points(7)
			if m[k/len(ops)][k%len(ops)] > hi/2 {
				l.TextStyle[k].Color = color.White
			}
		}
		p.Add(l)
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -0.5, float64(len(ops))-0.5, -0.5, float64(len(m))-0.5
		p.X.Tick.Marker = nameTicks{names: ops}
		p.Y.Tick.Marker = nameTicks{names: edgeLabels(nodes), reversed: true}
		p.X.Tick.Label.Rotation = math.Pi / 3
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
		plots = append(plots, p)
	}
	bar := plot.New()
	bar.Title.Text = "softmax weight"
	bar.HideX()
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	rowsH := vg.Length(len(normal))*0.3*vg.Inch + 2*vg.Inch
	w := 13 * vg.Inch
	img := vgimg.New(w, rowsH)
	dc := draw.New(img)
	plots[0].Draw(draw.Crop(dc, 0, -0.55*w, 0, 0))
	plots[1].Draw(draw.Crop(dc, 0.44*w, -0.11*w, 0, 0))
	bar.Draw(draw.Crop(dc, 0.9*w, 0, 0.8*vg.Inch, 0))
	return savePNG(img, path)
}

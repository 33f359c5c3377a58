package search

import (
	"bufio"
	"encoding/json"
	"fmt"
	"image/color"
	"os"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// AlphaStep is the alpha softmax of both cell types after a step (the
// "alphas" lines of search.jsonl).
type AlphaStep struct {
	Step   int         `json:"step"`
	Normal [][]float64 `json:"normal"`
	Reduce [][]float64 `json:"reduce"`
}

// ReadTrajectory reads the alpha snapshots and the warm-up length from a
// search.jsonl (the last run's schedule line wins on resume).
func ReadTrajectory(path string) (steps []AlphaStep, warmup int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		var line struct {
			Kind   string `json:"kind"`
			Warmup int    `json:"warmup_steps"`
			AlphaStep
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return nil, 0, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		switch line.Kind {
		case "schedule":
			warmup = line.Warmup
		case "alphas":
			steps = append(steps, line.AlphaStep)
		}
	}
	return steps, warmup, sc.Err()
}

var lineColors = []color.Color{
	color.RGBA{31, 119, 180, 255}, color.RGBA{255, 127, 14, 255}, color.RGBA{44, 160, 44, 255},
	color.RGBA{214, 39, 40, 255}, color.RGBA{148, 103, 189, 255}, color.RGBA{140, 86, 75, 255},
	color.RGBA{227, 119, 194, 255}, color.RGBA{127, 127, 127, 255}, color.RGBA{188, 189, 34, 255},
	color.RGBA{23, 190, 207, 255},
}

// PlotTrajectories writes the alpha trajectories over the search: one panel
// per cell type, one line per edge following the softmax weight of the op
// that edge ends with on top (legend "node <- input: op"), a dashed line at
// the uniform weight and a dotted one where the warm-up ends.
func PlotTrajectories(path string, ops []string, nodes int, steps []AlphaStep, warmup int) error {
	if len(steps) == 0 {
		return fmt.Errorf("search: trajectory plot: no alpha snapshots")
	}
	labels := edgeLabels(nodes)
	last := steps[len(steps)-1]
	w, h := 8*vg.Inch, 9*vg.Inch
	img := vgimg.New(w, h)
	dc := draw.New(img)
	for panel, get := range []func(AlphaStep) [][]float64{
		func(s AlphaStep) [][]float64 { return s.Normal }, func(s AlphaStep) [][]float64 { return s.Reduce }} {
		p := plot.New()
		p.Title.Text = []string{"normal cell", "reduction cell"}[panel] + ": softmax weight of each edge's final top op"
		p.X.Label.Text = "pair step"
		p.Y.Label.Text = "softmax weight"
		p.Y.Min = 0
		for e, row := range get(last) {
			if e >= len(labels) {
				return fmt.Errorf("search: trajectory plot: %d edges for %d nodes", len(get(last)), nodes)
			}
			k := slices.Index(row, slices.Max(row))
			pts := make(plotter.XYs, len(steps))
			for i, s := range steps {
				pts[i] = plotter.XY{X: float64(s.Step), Y: get(s)[e][k]}
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return err
			}
			l.Color, l.Width = lineColors[e%len(lineColors)], vg.Points(1.5)
			p.Add(l)
			p.Legend.Add(fmt.Sprintf("%s: %s", labels[e], ops[k]), l)
		}
		x0, x1 := float64(steps[0].Step), float64(last.Step)
		uni, _ := plotter.NewLine(plotter.XYs{{X: x0, Y: 1 / float64(len(ops))}, {X: x1, Y: 1 / float64(len(ops))}})
		uni.Dashes, uni.Color = []vg.Length{vg.Points(4), vg.Points(3)}, color.Gray{120}
		p.Add(uni)
		p.Legend.Add("uniform", uni)
		if warmup > 0 {
			wl, _ := plotter.NewLine(plotter.XYs{{X: float64(warmup), Y: 0}, {X: float64(warmup), Y: 1}})
			wl.Dashes, wl.Color = []vg.Length{vg.Points(1), vg.Points(2)}, color.Black
			p.Add(wl)
			p.Legend.Add("end of warm-up", wl)
		}
		p.Legend.Top, p.Legend.Left = true, true
		p.Add(plotter.NewGrid())
		top := vg.Length(panel) * h / 2
		p.Draw(draw.Crop(dc, 0, 0, h/2-top, -top))
	}
	return savePNG(img, path)
}

// savePNG writes a canvas as PNG.
func savePNG(img *vgimg.Canvas, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

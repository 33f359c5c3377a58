package search

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Node fill colours of DARTS's visualize.py.
var (
	inputFill  = color.RGBA{152, 251, 152, 255} // c_{k-2}, c_{k-1}: palegreen
	nodeFill   = color.RGBA{173, 216, 230, 255} // intermediate: lightblue
	outputFill = color.RGBA{255, 255, 153, 255} // c_{k}: yellow
)

// PlotGenotype draws the derived cells as graphs, as DARTS's visualize.py
// does: one panel per cell type, the inputs c_{k-2} and c_{k-1} on the
// left, intermediate nodes in order, the output c_{k} (the concat) on the
// right, each kept edge an arrow labelled with its op and softmax weight;
// the panel titles count the kept edges and those the zero op pruned.
func PlotGenotype(path string, g *Genotype) error {
	if err := g.Validate(); err != nil {
		return err
	}
	w := vg.Length(3+2.4*float64(g.Nodes)) * vg.Inch
	h := 6 * vg.Inch
	img := vgimg.New(w, h)
	dc := draw.New(img)
	dc.FillPolygon(color.White, []vg.Point{{X: 0, Y: 0}, {X: w, Y: 0}, {X: w, Y: h}, {X: 0, Y: h}})
	for panel, cell := range []CellSpec{g.Cells().Normal, g.Cells().Reduce} {
		top := h - vg.Length(panel)*h/2
		zero := 0
		for _, e := range [][]Edge{g.DroppedNormal, g.DroppedReduce}[panel] {
			if e.Dropped == DropZero {
				zero++
			}
		}
		title := fmt.Sprintf("%s: %d edges kept, %d pruned by the zero op", []string{"normal cell", "reduction cell"}[panel],
			len(cell.Edges), zero)
		drawCell(dc, cell, g.Nodes, 0, w, top-h/2, top, title)
	}
	return savePNG(img, path)
}

// drawCell draws one cell in the box [x0,x1]x[y0,y1].
func drawCell(dc draw.Canvas, cell CellSpec, nodes int, x0, x1, y0, y1 vg.Length, title string) {
	txt := draw.TextStyle{Color: color.Black, Font: font.From(plot.DefaultFont, 11), Handler: plot.DefaultTextHandler,
		XAlign: draw.XCenter, YAlign: draw.YCenter}
	small := txt
	small.Font.Size = 9
	head := txt
	head.Font.Size = 13
	dc.FillText(head, vg.Point{X: (x0 + x1) / 2, Y: y1 - 14}, title)
	cols := vg.Length(nodes + 2)
	dx := (x1 - x0) / cols
	mid := (y0 + y1 - 20) / 2
	pos := map[int]vg.Point{
		0: {X: x0 + dx/2, Y: mid + (y1-y0)/5},
		1: {X: x0 + dx/2, Y: mid - (y1-y0)/5},
	}
	for i := range nodes {
		off := (y1 - y0) / 7
		if i%2 == 1 {
			off = -off
		}
		pos[2+i] = vg.Point{X: x0 + dx*vg.Length(i+1) + dx/2, Y: mid + off}
	}
	out := vg.Point{X: x0 + dx*vg.Length(nodes+1) + dx/2, Y: mid}
	const bw, bh = 58, 22 // box half-size in points
	line := draw.LineStyle{Color: color.Black, Width: vg.Points(1)}
	grey := draw.LineStyle{Color: color.Gray{140}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
	for _, s := range cell.Concat {
		arrow(dc, grey, pos[s], out, bw/2, bh/2)
	}
	for _, e := range cell.Edges {
		a, b := pos[e.Input], pos[2+e.Node]
		arrow(dc, line, a, b, bw/2, bh/2)
		m := vg.Point{X: (a.X + b.X) / 2, Y: (a.Y + b.Y) / 2}
		label := e.Op
		if e.Weight > 0 {
			label = fmt.Sprintf("%s %.2f", e.Op, e.Weight)
		}
		lw := small.Width(label) + 4
		dc.FillPolygon(color.White, rect(m, lw/2, 6))
		dc.FillText(small, m, label)
	}
	live := map[int]bool{0: true, 1: true}
	for _, e := range cell.Edges {
		live[2+e.Node] = true
	}
	for s, p := range pos {
		if !live[s] {
			continue
		}
		fill := nodeFill
		if s < 2 {
			fill = inputFill
		}
		box(dc, p, fill, StateName(s), txt, bw/2, bh/2)
	}
	box(dc, out, outputFill, "c_{k}", txt, bw/2, bh/2)
}

func rect(c vg.Point, hw, hh vg.Length) []vg.Point {
	return []vg.Point{{X: c.X - hw, Y: c.Y - hh}, {X: c.X + hw, Y: c.Y - hh}, {X: c.X + hw, Y: c.Y + hh}, {X: c.X - hw, Y: c.Y + hh}}
}

func box(dc draw.Canvas, c vg.Point, fill color.Color, label string, txt draw.TextStyle, hw, hh vg.Length) {
	r := rect(c, hw, hh)
	dc.FillPolygon(fill, r)
	dc.StrokeLines(draw.LineStyle{Color: color.Black, Width: vg.Points(1)}, append(r, r[0]))
	dc.FillText(txt, c, label)
}

// arrow draws a line from box a to box b (half-sizes hw, hh) with a head.
func arrow(dc draw.Canvas, sty draw.LineStyle, a, b vg.Point, hw, hh vg.Length) {
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	n := math.Hypot(dx, dy)
	if n == 0 {
		return
	}
	ux, uy := dx/n, dy/n
	// leave each box at its border
	t := math.Min(float64(hw)/math.Max(math.Abs(ux), 1e-9), float64(hh)/math.Max(math.Abs(uy), 1e-9))
	s := vg.Point{X: a.X + vg.Length(ux*t), Y: a.Y + vg.Length(uy*t)}
	e := vg.Point{X: b.X - vg.Length(ux*t), Y: b.Y - vg.Length(uy*t)}
	dc.StrokeLines(sty, []vg.Point{s, e})
	const head = 7.0
	l := vg.Point{X: e.X - vg.Length(head*ux-head/2*uy), Y: e.Y - vg.Length(head*uy+head/2*ux)}
	r := vg.Point{X: e.X - vg.Length(head*ux+head/2*uy), Y: e.Y - vg.Length(head*uy-head/2*ux)}
	dc.FillPolygon(sty.Color, []vg.Point{e, l, r})
}

// plotAll writes alphas.png, genotype.png and alpha_trajectories.png.
func plotAll(dir string, g *Genotype, normal, reduce [][]float64, nodes int) error {
	if err := PlotAlphas(dir+"/alphas.png", g.Ops, nodes, normal, reduce); err != nil {
		return fmt.Errorf("alphas.png: %w", err)
	}
	if err := PlotGenotype(dir+"/genotype.png", g); err != nil {
		return fmt.Errorf("genotype.png: %w", err)
	}
	steps, warmup, err := ReadTrajectory(dir + "/search.jsonl")
	if err != nil {
		return err
	}
	if len(steps) > 0 {
		if err := PlotTrajectories(dir+"/alpha_trajectories.png", g.Ops, nodes, steps, warmup); err != nil {
			return fmt.Errorf("alpha_trajectories.png: %w", err)
		}
	}
	return nil
}

package search

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestPlots(t *testing.T) {
	dir := t.TempDir()
	a := alphaFor(OpNames, 3, map[[2]int]string{{0, 0}: OpSepConv3, {1, 2}: OpMaxPool3, {2, 3}: OpDilConv5}, OpZero)
	g, err := Derive(OpNames, 3, a, a, DefaultDeriveOptions())
	if err != nil {
		t.Fatal(err)
	}
	steps := []AlphaStep{{Step: 1, Normal: RowSoftmax(a), Reduce: RowSoftmax(a)}, {Step: 5, Normal: RowSoftmax(a), Reduce: RowSoftmax(a)}}
	cases := []struct {
		file string
		plot func(path string) error
		minW int
	}{
		{"alphas.png", func(p string) error { return PlotAlphas(p, OpNames, 3, RowSoftmax(a), RowSoftmax(a)) }, 600},
		{"genotype.png", func(p string) error { return PlotGenotype(p, g) }, 400},
		{"trajectories.png", func(p string) error { return PlotTrajectories(p, OpNames, 3, steps, 2) }, 400},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join(dir, c.file)
			if err := c.plot(path); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cfg, err := png.DecodeConfig(f)
			if err != nil || cfg.Width < c.minW {
				t.Errorf("%s: %v, %dx%d px", c.file, err, cfg.Width, cfg.Height)
			}
		})
	}
	if err := PlotAlphas(filepath.Join(dir, "x.png"), OpNames, 2, RowSoftmax(a), RowSoftmax(a)); err == nil {
		t.Error("alpha rows for 3 nodes plotted as 2: no error")
	}
	if err := PlotGenotype(filepath.Join(dir, "y.png"), &Genotype{Nodes: 1}); err == nil {
		t.Error("empty genotype: no error")
	}
}

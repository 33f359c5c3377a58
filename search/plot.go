package search

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
)

// PlotAlphas writes a PNG of alpha heatmaps over epochs: one row of panels
// per epoch snapshot, the normal cell on the left and the reduction cell on
// the right; in a panel, rows are edges (DARTS order) and columns ops
// (Genotype.Ops order); darker = larger softmax weight, scaled per panel
// from its smallest (white) to its largest (dark blue) weight so that early,
// near-uniform alphas still show their ranking.
func PlotAlphas(path string, hist []AlphaSnap) error {
	if len(hist) == 0 {
		return fmt.Errorf("search: no alpha snapshots to plot")
	}
	const cell, gap = 10, 6
	rows, cols := len(hist[0].Normal), len(hist[0].Normal[0])
	pw, ph := cols*cell, rows*cell
	img := image.NewRGBA(image.Rect(0, 0, 2*pw+3*gap, len(hist)*(ph+gap)+gap))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for e, snap := range hist {
		for p, m := range [][][]float64{snap.Normal, snap.Reduce} {
			x0, y0 := gap+p*(pw+gap), gap+e*(ph+gap)
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, row := range m {
				for _, v := range row {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
			for r, row := range m {
				for c, v := range row {
					f := 0.0
					if hi > lo {
						f = (v - lo) / (hi - lo)
					}
					shade := uint8(255 * (1 - f))
					col := color.RGBA{shade, shade, 255, 255}
					for y := 0; y < cell-1; y++ {
						for x := 0; x < cell-1; x++ {
							img.Set(x0+c*cell+x, y0+r*cell+y, col)
						}
					}
				}
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

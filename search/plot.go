package search

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
)

// PlotAlphas writes a PNG of alpha heatmaps over epochs: one row of panels
// per epoch snapshot, the normal cell on the left and the reduction cell on
// the right; in a panel, rows are edges (DARTS order) and columns ops
// (Genotype.Ops order); darker = larger softmax weight.
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
			for r, row := range m {
				for c, v := range row {
					shade := uint8(255 * (1 - min(max(v, 0), 1)))
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

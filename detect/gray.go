package detect

import (
	"image"
	"runtime"
	"sync"
)

// rowLuma writes the luma (BT.601, 0..255) of pixels x0..x1-1 of row y of img
// into dst[:x1-x0]. x and y are absolute image coordinates inside
// img.Bounds(). Alpha is ignored (frames are opaque).
func rowLuma(img image.Image, y, x0, x1 int, dst []uint8) {
	dst = dst[:x1-x0]
	switch m := img.(type) {
	case *image.RGBA:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := range dst {
			j := 4 * i
			dst[i] = luma8(p[j], p[j+1], p[j+2])
		}
	case *image.NRGBA:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := range dst {
			j := 4 * i
			dst[i] = luma8(p[j], p[j+1], p[j+2])
		}
	case *image.YCbCr:
		off := (y-m.Rect.Min.Y)*m.YStride + (x0 - m.Rect.Min.X)
		copy(dst, m.Y[off:off+len(dst)])
	case *image.Gray:
		copy(dst, m.Pix[m.PixOffset(x0, y):])
	default:
		for i := range dst {
			r, g, b, _ := img.At(x0+i, y).RGBA()
			dst[i] = luma8(uint8(r>>8), uint8(g>>8), uint8(b>>8))
		}
	}
}

// luma8 is the BT.601 luma of an 8-bit RGB triple, rounded.
func luma8(r, g, b uint8) uint8 {
	return uint8((19595*uint32(r) + 38470*uint32(g) + 7471*uint32(b) + 1<<15) >> 16)
}

// plane is a float32 image of w x h values, row-major.
type plane struct {
	w, h int
	v    []float32
}

func newPlane(w, h int) plane { return plane{w: w, h: h, v: make([]float32, w*h)} }

func (p plane) at(x, y int) float32 { return p.v[y*p.w+x] }

// downscaleLuma box-averages the luma of img by an integer factor f. Cells at
// the right and bottom edges average the pixels they have. Rows of cells are
// shared among up to GOMAXPROCS goroutines.
func downscaleLuma(img image.Image, f int) plane {
	b := img.Bounds()
	w := (b.Dx() + f - 1) / f
	h := (b.Dy() + f - 1) / f
	out := newPlane(w, h)
	workers := max(1, min(runtime.GOMAXPROCS(0), h, 8))
	var wg sync.WaitGroup
	for k := range workers {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			row := make([]uint8, b.Dx())
			acc := make([]uint32, w)
			for cy := k * h / workers; cy < (k+1)*h/workers; cy++ {
				clear(acc)
				y0 := b.Min.Y + cy*f
				y1 := min(y0+f, b.Max.Y)
				for y := y0; y < y1; y++ {
					rowLuma(img, y, b.Min.X, b.Max.X, row)
					for cx := range w {
						s := uint32(0)
						for _, v := range row[cx*f : min(cx*f+f, len(row))] {
							s += uint32(v)
						}
						acc[cx] += s
					}
				}
				rows := y1 - y0
				o := out.v[cy*w : cy*w+w]
				for cx := range w {
					n := min(f, b.Dx()-cx*f) * rows
					o[cx] = float32(acc[cx]) / float32(n)
				}
			}
		}(k)
	}
	wg.Wait()
	return out
}

package detect

import (
	"fmt"
	"image"
)

// ycc is one row of pixels as BT.601 full-range Y, Cb, Cr (as in JPEG).
type ycc struct{ y, cb, cr []uint8 }

func newYCC(n int) ycc { return ycc{make([]uint8, n), make([]uint8, n), make([]uint8, n)} }

func (r ycc) slice(i, j int) ycc { return ycc{r.y[i:j], r.cb[i:j], r.cr[i:j]} }

// rowYCC writes pixels x0..x1-1 of row y of img into dst. x and y are
// absolute image coordinates inside img.Bounds(). Alpha is ignored.
func rowYCC(img image.Image, y, x0, x1 int, dst ycc) {
	n := x1 - x0
	dy, dcb, dcr := dst.y[:n], dst.cb[:n], dst.cr[:n]
	switch m := img.(type) {
	case *image.RGBA:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := range n {
			dy[i], dcb[i], dcr[i] = rgbToYCC(p[4*i], p[4*i+1], p[4*i+2])
		}
	case *image.NRGBA:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := range n {
			dy[i], dcb[i], dcr[i] = rgbToYCC(p[4*i], p[4*i+1], p[4*i+2])
		}
	case *image.YCbCr:
		off := m.YOffset(x0, y)
		copy(dy, m.Y[off:off+n])
		for i := range n {
			c := m.COffset(x0+i, y)
			dcb[i], dcr[i] = m.Cb[c], m.Cr[c]
		}
	case *image.Gray:
		copy(dy, m.Pix[m.PixOffset(x0, y):])
		for i := range n {
			dcb[i], dcr[i] = 128, 128
		}
	default:
		for i := range n {
			r, g, b, _ := img.At(x0+i, y).RGBA()
			dy[i], dcb[i], dcr[i] = rgbToYCC(uint8(r>>8), uint8(g>>8), uint8(b>>8))
		}
	}
}

// rgbToYCC is the JPEG (BT.601 full range) conversion, as image/color's
// RGBToYCbCr, inlined for speed.
func rgbToYCC(r, g, b uint8) (uint8, uint8, uint8) {
	r1, g1, b1 := int32(r), int32(g), int32(b)
	yy := (19595*r1 + 38470*g1 + 7471*b1 + 1<<15) >> 16
	cb := -11056*r1 - 21712*g1 + 32768*b1 + 257<<15
	if uint32(cb)&0xff000000 == 0 {
		cb >>= 16
	} else {
		cb = ^(cb >> 31)
	}
	cr := 32768*r1 - 27440*g1 - 5328*b1 + 257<<15
	if uint32(cr)&0xff000000 == 0 {
		cr >>= 16
	} else {
		cr = ^(cr >> 31)
	}
	return uint8(yy), uint8(cb), uint8(cr)
}

// plane is a float32 image of w x h values, row-major.
type plane struct {
	w, h int
	v    []float32
}

func newPlane(w, h int) plane { return plane{w: w, h: h, v: make([]float32, w*h)} }

// atFrame returns the value of the working cell (f x f frame pixels from
// origin) that holds frame pixel (x, y); pixels past the last cell (a
// frame not a multiple of f) take the last one.
func (p plane) atFrame(x, y, f int, origin image.Point) float32 {
	return p.v[min((y-origin.Y)/f, p.h-1)*p.w+min((x-origin.X)/f, p.w-1)]
}

// downscaleYCC box-averages Y, Cb and Cr of img by an integer factor f.
// Cells at the right and bottom edges average the pixels they have. RGB
// images are averaged in RGB and converted per cell (the conversion is
// affine, so this equals averaging Y, Cb and Cr). Rows of cells are shared
// among the workers of inRows. A panic while reading pixels (a
// malformed image.Image, e.g. a Paletted image with a short palette) is
// returned as an error.
func downscaleYCC(img image.Image, f int) (py, pcb, pcr plane, err error) {
	b := img.Bounds()
	w := (b.Dx() + f - 1) / f
	h := (b.Dy() + f - 1) / f
	py, pcb, pcr = newPlane(w, h), newPlane(w, h), newPlane(w, h)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reading pixels: %v", r)
		}
	}()
	inRows(h, func(cy0, cy1 int) {
		a := newCellAccumulator(img, f, w)
		for cy := cy0; cy < cy1; cy++ {
			a.reset()
			y0 := b.Min.Y + cy*f
			y1 := min(y0+f, b.Max.Y)
			for y := y0; y < y1; y++ {
				a.addRow(y)
			}
			a.store(cy, y1-y0, py, pcb, pcr)
		}
	})
	return py, pcb, pcr, err
}

// cellAccumulator sums the pixels of one row of cells.
type cellAccumulator struct {
	img  image.Image
	f, w int
	rgb  bool        // sums are R, G, B (else Y, Cb, Cr)
	acc  [3][]uint32 // per cell
	row  ycc         // generic-path row buffer
}

func newCellAccumulator(img image.Image, f, w int) *cellAccumulator {
	a := &cellAccumulator{img: img, f: f, w: w}
	for c := range a.acc {
		a.acc[c] = make([]uint32, w)
	}
	switch img.(type) {
	case *image.RGBA, *image.NRGBA:
		a.rgb = true
	case *image.YCbCr, *image.Gray:
	default:
		a.row = newYCC(img.Bounds().Dx())
	}
	return a
}

func (a *cellAccumulator) reset() {
	for c := range a.acc {
		clear(a.acc[c])
	}
}

// addRow adds frame row y.
func (a *cellAccumulator) addRow(y int) {
	b := a.img.Bounds()
	f, n := a.f, b.Dx()
	switch m := a.img.(type) {
	case *image.RGBA:
		a.addInterleaved(m.Pix[m.PixOffset(b.Min.X, y):], n)
	case *image.NRGBA:
		a.addInterleaved(m.Pix[m.PixOffset(b.Min.X, y):], n)
	case *image.YCbCr:
		addPlaneRow(a.acc[0], m.Y[m.YOffset(b.Min.X, y):][:n], f)
		// Chroma: every pixel's sample, read along the subsampled row.
		c0 := m.COffset(b.Min.X, y)
		hs := 0
		switch m.SubsampleRatio {
		case image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420:
			hs = 1
		case image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410:
			hs = 2
		}
		x0 := b.Min.X >> hs
		cb, cr := m.Cb[c0:], m.Cr[c0:]
		full := a.w
		if n%f != 0 {
			full-- // the last cell is partial
		}
		if k := 1 << hs; f%k == 0 && b.Min.X%k == 0 {
			// Each chroma sample covers k whole pixels of a cell: sum f/k
			// samples and weight them by k.
			step := f / k
			for cx := range full {
				var sb, sr uint32
				for j := cx * step; j < cx*step+step; j++ {
					sb += uint32(cb[j])
					sr += uint32(cr[j])
				}
				a.acc[1][cx] += sb << hs
				a.acc[2][cx] += sr << hs
			}
		} else {
			full = 0
		}
		for cx := full; cx < a.w; cx++ {
			var sb, sr uint32
			for x := b.Min.X + cx*f; x < min(b.Min.X+cx*f+f, b.Max.X); x++ {
				j := x>>hs - x0
				sb += uint32(cb[j])
				sr += uint32(cr[j])
			}
			a.acc[1][cx] += sb
			a.acc[2][cx] += sr
		}
	case *image.Gray:
		addPlaneRow(a.acc[0], m.Pix[m.PixOffset(b.Min.X, y):][:n], f)
		for cx := range a.w {
			a.acc[1][cx] += 128 * uint32(min(f, n-cx*f))
			a.acc[2][cx] += 128 * uint32(min(f, n-cx*f))
		}
	default:
		rowYCC(a.img, y, b.Min.X, b.Max.X, a.row)
		addPlaneRow(a.acc[0], a.row.y, f)
		addPlaneRow(a.acc[1], a.row.cb, f)
		addPlaneRow(a.acc[2], a.row.cr, f)
	}
}

// addInterleaved adds n RGBA pixels to the R, G, B sums.
func (a *cellAccumulator) addInterleaved(p []uint8, n int) {
	f := a.f
	ar, ag, ab := a.acc[0], a.acc[1], a.acc[2]
	for cx := range a.w {
		var sr, sg, sb uint32
		end := min(cx*f+f, n)
		for j := 4 * cx * f; j < 4*end; j += 4 {
			sr += uint32(p[j])
			sg += uint32(p[j+1])
			sb += uint32(p[j+2])
		}
		ar[cx] += sr
		ag[cx] += sg
		ab[cx] += sb
	}
}

func addPlaneRow(acc []uint32, row []uint8, f int) {
	for cx := range acc {
		s := uint32(0)
		for _, v := range row[cx*f : min(cx*f+f, len(row))] {
			s += uint32(v)
		}
		acc[cx] += s
	}
}

// store writes the averages of cell row cy (rows frame rows tall).
func (a *cellAccumulator) store(cy, rows int, py, pcb, pcr plane) {
	n := a.img.Bounds().Dx()
	for cx := range a.w {
		cnt := float32(min(a.f, n-cx*a.f) * rows)
		v0, v1, v2 := float32(a.acc[0][cx])/cnt, float32(a.acc[1][cx])/cnt, float32(a.acc[2][cx])/cnt
		if a.rgb {
			v0, v1, v2 = 0.299*v0+0.587*v1+0.114*v2,
				128-0.168736*v0-0.331264*v1+0.5*v2,
				128+0.5*v0-0.418688*v1-0.081312*v2
		}
		i := cy*a.w + cx
		py.v[i], pcb.v[i], pcr.v[i] = v0, v1, v2
	}
}

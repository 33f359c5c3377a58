package detect

import (
	"fmt"
	"image"
	"math"
)

// Copies of a frame at another scale (for a card, cardscale.go): reduced
// by an integer factor's exact means (meanReduce) or by any factor over 1
// (areaReduce), enlarged by any factor over 1 (enlarge). Each is a YCbCr
// 4:4:4 image at the origin.

// meanReduce returns img reduced by k: each pixel the mean luma and
// chroma of a k x k block (downscaleYCC's cells, the last row and column
// taking what is left of the frame), at the origin.
func meanReduce(img image.Image, k int) (*image.YCbCr, error) {
	py, pcb, pcr, err := downscaleYCC(img, k)
	if err != nil {
		return nil, err
	}
	out := image.NewYCbCr(image.Rect(0, 0, py.w, py.h), image.YCbCrSubsampleRatio444)
	for i := range py.v {
		out.Y[i], out.Cb[i], out.Cr[i] = clampByte(py.v[i]), clampByte(pcb.v[i]), clampByte(pcr.v[i])
	}
	return out, nil
}

// enlarge returns img enlarged k > 1 times (round(k w) x round(k h)), at
// the origin: luma and chroma interpolated bilinearly between pixel
// centres (clamped at the borders).
func enlarge(img image.Image, k float64) (out *image.YCbCr, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("reading pixels: %v", r)
		}
	}()
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	W, H := int(math.Round(k*float64(w))), int(math.Round(k*float64(h)))
	out = image.NewYCbCr(image.Rect(0, 0, W, H), image.YCbCrSubsampleRatio444)
	// pos maps an enlarged pixel to the two source pixels it lies between
	// and the weight of the second.
	pos := func(o, n int) (int, int, float32) {
		f := max(0, (float32(o)+0.5)/float32(k)-0.5)
		i := min(int(f), n-1)
		return i, min(i+1, n-1), f - float32(i)
	}
	x0, x1, wx := make([]int, W), make([]int, W), make([]float32, W)
	for x := range W {
		x0[x], x1[x], wx[x] = pos(x, w)
	}
	r0, r1 := newYCC(w), newYCC(w)
	have0, have1 := -1, -1
	for y := range H {
		i0, i1, wy := pos(y, h)
		if i0 != have0 {
			if i0 == have1 {
				r0, r1, have0, have1 = r1, r0, have1, have0
			} else {
				rowYCC(img, b.Min.Y+i0, b.Min.X, b.Max.X, r0)
				have0 = i0
			}
		}
		if i1 != have1 {
			rowYCC(img, b.Min.Y+i1, b.Min.X, b.Max.X, r1)
			have1 = i1
		}
		at := func(r0, r1 []uint8, x int) uint8 {
			a := float32(r0[x0[x]]) + (float32(r0[x1[x]])-float32(r0[x0[x]]))*wx[x]
			c := float32(r1[x0[x]]) + (float32(r1[x1[x]])-float32(r1[x0[x]]))*wx[x]
			return clampByte(a + (c-a)*wy)
		}
		o := y * out.YStride
		for x := range W {
			out.Y[o+x], out.Cb[o+x], out.Cr[o+x] = at(r0.y, r1.y, x), at(r0.cb, r1.cb, x), at(r0.cr, r1.cr, x)
		}
	}
	return out, nil
}

// areaReduce returns img reduced by a factor r > 1 that need not be an
// integer, at the origin: each pixel the mean luma and chroma of the
// r x r square of the frame it covers, pixels cut by the square's sides
// counted by the share of them inside (the last row and column take what
// is left of the frame). At an integer r it is meanReduce.
func areaReduce(img image.Image, r float64) (out *image.YCbCr, err error) {
	defer func() {
		if e := recover(); e != nil {
			out, err = nil, fmt.Errorf("reading pixels: %v", e)
		}
	}()
	if !(r > 1) || math.IsInf(r, 0) {
		return nil, fmt.Errorf("reduction factor %v is not over 1", r)
	}
	b := img.Bounds()
	xs, w := shares(b.Dx(), r)
	ys, h := shares(b.Dy(), r)
	// Each output pixel's total weight: r x r inside, less at the last
	// row and column.
	colSum, rowSum := sums(xs, w), sums(ys, h)
	out = image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio444)
	src := newYCC(b.Dx())
	// One source row spread over the output's columns (one spare column
	// for the last pixel's empty second share), and the two output rows
	// a source row can reach.
	line := [3][]float32{make([]float32, w+1), make([]float32, w+1), make([]float32, w+1)}
	var acc [2][3][]float32
	for a := range acc {
		for c := range acc[a] {
			acc[a][c] = make([]float32, w+1)
		}
	}
	cur := 0 // the output row acc[0] holds
	flush := func() {
		o := cur * out.YStride
		for x := range w {
			n := rowSum[cur] * colSum[x]
			out.Y[o+x], out.Cb[o+x], out.Cr[o+x] = clampByte(acc[0][0][x]/n), clampByte(acc[0][1][x]/n), clampByte(acc[0][2][x]/n)
		}
		acc[0], acc[1] = acc[1], acc[0]
		for c := range acc[1] {
			clear(acc[1][c])
		}
		cur++
	}
	for y := range b.Dy() {
		rowYCC(img, b.Min.Y+y, b.Min.X, b.Max.X, src)
		for c := range line {
			clear(line[c])
		}
		for i, s := range xs {
			ly, lb, lr := float32(src.y[i]), float32(src.cb[i]), float32(src.cr[i])
			line[0][s.at] += s.w * ly
			line[0][s.at+1] += (1 - s.w) * ly
			line[1][s.at] += s.w * lb
			line[1][s.at+1] += (1 - s.w) * lb
			line[2][s.at] += s.w * lr
			line[2][s.at+1] += (1 - s.w) * lr
		}
		s := ys[y]
		for s.at > cur {
			flush()
		}
		for c := range line {
			a0, a1 := acc[0][c], acc[1][c]
			for x, v := range line[c][:w] {
				a0[x] += s.w * v
				a1[x] += (1 - s.w) * v
			}
		}
	}
	for cur < h {
		flush()
	}
	return out, nil
}

// share is where one source pixel goes when a line is reduced: the
// share w of it in output pixel at, the rest in at+1 (r >= 1: a pixel
// meets at most two output pixels).
type share struct {
	at int
	w  float32
}

// shares returns the share of each of a line's n pixels reduced by r
// (output pixel k covers [k r, (k+1) r)), and the output's length: the
// last output pixel takes what is left of the line.
func shares(n int, r float64) ([]share, int) {
	m := max(1, int(math.Ceil(float64(n)/r-1e-9)))
	ss := make([]share, n)
	for i := range ss {
		k := min(int(float64(i)/r), m-1)
		end := float64(k+1) * r // where output pixel k ends
		w := float32(1)
		if k+1 < m && end < float64(i+1) {
			w = float32(end - float64(i))
		}
		ss[i] = share{k, w}
	}
	return ss, m
}

// sums returns each output pixel's total share.
func sums(ss []share, m int) []float32 {
	t := make([]float32, m+1)
	for _, s := range ss {
		t[s.at] += s.w
		t[s.at+1] += 1 - s.w
	}
	return t[:m]
}

package detect

import "math"

// trendRounds and trendDrop: lightTrend fits trendRounds times, each time
// to the cells at most trendDrop (a fraction) darker than the last fit.
const (
	trendRounds = 4
	trendDrop   = 0.06
)

// lightTrend returns the light's trend over a gw x gh grid of background
// levels: the quadratic surface a + bx + cy + dx^2 + exy + fy^2 fitted by
// least squares, first to the cells at least 1-trendDrop of the grid's
// median, then trendRounds-1 times more to those at least 1-trendDrop of
// the last fit (so blocks covered by specimens, a card's dark surround or
// a shadow drop out), floored at 1. A quadratic follows a lens's
// vignetting and a lamp's fall-off across the frame, not a crease or a
// specimen. With fewer than 12 cells to fit, or a singular fit, the trend
// is the last one (at first, flat at the median).
func lightTrend(grid []float32, gw, gh int) []float32 {
	n := gw * gh
	basis := make([][6]float64, n) // the surface's terms at each cell
	for i := range basis {
		x := 2*(float64(i%gw)+0.5)/float64(gw) - 1
		y := 2*(float64(i/gw)+0.5)/float64(gh) - 1
		basis[i] = [6]float64{1, x, y, x * x, x * y, y * y}
	}
	vals := make([]float32, n)
	copy(vals, grid)
	med := selectK(vals, n/2)
	fit := vals // reused: the median's rank is taken
	for i := range fit {
		fit[i] = med
	}
	for range trendRounds {
		var ata [6][6]float64
		var atb [6]float64
		used := 0
		for i, b := range basis {
			if grid[i] < (1-trendDrop)*fit[i] {
				continue
			}
			used++
			for r := range 6 {
				atb[r] += b[r] * float64(grid[i])
				for c := range 6 {
					ata[r][c] += b[r] * b[c]
				}
			}
		}
		coef, ok := solve6(ata, atb)
		if !ok || used < 12 {
			break
		}
		for i, b := range basis {
			v := 0.0
			for r := range 6 {
				v += coef[r] * b[r]
			}
			fit[i] = float32(max(1, v))
		}
	}
	return fit
}

// solve6 solves the 6x6 linear system a x = b by Gaussian elimination with
// partial pivoting; ok is false when a is (nearly) singular.
func solve6(a [6][6]float64, b [6]float64) (x [6]float64, ok bool) {
	for c := range 6 {
		p := c
		for r := c + 1; r < 6; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-9 {
			return x, false
		}
		a[c], a[p] = a[p], a[c]
		b[c], b[p] = b[p], b[c]
		for r := c + 1; r < 6; r++ {
			k := a[r][c] / a[c][c]
			for j := c; j < 6; j++ {
				a[r][j] -= k * a[c][j]
			}
			b[r] -= k * b[c]
		}
	}
	for r := 5; r >= 0; r-- {
		v := b[r]
		for j := r + 1; j < 6; j++ {
			v -= a[r][j] * x[j]
		}
		x[r] = v / a[r][r]
	}
	return x, true
}

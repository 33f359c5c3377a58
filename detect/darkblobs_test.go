package detect

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// floodBlobs is the flood fill darkBlobs replaces in gridOfSquares: a
// 4-connected fill from each unseen pixel of a raster scan.
func floodBlobs(m []bool, w, h int) []darkBlob {
	seen := make([]bool, w*h)
	var blobs []darkBlob
	var stack []int
	for i := range m {
		if seen[i] || !m[i] {
			continue
		}
		b := darkBlob{x0: w, y0: h}
		seen[i] = true
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			k := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := k%w, k/w
			b.n++
			b.x0, b.y0, b.x1, b.y1 = min(b.x0, x), min(b.y0, y), max(b.x1, x+1), max(b.y1, y+1)
			for _, q := range [4]int{k - 1, k + 1, k - w, k + w} {
				if q < 0 || q >= w*h || (q == k-1 && x == 0) || (q == k+1 && x == w-1) {
					continue
				}
				if !seen[q] && m[q] {
					seen[q] = true
					stack = append(stack, q)
				}
			}
		}
		blobs = append(blobs, b)
	}
	return blobs
}

// darkBlobs finds the flood fill's blobs, in its order, on random masks of
// every density (U and spiral shapes joined late, single pixels, full
// rows, blobs touching the borders) and on a checkerboard.
func TestDarkBlobsAsFloodFill(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 400 {
		w, h := 2+rng.IntN(40), 1+rng.IntN(40) // the flood fill joins nothing vertically at w = 1
		p := rng.Float64()
		m := make([]bool, w*h)
		for i := range m {
			m[i] = rng.Float64() < p
		}
		if got, want := darkBlobs(m, w, h), floodBlobs(m, w, h); !slices.Equal(got, want) {
			t.Fatalf("trial %d (%dx%d, density %.2f): %v, want %v", trial, w, h, p, got, want)
		}
	}
	// A U opened at the top joins two runs of its first row at its
	// bottom; a checkerboard's squares meet only at corners (apart, in 4
	// connectivity).
	u := []string{
		"#..#.##",
		"#..#..#",
		"####.##",
		"......#",
	}
	board := []string{
		"##..##..",
		"##..##..",
		"..##..##",
		"..##..##",
	}
	for _, rows := range [][]string{u, board} {
		w, h := len(rows[0]), len(rows)
		m := make([]bool, w*h)
		for y, r := range rows {
			for x, c := range r {
				m[y*w+x] = c == '#'
			}
		}
		if got, want := darkBlobs(m, w, h), floodBlobs(m, w, h); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", rows, got, want)
		}
	}
}

func BenchmarkDarkBlobs(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	w, h := 300, 200
	m := make([]bool, w*h)
	// A moth's dark mask: a large ellipse with light spots and a few
	// specks about it.
	for y := range h {
		for x := range w {
			dx, dy := float64(x-150)/120, float64(y-100)/70
			m[y*w+x] = dx*dx+dy*dy < 1 && rng.Float64() < 0.97 || rng.Float64() < 0.01
		}
	}
	b.Run("runs", func(b *testing.B) {
		for b.Loop() {
			darkBlobs(m, w, h)
		}
	})
	b.Run("flood", func(b *testing.B) {
		for b.Loop() {
			floodBlobs(m, w, h)
		}
	})
}

package detect

import (
	"image"
	"image/color"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// TestInRows checks that inRows hands every row to exactly one worker for
// any number of rows and workers.
func TestInRows(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 3, 8, 12} {
		runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, 100, 1001} {
			for name, run := range map[string]func(int, func(int, int)){"inRows": inRows, "inBlocks": inBlocks} {
				seen := make([]int32, n)
				run(n, func(lo, hi int) {
					for y := lo; y < hi; y++ {
						seen[y]++ // rows are the worker's own: no race
					}
				})
				for y, c := range seen {
					if c != 1 {
						t.Fatalf("GOMAXPROCS %d, %s(%d): row %d run %d times", procs, name, n, y, c)
					}
				}
			}
		}
	}
}

// TestInRowsRaisesWorkerPanic: a panic in any worker reaches the caller
// (where Analyze recovers it) instead of ending the process.
func TestInRowsRaisesWorkerPanic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(4)
	for _, bad := range []int{0, 99} { // the caller's rows, another worker's
		func() {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(r.(string), "index out of range [7]") {
					t.Errorf("row %d: recovered %v, want the worker's panic", bad, r)
				}
			}()
			inRows(100, func(lo, hi int) {
				if lo <= bad && bad < hi {
					var s []int
					_ = s[7]
				}
			})
		}()
	}
}

// TestDetectSameOnAnyWorkers runs Detect on a sheet and on a card (as
// photographed and at twice the scale, searched reduced) on one goroutine
// and on several: the stages that split their rows among workers must give
// every specimen exactly as one goroutine does.
func TestDetectSameOnAnyWorkers(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	card, paint, r := cardOnCloth(1400, 1000)
	for range 40 {
		x, y := r.Min.X+20+rng.IntN(r.Dx()-40), r.Min.Y+20+rng.IntN(r.Dy()-40)
		paint(float64(x), float64(y), 5, 3, color.RGBA{235, 235, 225, 255})
	}
	paint(700, 500, 40, 16, color.RGBA{70, 60, 30, 255})
	sheet := image.NewRGBA(image.Rect(0, 0, 1600, 900))
	for y := range 900 {
		for x := range 1600 {
			v := uint8(200 + 30*x/1600 + rng.IntN(9))
			sheet.SetRGBA(x, y, color.RGBA{v, v, v - 6, 255})
		}
	}
	for k := range 12 {
		drawEllipse(sheet, 100+float64(k)*120, 200+float64(k%4)*150, 30, 12, color.RGBA{90, 70, 50, 255})
	}
	cases := []struct {
		name string
		img  image.Image
		ppm  float64
	}{
		{"sheet", jpegRoundTrip(t, sheet, 90), 10},
		{"card", jpegRoundTrip(t, card, 85), 8},
		{"card at 16 px/mm", jpegRoundTrip(t, card, 85), 16},
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, tc := range cases {
		var runs [][]Specimen
		for _, procs := range []int{1, 2, 5} {
			runtime.GOMAXPROCS(procs)
			got, err := Detect(tc.img, DefaultOptions(tc.ppm))
			if err != nil {
				t.Fatal(err)
			}
			runs = append(runs, got)
		}
		if len(runs[0]) < 5 {
			t.Errorf("%s: %d specimens, want the drawn ones", tc.name, len(runs[0]))
		}
		for i, got := range runs[1:] {
			if !reflect.DeepEqual(got, runs[0]) {
				t.Errorf("%s: %d specimens with several workers (run %d), %d on one goroutine, or the same ones measured differently", tc.name, len(got), i+1, len(runs[0]))
			}
		}
	}
}

// drawEllipse paints a filled, anti-aliased ellipse of colour c.
func drawEllipse(img *image.RGBA, cx, cy, a, b float64, c color.RGBA) {
	for y := int(cy - b - 2); y <= int(cy+b+2); y++ {
		for x := int(cx - a - 2); x <= int(cx+a+2); x++ {
			dx, dy := (float64(x)+0.5-cx)/a, (float64(y)+0.5-cy)/b
			k := min(1, max(0, (1-(dx*dx+dy*dy))*min(a, b)/2+0.5))
			if k == 0 || !image.Pt(x, y).In(img.Rect) {
				continue
			}
			o := img.RGBAAt(x, y)
			mix := func(p, q uint8) uint8 { return uint8(float64(p)*(1-k) + float64(q)*k + 0.5) }
			img.SetRGBA(x, y, color.RGBA{mix(o.R, c.R), mix(o.G, c.G), mix(o.B, c.B), 255})
		}
	}
}

package raster

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// coverage sums the alpha drawn onto a transparent image, in pixels.
func coverage(img *image.RGBA) float64 {
	s := 0.0
	for i := 3; i < len(img.Pix); i += 4 {
		s += float64(img.Pix[i]) / 255
	}
	return s
}

func TestFillCoverage(t *testing.T) {
	cases := []struct {
		name string
		poly []Pt
		want float64 // covered pixels
	}{
		{"inside square", []Pt{{2, 2}, {12, 2}, {12, 12}, {2, 12}}, 100},
		{"half-pixel square", []Pt{{2.5, 2.5}, {6.5, 2.5}, {6.5, 6.5}, {2.5, 6.5}}, 16},
		{"clipped left/top", []Pt{{-10, -10}, {5, -10}, {5, 5}, {-10, 5}}, 25},
		{"clipped right/bottom", []Pt{{15, 15}, {40, 15}, {40, 40}, {15, 40}}, 25},
		{"fully outside", []Pt{{30, 30}, {40, 30}, {40, 40}}, 0},
		{"huge", []Pt{{-1e6, -1e6}, {1e6, -1e6}, {1e6, 1e6}, {-1e6, 1e6}}, 400},
		{"triangle", []Pt{{0, 0}, {20, 0}, {0, 20}}, 200},
		{"degenerate line", []Pt{{1, 1}, {10, 10}, {5, 5}}, 0},
		{"NaN vertex", []Pt{{1, 1}, {math.NaN(), 5}, {5, 5}}, 0},
		{"infinite vertex", []Pt{{1, 1}, {math.Inf(1), 5}, {5, 5}}, 0},
		{"two points", []Pt{{1, 1}, {5, 5}}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := image.NewRGBA(image.Rect(0, 0, 20, 20))
			NewCanvas(img).Fill(c.poly, color.NRGBA{0, 0, 0, 255})
			if got := coverage(img); math.Abs(got-c.want) > 0.02*c.want+1 {
				t.Fatalf("covered %.1f pixels, want %.1f", got, c.want)
			}
		})
	}
}

func TestClipHalf(t *testing.T) {
	square := []Pt{{0, 0}, {10, 0}, {10, 10}, {0, 10}}
	area := func(p []Pt) float64 {
		a := 0.0
		for i := range p {
			q := p[(i+1)%len(p)]
			a += p[i].X*q.Y - q.X*p[i].Y
		}
		return math.Abs(a) / 2
	}
	cases := []struct {
		name      string
		nx, ny, k float64
		want      float64
	}{
		{"keep x >= 4", 1, 0, -4, 60},
		{"keep x <= 4", -1, 0, 4, 40},
		{"keep y >= 0 (all)", 0, 1, 0, 100},
		{"keep y >= 20 (none)", 0, 1, -20, 0},
		{"diagonal x + y <= 10", -1, -1, 10, 50},
	}
	for _, c := range cases {
		var buf []Pt
		got := ClipHalf(append([]Pt(nil), square...), &buf, c.nx, c.ny, c.k)
		if a := area(got); math.Abs(a-c.want) > 1e-9 {
			t.Errorf("%s: area %.3f, want %.3f", c.name, a, c.want)
		}
	}
}

func TestExtent(t *testing.T) {
	for _, img := range []*image.RGBA{nil, image.NewRGBA(image.Rect(0, 0, 8, 8))} {
		c := NewCanvas(img)
		c.Fill([]Pt{{X: 1, Y: 1}, {X: 2, Y: 1}, {X: 2, Y: 2}}, color.NRGBA{A: 255})
		if got := c.PixelExtent(); !got.Empty() {
			t.Fatalf("untracked extent %v, want empty", got)
		}
		c.TrackExtent()
		c.Fill([]Pt{{X: -3.5, Y: 2.25}, {X: 20.5, Y: 2.25}, {X: 4, Y: 9.75}}, color.NRGBA{A: 255})
		c.Fill([]Pt{{X: 0, Y: 0}, {X: 1, Y: 0}}, color.NRGBA{A: 255}) // not a polygon: ignored
		if x0, y0, x1, y1 := c.Extent(); x0 != -3.5 || y0 != 2.25 || x1 != 20.5 || y1 != 9.75 {
			t.Errorf("extent %v %v %v %v", x0, y0, x1, y1)
		}
		if got, want := c.PixelExtent(), image.Rect(-4, 2, 21, 10); got != want {
			t.Errorf("pixel extent %v, want %v", got, want)
		}
	}
}

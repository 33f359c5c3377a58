package detect

import (
	"image"
	"math"
	"testing"
)

func TestThickness(t *testing.T) {
	tests := []struct {
		name string
		rows []string // '#' = reached pixel
		want float64
	}{
		{"single pixel", []string{"#"}, 1},
		{"1-px line", []string{"########"}, 1},
		{"2-px band", []string{"######", "######"}, 1},
		{"3-px band", []string{"######", "######", "######"}, 3},
		{"diagonal line", []string{"#...", ".#..", "..#.", "...#"}, 1},
		{"5x5 square with a leg", []string{"#####.....", "##########", "#####.....", "#####.....", "#####....."}, 5},
		{"empty", []string{"...."}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rw := len(tc.rows[0])
			state := make([]uint8, rw*len(tc.rows))
			box := image.Rectangle{Min: image.Pt(rw, len(tc.rows))}
			for y, r := range tc.rows {
				for x, c := range r {
					if c == '#' {
						state[y*rw+x] = 2
						box = box.Union(image.Rect(x, y, x+1, y+1))
					}
				}
			}
			if box.Empty() {
				box = image.Rectangle{}
			}
			if got := thickness(state, rw, box); got != tc.want {
				t.Errorf("thickness = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestHullArea(t *testing.T) {
	tests := []struct {
		name  string
		spans []span
		want  float64
	}{
		{"one pixel", []span{{0, 0, 0}}, 1},
		{"3x2 block", []span{{0, 0, 2}, {1, 0, 2}}, 6},
		{"L shape", []span{{0, 0, 0}, {1, 0, 1}}, 3.5},
		{"none", nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := hullArea(tc.spans); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("hullArea = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDeviation(t *testing.T) {
	ycc := func(r, g, b uint8) (float32, float32, float32) {
		y, cb, cr := rgbToYCC(r, g, b)
		return float32(y), float32(cb), float32(cr)
	}
	cardY, cardCb, cardCr := ycc(236, 214, 52)
	kb, kr := (cardCb-128)/cardY, (cardCr-128)/cardY
	tests := []struct {
		name    string
		r, g, b uint8
		fg      bool // above the default weak threshold
	}{
		{"card itself", 236, 214, 52, false},
		{"card in 10% shadow", 212, 193, 47, false},
		{"whitish wing on the card", 246, 240, 170, true},
		{"dark body", 60, 50, 40, true},
		{"green leg", 40, 80, 30, true},
		{"yellow stripe like the card", 232, 210, 56, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			y, cb, cr := ycc(tc.r, tc.g, tc.b)
			d := flatTint(kb, kr).deviation(0, y, cb, cr, cardY)
			if (d > 0.15) != tc.fg {
				t.Errorf("deviation %.3f, want foreground=%v", d, tc.fg)
			}
		})
	}
	if d := flatTint(0, 0).deviation(0, 100, 128, 128, 0); d != 0 {
		t.Errorf("zero background: deviation %v, want 0", d)
	}
}

package detect

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"sync"
	"testing"
)

func boxesOf(ss []Specimen) []image.Rectangle {
	out := make([]image.Rectangle, len(ss))
	for i, s := range ss {
		out[i] = s.Box
	}
	return out
}

func TestDetectSyntheticFrames(t *testing.T) {
	tests := []struct {
		name string
		spec frameSpec
	}{
		{"white sheet", frameSpec{w: 2048, h: 1080, ppm: 5, specimens: 20, debris: 60, noise: 4, seed: 1}},
		// Searched enlarged to 8 px/mm (cardscale.go): the fill also takes
		// the interpolation's blur, up to 1.25 of the drawn area by pixel
		// count (1.00 searched as it is).
		{"yellow card", frameSpec{w: 2048, h: 1080, ppm: 5, specimens: 20, debris: 60, noise: 4, yellow: true, seed: 2}},
		{"noisy sheet", frameSpec{w: 2048, h: 1080, ppm: 5, specimens: 15, debris: 100, noise: 9, seed: 3}},
		{"large moths", frameSpec{w: 2048, h: 1080, ppm: 5, specimens: 6, debris: 40, noise: 4, minMM: 25, maxMM: 45, seed: 5}},
		{"tiny flies", frameSpec{w: 2048, h: 1080, ppm: 5, specimens: 30, debris: 60, noise: 4, minMM: 1.2, maxMM: 3, seed: 6}},
		{"small frame", frameSpec{w: 800, h: 600, ppm: 6, specimens: 6, debris: 20, noise: 4, seed: 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := makeFrame(tc.spec)
			got, err := Detect(f.img, DefaultOptions(f.ppm))
			if err != nil {
				t.Fatal(err)
			}
			rec, prec, pairs := matchScore(f.boxes, boxesOf(got), realMatchIoU)
			t.Logf("%d specimens, %d detections: recall %.3f precision %.3f", len(f.boxes), len(got), rec, prec)
			if rec < 0.9 || prec < 0.9 {
				for gi, g := range f.boxes {
					if _, ok := pairs[gi]; !ok {
						t.Logf("missed gt %v", g)
					}
				}
				t.Errorf("recall %.3f precision %.3f, want both >= 0.9", rec, prec)
			}
			// Measured area of body+wings should be within 30% of the drawn area.
			for gi, di := range pairs {
				s := got[di]
				if r := s.AreaPx / f.areas[gi]; r < 0.7 || r > 1.3 {
					t.Errorf("specimen %v: area %.0f px, drawn %.0f px", s.Box, s.AreaPx, f.areas[gi])
				}
				if math.Abs(s.AreaMM2-s.AreaPx/(f.ppm*f.ppm)) > 1e-9 {
					t.Errorf("AreaMM2 %v inconsistent with AreaPx %v", s.AreaMM2, s.AreaPx)
				}
			}
		})
	}
}

func TestDetectBlankAndBadInput(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 300, 200))
	for i := range blank.Pix {
		blank.Pix[i] = 230
	}
	tests := []struct {
		name    string
		img     image.Image
		opts    Options
		wantErr bool
	}{
		{"blank sheet", blank, DefaultOptions(5), false},
		{"nil image", nil, DefaultOptions(5), true},
		{"empty image", image.NewRGBA(image.Rectangle{}), DefaultOptions(5), true},
		{"tiny image", image.NewRGBA(image.Rect(0, 0, 8, 8)), DefaultOptions(5), true},
		{"black frame", image.NewGray(image.Rect(0, 0, 300, 200)), DefaultOptions(5), false},
		{"paletted frame", image.NewPaletted(image.Rect(0, 0, 300, 200), color.Palette{color.White}), DefaultOptions(5), false},
		{"paletted, empty palette", image.NewPaletted(image.Rect(0, 0, 300, 200), nil), DefaultOptions(5), true},
		{"no scale", blank, Options{}, true},
		{"bad thresholds", blank, Options{PixelsPerMM: 5, WeakThreshold: 0.5, StrongThreshold: 0.2}, true},
		{"grow above weak", blank, Options{PixelsPerMM: 5, WeakThreshold: 0.1, StrongThreshold: 0.2, GrowThreshold: 0.15}, true},
		{"min above max", blank, Options{PixelsPerMM: 5, WeakThreshold: 0.1, StrongThreshold: 0.2, MinAreaMM2: 5, MaxAreaMM2: 1}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Detect(tc.img, tc.opts)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if len(got) != 0 {
				t.Errorf("got %d specimens on a featureless frame", len(got))
			}
		})
	}
}

// TestDetectMeasurement checks length, width and orientation on a single
// drawn ellipse of known size, with a non-zero image origin.
func TestDetectMeasurement(t *testing.T) {
	const ppm = 4.0
	img := image.NewGray(image.Rect(100, 50, 700, 450))
	L, W := 40.0, 16.0 // pixels: 10 mm x 4 mm
	cx, cy, ang := 400.0, 250.0, math.Pi/6
	for y := 50; y < 450; y++ {
		for x := 100; x < 700; x++ {
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			u := dx*math.Cos(ang) + dy*math.Sin(ang)
			v := -dx*math.Sin(ang) + dy*math.Cos(ang)
			g := uint8(220)
			if (u/(L/2))*(u/(L/2))+(v/(W/2))*(v/(W/2)) <= 1 {
				g = 40
			}
			img.SetGray(x, y, colorGray(g))
		}
	}
	got, err := Detect(img, DefaultOptions(ppm))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d specimens, want 1", len(got))
	}
	s := got[0]
	checks := []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"LengthMM", s.LengthMM, 10, 0.4},
		{"WidthMM", s.WidthMM, 4, 0.4},
		{"AreaMM2", s.AreaMM2, math.Pi * 5 * 2, 1.5},
		{"CenterX", s.CenterX, cx, 1},
		{"CenterY", s.CenterY, cy, 1},
		{"Orientation", s.Orientation, ang, 0.05},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > c.tol {
			t.Errorf("%s = %.3f, want %.3f ± %.2f", c.name, c.got, c.want, c.tol)
		}
	}
	if s.Solidity < 0.8 || s.Solidity > 1 {
		t.Errorf("Solidity = %.3f, want an ellipse's ~0.9", s.Solidity)
	}
	if s.TouchesEdge {
		t.Error("TouchesEdge set for a centred specimen")
	}
}

func colorGray(v uint8) color.Gray { return color.Gray{Y: v} }

// TestDetectNoiseFrames feeds pure noise and odd sizes: Detect must not
// panic and may find at most maxSpurious blobs per frame (the detector of
// 2026-12-04 finds 1 on the 16x16 frame and none on the others).
func TestDetectNoiseFrames(t *testing.T) {
	const maxSpurious = 2
	sizes := []image.Rectangle{
		image.Rect(0, 0, 16, 16),
		image.Rect(0, 0, 1031, 17),
		image.Rect(-40, -30, 217, 333),
		image.Rect(0, 0, 2049, 65),
	}
	for _, r := range sizes {
		t.Run(r.String(), func(t *testing.T) {
			img := image.NewRGBA(r)
			seed := uint32(r.Dx()*7919 + r.Dy())
			for i := range img.Pix {
				seed = seed*1664525 + 1013904223
				img.Pix[i] = uint8(seed >> 24)
			}
			dets, err := Detect(img, DefaultOptions(3))
			if err != nil {
				t.Fatal(err)
			}
			if len(dets) > maxSpurious {
				t.Errorf("%d blobs in pure noise, want at most %d: %v", len(dets), maxSpurious, dets)
			}
		})
	}
}

// TestDetectWaspOnYellowCard draws a wasp whose abdomen has card-coloured
// stripes and whose wings are whitish: luma alone splits it into pieces,
// the chroma deviation must keep it one specimen with the wings inside.
// The head and the wings join a thorax, as on a real wasp. (Drawn with
// neither, the head touched only a 2 px sliver of the abdomen's first band
// and was cut off from the rest by a yellow band: it was dropped as a
// fastener, which the box's IoU of 0.87 hid, and since fasteners must be 4
// mm across it is reported as a compact piece of its own.)
func TestDetectWaspOnYellowCard(t *testing.T) {
	const ppm = 10.0
	img := image.NewRGBA(image.Rect(0, 0, 600, 400))
	card := color.RGBA{236, 214, 52, 255}
	for y := range 400 {
		for x := range 600 {
			img.SetRGBA(x, y, card)
		}
	}
	inEllipse := func(x, y, cx, cy, a, b float64) bool {
		dx, dy := (x-cx)/a, (y-cy)/b
		return dx*dx+dy*dy <= 1
	}
	want := image.Rectangle{Min: image.Pt(600, 400)}
	for y := range 400 {
		for x := range 600 {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			var c color.RGBA
			switch {
			case inEllipse(fx, fy, 250, 200, 12, 12), inEllipse(fx, fy, 268, 200, 16, 14): // head, thorax
				c = color.RGBA{50, 30, 20, 255}
			case inEllipse(fx, fy, 320, 200, 60, 22): // abdomen: 1 mm brown, 0.8 mm yellow bands
				c = card
				if int(fx)%18 < 10 {
					c = color.RGBA{150, 90, 20, 255}
				}
			case inEllipse(fx, fy, 300, 174, 45, 18), inEllipse(fx, fy, 300, 226, 45, 18): // wings, from the thorax
				c = color.RGBA{246, 240, 170, 255}
			default:
				continue
			}
			img.SetRGBA(x, y, c)
			want = want.Union(image.Rect(x, y, x+1, y+1))
		}
	}
	got, err := Detect(img, DefaultOptions(ppm))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d specimens (%v), want 1", len(got), boxesOf(got))
	}
	if iou := IoU(got[0].Box, want); iou < 0.8 {
		t.Errorf("box %v, drawn extent %v: IoU %.2f, want >= 0.8", got[0].Box, want, iou)
	}
}

// TestDetectWorkSizes checks that the working resolution is a speed knob,
// not a correctness one.
func TestDetectWorkSizes(t *testing.T) {
	f := makeFrame(frameSpec{w: 2048, h: 1080, ppm: 6, specimens: 15, debris: 40, noise: 4, seed: 8})
	for _, ws := range []int{256, 512, 1024, 2048} {
		t.Run(fmt.Sprint(ws), func(t *testing.T) {
			o := DefaultOptions(f.ppm)
			o.WorkSize = ws
			got, err := Detect(f.img, o)
			if err != nil {
				t.Fatal(err)
			}
			rec, prec, _ := matchScore(f.boxes, boxesOf(got), realMatchIoU)
			if rec < 0.9 || prec < 0.9 {
				t.Errorf("WorkSize %d: recall %.3f precision %.3f, want both >= 0.9", ws, rec, prec)
			}
		})
	}
}

// secondReadPanics is an image whose At panics when pixel p is read a
// second time: the full-resolution refinement (run on several goroutines)
// reads it after the reduction did.
type secondReadPanics struct {
	*image.RGBA
	p     image.Point
	mu    sync.Mutex
	reads int
}

func (m *secondReadPanics) At(x, y int) color.Color {
	if x == m.p.X && y == m.p.Y {
		m.mu.Lock()
		m.reads++
		n := m.reads
		m.mu.Unlock()
		if n > 1 {
			panic("pixel read failed")
		}
	}
	return m.RGBA.At(x, y)
}

// TestDetectPanicInRefineIsError: a frame whose pixels fail to read while
// specimens are refined in parallel gives an error, not a crash.
func TestDetectPanicInRefineIsError(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for i := range img.Pix {
		img.Pix[i] = 220
	}
	for y := 135; y < 165; y++ { // under 60 px: no checkerboard search reads it first
		for x := 185; x < 235; x++ {
			// Near black: a flat grey insect would read as a veil
			// (haze.go), and the frame be searched on a copy.
			img.SetRGBA(x, y, color.RGBA{24, 18, 12, 255})
		}
	}
	if got, err := Detect(img, DefaultOptions(10)); err != nil || len(got) != 1 {
		t.Fatalf("plain image: %d specimens, error %v; want 1 and none", len(got), err)
	}
	_, err := Detect(&secondReadPanics{RGBA: img, p: image.Pt(200, 150)}, DefaultOptions(10))
	if err == nil || !strings.Contains(err.Error(), "pixel read failed") {
		t.Fatalf("error %v, want the pixel read's failure", err)
	}
}

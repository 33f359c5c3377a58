package detect

import (
	"image"
	"image/color"
	"image/draw"
	"testing"
)

// fuzzFrame draws a frame from data: its size, a surface (white sheet,
// yellow card on dark cloth, or grey levels only) and shapes of random
// size, darkness and colour (blobs, thin strokes, dots), so that the
// detector meets configurations no real frame showed (the text-line
// search once looped without end on a grey card).
func fuzzFrame(data []byte) (image.Image, float64) {
	at := 0
	next := func() int {
		if at >= len(data) {
			return 0
		}
		at++
		return int(data[at-1])
	}
	w, h := 16+next()*2+next()%8, 16+next()*2+next()%8
	if next()%5 == 0 { // sometimes past WorkSize, where a card is worked at a finer factor
		w, h = w+1024, h+900
	}
	mode := next() % 3
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	bg := color.RGBA{214, 212, 218, 255}
	if mode == 1 {
		bg = color.RGBA{212, 190, 30, 255}
	}
	for y := range h {
		for x := range w {
			c := bg
			if mode == 1 && (x < w/10 || y < h/10 || x >= w*9/10 || y >= h*9/10) {
				c = color.RGBA{38, 40, 46, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	for n := next() % 40; n > 0; n-- {
		x0, y0 := next()*w/256, next()*h/256
		dx, dy := 1+next()%64, 1+next()%64
		if next()%2 == 0 {
			dx = 1 + dx/16 // thin strokes
		}
		v := uint8(next())
		c := color.RGBA{v, uint8(next()), v / 2, 255}
		for y := y0; y < min(h, y0+dy); y++ {
			for x := x0; x < min(w, x0+dx); x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	ppm := 2 + float64(next()%30)
	if mode == 2 {
		g := image.NewGray(img.Rect)
		draw.Draw(g, g.Rect, img, image.Point{}, draw.Src)
		return g, ppm
	}
	return img, ppm
}

// FuzzDetect: any frame is analysed without a panic, whatever the trap is
// said to be (Options.Trap: a sticky trap finds a card without colour by
// its brightness), and every specimen's box is a non-empty part of the
// frame.
func FuzzDetect(f *testing.F) {
	f.Add([]byte{10, 0, 10, 0, 1, 0, 5, 20, 20, 30, 30, 1, 10, 10, 10})
	f.Add([]byte{200, 3, 150, 5, 0, 1, 30, 40, 40, 2, 60, 0, 20, 30, 10, 80, 80, 10, 60, 1, 200, 50, 8})
	f.Add([]byte{100, 1, 100, 1, 5, 2, 20, 128, 128, 4, 40, 0, 0, 0, 0, 130, 128, 4, 40, 0, 0, 0, 0, 5})
	// Two dark strokes 40 px tall side by side, the second 5 px wide: the
	// text-line search once took it for the word after itself, for ever.
	f.Add([]byte{100, 0, 100, 0, 1, 0, 2, 60, 60, 7, 39, 1, 10, 10, 89, 60, 4, 39, 1, 10, 10, 8})
	f.Fuzz(func(t *testing.T, data []byte) {
		img, ppm := fuzzFrame(data)
		for _, trap := range []string{TrapAuto, TrapSticky, TrapSheet} {
			o := DefaultOptions(ppm)
			o.Trap = trap
			got, err := Detect(img, o)
			if err != nil {
				t.Fatalf("trap %q: Detect: %v", trap, err)
			}
			for _, s := range got {
				if s.Box.Empty() || !s.Box.In(img.Bounds()) {
					t.Fatalf("trap %q: specimen box %v outside the frame %v", trap, s.Box, img.Bounds())
				}
			}
		}
	})
}

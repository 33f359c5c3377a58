package detect

import (
	"image"
	"image/color"
	"testing"
)

// TestCardEdgeNotSpecimen: a card on dark cloth with a shaded strip along
// its top edge (a curl), a fly near that edge and an elongated insect
// lying along it a little further in. The strip is not reported; both
// insects are.
func TestCardEdgeNotSpecimen(t *testing.T) {
	const w, h = 800, 600
	card := image.Rect(100, 80, 700, 520)
	img, paint := cardFrame(w, h)
	for y := range h {
		for x := range w {
			if !image.Pt(x, y).In(card) {
				img.SetRGBA(x, y, color.RGBA{38, 40, 46, 255})
			}
		}
	}
	// The curl: 10 px of the card in shade along 80 px of the edge, 4 px in.
	for y := card.Min.Y + 4; y < card.Min.Y+14; y++ {
		for x := 250; x < 330; x++ {
			o := img.RGBAAt(x, y)
			img.SetRGBA(x, y, color.RGBA{o.R * 6 / 10, o.G * 6 / 10, o.B * 6 / 10, 255})
		}
	}
	fly := image.Pt(560, card.Min.Y+14)   // 3.75 x 2.5 mm, its edge 4 px from the card's
	along := image.Pt(380, card.Min.Y+60) // 6 x 2 mm, lying along the edge
	paint(float64(fly.X), float64(fly.Y), 15, 10, color.RGBA{60, 50, 30, 255})
	paint(float64(along.X), float64(along.Y), 24, 8, color.RGBA{70, 55, 35, 255})
	got := detectCard(t, img)
	for _, p := range []image.Point{fly, along} {
		if countFound(got, []image.Point{p}, centredWithin(6)) != 1 {
			t.Errorf("insect at %v not found: %v", p, boxesOf(got))
		}
	}
	for _, s := range got {
		if s.Box.Min.Y < card.Min.Y+12 && s.Box.Dx() > 60 {
			t.Errorf("the card's edge reported as a specimen: %v (%.1f x %.1f mm)", s.Box, s.LengthMM, s.WidthMM)
		}
	}
}

// TestCardEdgeShadeDropped: where a card curls away from the camera the
// shade along its edge is a band several mm wide, faint and cut into
// blocky pieces. A faint piece lying along the outline is dropped whatever
// its shape; a dark one of the same shape (an insect at the edge) and a
// faint one under edgeMinLengthMM (a whitefly) are kept. A piece whose
// outline lies off the card's searchable mask all round (a clip or wire on
// the cloth that a fill reached) is dropped whatever its size and shape;
// an insect half over the outline is kept.
func TestCardEdgeShadeDropped(t *testing.T) {
	const w, h, ppm = 400, 300, 8.0
	card := make([]bool, w*h)
	for y := range h {
		for x := 20; x < w; x++ { // the cloth: x < 20
			card[y*w+x] = true
		}
	}
	for _, tc := range []struct {
		name string
		r    image.Rectangle
		dark float64
		kept bool
	}{
		{"faint shade, 3.5 x 4.5 mm, along the outline", image.Rect(22, 100, 50, 136), 0.15, false},
		{"dark insect, same place and shape", image.Rect(22, 100, 50, 136), 0.45, true},
		{"faint whitefly, 2 mm, at the outline", image.Rect(22, 100, 38, 112), 0.15, true},
		{"faint piece, 3.5 x 4.5 mm, away from the outline", image.Rect(200, 100, 228, 136), 0.15, true},
		{"dark compact piece on the cloth, 2 mm", image.Rect(2, 100, 18, 116), 0.45, false},
		{"dark compact insect half over the outline, 2 mm", image.Rect(12, 100, 28, 116), 0.45, true},
	} {
		got := dropCardEdge([]*piece{rectPiece(tc.r, tc.dark)}, card, w, h, 1, image.Point{}, ppm)
		if kept := len(got) == 1; kept != tc.kept {
			t.Errorf("%s: kept = %v, want %v", tc.name, kept, tc.kept)
		}
	}
}

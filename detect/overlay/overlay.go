// Package overlay draws specimen boxes and their labels on a copy of a
// frame, so a person can see what the detector (and classifier) saw: `agent
// detect --annotate` and bench/detect -annotate use it. Pure Go; text is
// golang.org/x/image's 7x13 bitmap font, scaled up on large frames.
package overlay

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Mark is one box to draw.
type Mark struct {
	Box   image.Rectangle
	Color color.RGBA
	// Width is the outline's width in pixels; 0 means Scale(frame) + 1.
	Width int
	// Label, if not empty, is written above the box (inside the frame), in
	// white on the mark's colour.
	Label string
}

// Scale is the text and line magnification for a frame: 1 up to about
// 1000 px on the short side, 3 for a 4096x2160 frame.
func Scale(frame image.Rectangle) int {
	return max(1, (min(frame.Dx(), frame.Dy())+350)/700)
}

// Draw returns an RGBA copy of img with the marks drawn in order.
func Draw(img image.Image, marks []Mark) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(b)
	draw.Draw(out, b, img, b.Min, draw.Src)
	s := Scale(b)
	for _, m := range marks {
		w := m.Width
		if w <= 0 {
			w = s + 1
		}
		Outline(out, m.Box, m.Color, w)
		if m.Label != "" {
			text(out, m.Box, m.Label, m.Color, s)
		}
	}
	return out
}

// Outline draws r's border, w pixels wide inside r, in c.
func Outline(img draw.Image, r image.Rectangle, c color.RGBA, w int) {
	u := image.NewUniform(c)
	for _, e := range []image.Rectangle{
		{r.Min, image.Pt(r.Max.X, r.Min.Y+w)}, {image.Pt(r.Min.X, r.Max.Y-w), r.Max},
		{r.Min, image.Pt(r.Min.X+w, r.Max.Y)}, {image.Pt(r.Max.X-w, r.Min.Y), r.Max},
	} {
		draw.Draw(img, e.Intersect(r), u, image.Point{}, draw.Src)
	}
}

// text writes s above box (below its top edge when there is no room),
// magnified scale times, clipped to the frame.
func text(img *image.RGBA, box image.Rectangle, s string, bg color.RGBA, scale int) {
	face := basicfont.Face7x13
	w := font.MeasureString(face, s).Ceil() + 4
	h := face.Height + 2
	small := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(small, small.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	d := font.Drawer{Dst: small, Src: image.White, Face: face, Dot: fixed.P(2, face.Ascent+1)}
	d.DrawString(s)
	at := image.Pt(box.Min.X, box.Min.Y-h*scale)
	if at.Y < img.Rect.Min.Y {
		at.Y = box.Min.Y
	}
	dst := image.Rectangle{at, at.Add(image.Pt(w*scale, h*scale))}.Intersect(img.Rect)
	for y := dst.Min.Y; y < dst.Max.Y; y++ {
		for x := dst.Min.X; x < dst.Max.X; x++ {
			img.SetRGBA(x, y, small.RGBAAt((x-at.X)/scale, (y-at.Y)/scale))
		}
	}
}

// WriteJPEG encodes img to path (quality 85); errors name the path.
func WriteJPEG(path string, img image.Image) error {
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("overlay: %w", err)
	}
	if err := jpeg.Encode(fh, img, &jpeg.Options{Quality: 85}); err != nil {
		fh.Close()
		return fmt.Errorf("overlay: %s: %w", path, err)
	}
	if err := fh.Close(); err != nil {
		return fmt.Errorf("overlay: %s: %w", path, err)
	}
	return nil
}

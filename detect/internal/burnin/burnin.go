// Package burnin prints text onto a frame as a trap camera burns in its
// name, date and time: white glyphs outlined in black. The detector's
// tests and realeval's "osd" perturbation draw with it.
package burnin

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Text prints lines onto img from (x, y), the first line's top left, in
// Go Mono Bold glyphs of size px, white, outlined in black a tenth of
// size wide (at least 1 px), and returns the box the text covers.
func Text(img draw.Image, x, y int, size float64, lines ...string) (image.Rectangle, error) {
	ft, err := opentype.Parse(gomonobold.TTF)
	if err != nil {
		return image.Rectangle{}, fmt.Errorf("burnin: %w", err)
	}
	face, err := opentype.NewFace(ft, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return image.Rectangle{}, fmt.Errorf("burnin: %w", err)
	}
	defer face.Close()
	out := int(max(1, size/10))
	lh := int(size * 1.05)
	r := image.Rectangle{Min: image.Pt(x, y), Max: image.Pt(x, y+lh*len(lines))}
	black, white := image.NewUniform(color.RGBA{0, 0, 0, 255}), image.NewUniform(color.RGBA{255, 255, 255, 255})
	for i, s := range lines {
		base := fixed.P(x, y+lh*(i+1)-int(size*0.15))
		for dy := -out; dy <= out; dy++ {
			for dx := -out; dx <= out; dx++ {
				d := &font.Drawer{Dst: img, Src: black, Face: face, Dot: base.Add(fixed.P(dx, dy))}
				d.DrawString(s)
			}
		}
		d := &font.Drawer{Dst: img, Src: white, Face: face, Dot: base}
		d.DrawString(s)
		r.Max.X = max(r.Max.X, x+d.MeasureString(s).Ceil())
	}
	return r.Inset(-out).Intersect(img.Bounds()), nil
}

// Width returns how wide line is printed at size px.
func Width(size float64, line string) (int, error) {
	ft, err := opentype.Parse(gomonobold.TTF)
	if err != nil {
		return 0, fmt.Errorf("burnin: %w", err)
	}
	face, err := opentype.NewFace(ft, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return 0, fmt.Errorf("burnin: %w", err)
	}
	defer face.Close()
	return font.MeasureString(face, line).Ceil(), nil
}

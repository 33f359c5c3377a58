package trap

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// SolidBar is a solid scale bar drawn by DrawSolidBar: a dark rectangle
// LengthMM x WidthMM with, when Caption, its length printed under it
// ("10 mm", 3 mm high).
type SolidBar struct {
	// X, Y is the bar's top-left corner before turning, Angle (radians)
	// the turn about it; PixelsPerMM its scale.
	X, Y, Angle, PixelsPerMM float64
	LengthMM, WidthMM        float64
	Caption                  bool
}

// captionMM is the caption's height and its gap below the bar.
const captionMM = 3

// local maps a frame point into the unturned bar's pixels.
func (b SolidBar) local(x, y float64) (u, v float64) { return unturn(x, y, b.X, b.Y, b.Angle) }

// size is the unturned drawing's size in pixels (bar and caption).
func (b SolidBar) size() (w, h float64) {
	w, h = b.LengthMM*b.PixelsPerMM, b.WidthMM*b.PixelsPerMM
	if b.Caption {
		h += 2.5 * captionMM * b.PixelsPerMM
	}
	return w, h
}

// OnBar reports whether the frame point (x, y) lies on the bar itself.
func (b SolidBar) OnBar(x, y float64) bool {
	u, v := b.local(x, y)
	return u >= 0 && v >= 0 && u < b.LengthMM*b.PixelsPerMM && v < b.WidthMM*b.PixelsPerMM
}

// Box is the frame box the bar and its caption cover.
func (b SolidBar) Box() image.Rectangle {
	w, h := b.size()
	return turnedBox(b.X, b.Y, b.Angle, w, h)
}

// DrawSolidBar draws b on img in ink, the bar's edges anti-aliased (4 x 4
// samples a pixel) as a camera sees them.
func DrawSolidBar(img *image.RGBA, b SolidBar, ink color.RGBA) error {
	w, h := b.size()
	var text *image.Alpha
	if b.Caption {
		text = image.NewAlpha(image.Rect(0, 0, int(math.Ceil(w)), int(math.Ceil(h))))
		ft, err := opentype.Parse(gobold.TTF)
		if err != nil {
			return err
		}
		face, err := opentype.NewFace(ft, &opentype.FaceOptions{Size: 1.4 * captionMM * b.PixelsPerMM, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			return err
		}
		d := &font.Drawer{Dst: text, Src: image.Opaque, Face: face}
		d.Dot = fixed.P(0, int((b.WidthMM+captionMM*2)*b.PixelsPerMM))
		d.DrawString(fmt.Sprintf("%g mm", b.LengthMM))
	}
	lp, wp := b.LengthMM*b.PixelsPerMM, b.WidthMM*b.PixelsPerMM
	box := b.Box().Intersect(img.Bounds())
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			in := 0
			for sy := range 4 {
				for sx := range 4 {
					u, v := b.local(float64(x)+(float64(sx)+0.5)/4, float64(y)+(float64(sy)+0.5)/4)
					if u >= 0 && v >= 0 && u < lp && v < wp {
						in++
					}
				}
			}
			a := float64(in) / 16
			if text != nil {
				u, v := b.local(float64(x)+0.5, float64(y)+0.5)
				if iu, iv := int(math.Floor(u)), int(math.Floor(v)); iu >= 0 && iv >= 0 && iu < text.Rect.Dx() && iv < text.Rect.Dy() {
					a = max(a, float64(text.AlphaAt(iu, iv).A)/255)
				}
			}
			if a == 0 {
				continue
			}
			q := img.RGBAAt(x, y)
			mix := func(f, g uint8) uint8 { return uint8(a*float64(f) + (1-a)*float64(g) + 0.5) }
			img.SetRGBA(x, y, color.RGBA{mix(ink.R, q.R), mix(ink.G, q.G), mix(ink.B, q.B), 255})
		}
	}
	return nil
}

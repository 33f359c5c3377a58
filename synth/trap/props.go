package trap

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/trapnet/trapnet/synth/raster"
)

// KindNotInsect is the Object.Kind of everything drawn on a frame that is
// not a specimen but a detector might take for one (the kind of
// ../shared/realframes' annotations).
const KindNotInsect = "not_insect"

// Object is something on a frame that is not a specimen: a grommet, the
// scale bar, the timestamp, a card's punched hole.
type Object struct {
	// Kind is KindNotInsect; Box is [x0, y0, x1, y1] in pixels (x1, y1
	// exclusive), clipped to the frame; Note says what it is.
	Kind string `json:"kind"`
	Box  [4]int `json:"box"`
	Note string `json:"note"`
}

// ScaleBar is a checkerboard scale bar lying on the sheet: two rows of
// squares of SquareMM mm, dark and light alternating corner to corner
// (what detect.Options.ScaleSquareMM measures the frame's scale from).
type ScaleBar struct {
	// Box is the whole bar, card and end blocks included; Squares counts
	// its dark squares; SquarePx is a square's side in pixels.
	Box      [4]int  `json:"box"`
	SquareMM float64 `json:"square_mm"`
	SquarePx float64 `json:"square_px"`
	Squares  int     `json:"squares"`
}

// objectAt returns a not_insect Object for box clipped to the frame.
func objectAt(box, frame image.Rectangle, note string) Object {
	b := box.Intersect(frame)
	return Object{Kind: KindNotInsect, Box: [4]int{b.Min.X, b.Min.Y, b.Max.X, b.Max.Y}, Note: note}
}

// drawGrommet draws a black round fastener of radius rad px centred at
// (x, y): a dark ring, a grey inner ring and a small highlight, all
// opaque so its silhouette is a disc. It returns its box.
func drawGrommet(c *raster.Canvas, r *rand.Rand, x, y, rad float64) image.Rectangle {
	pn := raster.NewPen(c, raster.Identity())
	d := uint8(uni(r, 18, 40))
	pn.Ellipse(x, y, rad, rad, color.NRGBA{d, d, d + 4, 255})
	pn.Ellipse(x, y, rad*0.62, rad*0.62, color.NRGBA{d + 30, d + 30, d + 34, 255})
	pn.Ellipse(x, y, rad*0.4, rad*0.4, color.NRGBA{d + 8, d + 8, d + 10, 255})
	pn.Ellipse(x-rad*0.12, y-rad*0.1, rad*0.12, rad*0.08, color.NRGBA{200, 200, 200, 180})
	return image.Rect(int(math.Floor(x-rad)), int(math.Floor(y-rad)), int(math.Ceil(x+rad)), int(math.Ceil(y+rad)))
}

// scaleBarSize returns the size in pixels of a scale bar of 2 x n squares
// of side s px.
func scaleBarSize(n int, s float64) (w, h float64) {
	m := 0.6 * s // margin of the bar's card
	return float64(n)*s + 2*(1.2*s+2*m), 2*s + 2*m
}

// drawScaleBar draws a checkerboard scale bar of 2 x n squares of side s
// px with its top-left corner at (x, y): a light card, grey end blocks,
// dark squares alternating corner to corner. It returns the bar.
func drawScaleBar(c *raster.Canvas, x, y float64, n int, s, squareMM float64) ScaleBar {
	w, h := scaleBarSize(n, s)
	m := 0.6 * s
	rect := func(x0, y0, x1, y1 float64, col color.NRGBA) {
		c.Fill([]raster.Pt{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}, col)
	}
	rect(x, y, x+w, y+h, color.NRGBA{214, 212, 216, 255})
	rect(x+m, y+m, x+m+1.2*s, y+h-m, color.NRGBA{158, 156, 162, 255})
	rect(x+w-m-1.2*s, y+m, x+w-m, y+h-m, color.NRGBA{158, 156, 162, 255})
	sx := x + 2*m + 1.2*s
	dark := 0
	for row := 0; row < 2; row++ {
		for col := 0; col < n; col++ {
			if (row+col)%2 == 1 {
				continue
			}
			qx, qy := sx+float64(col)*s, y+m+float64(row)*s
			rect(qx, qy, qx+s, qy+s, color.NRGBA{44, 40, 52, 255})
			dark++
		}
	}
	b := image.Rect(int(math.Floor(x)), int(math.Floor(y)), int(math.Ceil(x+w)), int(math.Ceil(y+h)))
	return ScaleBar{Box: [4]int{b.Min.X, b.Min.Y, b.Max.X, b.Max.Y}, SquareMM: squareMM, SquarePx: s, Squares: dark}
}

// drawTimestamp burns t (date over time, as AMI trap cameras do) into
// img's bottom-right corner in white with a dark outline, in 7x13 pixel
// glyphs scaled by the frame width / 4096 (at least 1), and returns it as
// an Object.
func drawTimestamp(img *image.RGBA, t time.Time) Object {
	lines := []string{t.Format("2006-01-02"), t.Format("15:04:05") + "-00"}
	const gw, gh = 7, 13
	tw, th := gw*len(lines[1])+2, gh*len(lines)+2
	small := image.NewRGBA(image.Rect(0, 0, tw, th))
	d := font.Drawer{Dst: small, Face: basicfont.Face7x13}
	for _, pass := range []struct {
		src    image.Image
		dx, dy []int
	}{
		{image.NewUniform(color.RGBA{20, 20, 24, 255}), []int{0, 2, 1, 1}, []int{1, 1, 0, 2}},
		{image.White, []int{1}, []int{1}},
	} {
		d.Src = pass.src
		for k := range pass.dx {
			for i, s := range lines {
				x := 1 + gw*(len(lines[1])-len(s)) + pass.dx[k] - 1
				d.Dot = fixed.P(x, 11+gh*i+pass.dy[k]-1)
				d.DrawString(s)
			}
		}
	}
	b := img.Bounds()
	k := max(1, int(math.Round(float64(b.Dx())/4096)))
	x0, y0 := b.Max.X-4*k-tw*k, b.Max.Y-th*k
	for y := 0; y < th*k; y++ {
		for x := 0; x < tw*k; x++ {
			p := small.RGBAAt(x/k, y/k)
			if p.A == 0 {
				continue
			}
			img.SetRGBA(x0+x, y0+y, p)
		}
	}
	return objectAt(image.Rect(x0, y0, x0+tw*k, y0+th*k), b, "timestamp text overlay")
}

package camera

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// withOrientation returns jpg with an Exif block (IFD0: Orientation = o,
// in byte order bo) right after its start-of-image marker.
func withOrientation(jpg []byte, o int, bo binary.ByteOrder) []byte {
	var t bytes.Buffer
	if bo == binary.LittleEndian {
		t.WriteString("II")
	} else {
		t.WriteString("MM")
	}
	w := func(v any) { _ = binary.Write(&t, bo, v) }
	w(uint16(42))
	w(uint32(8)) // IFD0 at 8
	w(uint16(1)) // one entry
	w([]uint16{0x0112, 3})
	w(uint32(1))
	w([]uint16{uint16(o), 0}) // Orientation, SHORT, 1 value, inline
	w(uint32(0))              // no next IFD
	seg := append([]byte("Exif\x00\x00"), t.Bytes()...)
	app1 := []byte{0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app1...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// quadrants is a w x h test card: red, green / blue, white quadrants and
// a black dot near the top-left corner, so every turn and mirror differs.
func quadrants(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 255, 255, 255}
			switch {
			case x < w/4 && y < h/4:
				c = color.RGBA{0, 0, 0, 255}
			case x < w/2 && y < h/2:
				c = color.RGBA{230, 20, 20, 255}
			case y < h/2:
				c = color.RGBA{20, 200, 40, 255}
			case x < w/2:
				c = color.RGBA{30, 40, 220, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// rotCW and flipH are the reference turns, written apart from orient.
func rotCW(m *image.RGBA) *image.RGBA {
	b := m.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			out.SetRGBA(b.Dy()-1-y, x, m.RGBAAt(x, y))
		}
	}
	return out
}

func flipH(m *image.RGBA) *image.RGBA {
	b := m.Bounds()
	out := image.NewRGBA(b)
	for y := range b.Dy() {
		for x := range b.Dx() {
			out.SetRGBA(b.Dx()-1-x, y, m.RGBAAt(x, y))
		}
	}
	return out
}

// display is how a viewer shows m stored with Exif orientation o (the
// Exif specification's table: 2 mirrored, 3 turned 180 degrees, 4 turned
// and mirrored, 5 mirrored and turned 270 degrees clockwise, 6 turned 90,
// 7 mirrored and turned 90, 8 turned 270).
func display(m *image.RGBA, o int) *image.RGBA {
	r := func(m *image.RGBA, n int) *image.RGBA {
		for range n {
			m = rotCW(m)
		}
		return m
	}
	switch o {
	case 2:
		return flipH(m)
	case 3:
		return r(m, 2)
	case 4:
		return r(flipH(m), 2)
	case 5:
		return r(flipH(m), 3)
	case 6:
		return r(m, 1)
	case 7:
		return r(flipH(m), 1)
	case 8:
		return r(m, 3)
	}
	return m
}

// meanDiff is the mean absolute difference per channel of a and b (same
// size), in levels.
func meanDiff(t *testing.T, a image.Image, b *image.RGBA) float64 {
	t.Helper()
	if a.Bounds().Size() != b.Bounds().Size() {
		t.Fatalf("size %v, want %v", a.Bounds().Size(), b.Bounds().Size())
	}
	var sum float64
	ab := a.Bounds()
	for y := range ab.Dy() {
		for x := range ab.Dx() {
			r, g, bb, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			c := b.RGBAAt(x, y)
			for _, d := range [3]int{int(r>>8) - int(c.R), int(g>>8) - int(c.G), int(bb>>8) - int(c.B)} {
				sum += float64(max(d, -d))
			}
		}
	}
	return sum / float64(3*ab.Dx()*ab.Dy())
}

// TestDecodeTurnsByExifOrientation: a JPEG is decoded as a viewer shows it,
// for all eight orientations, in both byte orders, for colour JPEGs whose
// sides are a multiple of 4 (turned plane by plane) or not (turned pixel
// by pixel), and for a grey one.
func TestDecodeTurnsByExifOrientation(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []image.Point{{64, 32}, {66, 30}} {
		src := quadrants(size.X, size.Y)
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 95}); err != nil {
			t.Fatal(err)
		}
		plain, err := decodeBytes(buf.Bytes(), 0)
		if err != nil {
			t.Fatal(err)
		}
		base := meanDiff(t, plain, src) // the JPEG's own loss
		for o := 1; o <= 8; o++ {
			for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
				p := filepath.Join(dir, "f.jpg")
				if err := os.WriteFile(p, withOrientation(buf.Bytes(), o, bo), 0o644); err != nil {
					t.Fatal(err)
				}
				got, err := DecodeFile(p, 0)
				if err != nil {
					t.Fatalf("%v orientation %d: %v", size, o, err)
				}
				if _, ycc := got.(*image.YCbCr); size.X%4 == 0 && !ycc {
					t.Errorf("%v orientation %d: decoded as %T, want *image.YCbCr (detect's fast path)", size, o, got)
				}
				if d := meanDiff(t, got, display(src, o)); d > base+1 {
					t.Errorf("%v orientation %d (%v): mean difference %.1f from the displayed card (JPEG loss %.1f)", size, o, bo, d, base)
				}
			}
		}
	}
	gray := image.NewGray(image.Rect(0, 0, 40, 24))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i % 40 * 6)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, gray, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	got, err := decodeBytes(withOrientation(buf.Bytes(), 6, binary.BigEndian), 0)
	if err != nil {
		t.Fatal(err)
	}
	g, ok := got.(*image.Gray)
	if !ok || g.Bounds().Size() != image.Pt(24, 40) {
		t.Fatalf("grey JPEG turned 90 degrees: %T %v, want *image.Gray 24x40", got, got.Bounds())
	}
	// Displayed row y is stored column y: its left end is the stored
	// column's bottom pixel.
	for y := 0; y < 40; y += 13 {
		if v, want := int(g.GrayAt(0, y).Y), y*6; v < want-8 || v > want+8 {
			t.Errorf("turned grey JPEG at (0, %d) = %d, want about %d", y, v, want)
		}
	}
}

// TestExifOrientationValues: orientations outside 1-8, of the wrong type,
// in a block that is no Exif or no JPEG, read as 1 (as stored).
func TestExifOrientationValues(t *testing.T) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	jpg := buf.Bytes()
	wrongType := withOrientation(jpg, 6, binary.LittleEndian)
	i := bytes.Index(wrongType, []byte{0x12, 0x01, 3, 0})
	wrongType[i+2] = 4 // LONG
	for _, c := range []struct {
		name string
		b    []byte
		want int
	}{
		{"no Exif", jpg, 1},
		{"orientation 6", withOrientation(jpg, 6, binary.LittleEndian), 6},
		{"orientation 8, big-endian", withOrientation(jpg, 8, binary.BigEndian), 8},
		{"orientation 0", withOrientation(jpg, 0, binary.LittleEndian), 1},
		{"orientation 9", withOrientation(jpg, 9, binary.LittleEndian), 1},
		{"tag of type LONG", wrongType, 1},
		{"cut inside the Exif block", withOrientation(jpg, 6, binary.LittleEndian)[:20], 1},
		{"PNG", []byte("\x89PNG\r\n\x1a\n"), 1},
		{"empty", nil, 1},
	} {
		if got := exifOrientation(c.b); got != c.want {
			t.Errorf("%s: orientation %d, want %d", c.name, got, c.want)
		}
	}
}

package agent

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"image"
	"image/draw"
)

// cropHash is the SHA-256 of the crop as width, height (uint32 big endian)
// followed by its 8-bit RGBA pixels row by row: a stable identity of the
// pixels, independent of any file encoding.
func cropHash(img image.Image) string {
	b := img.Bounds()
	rgba, ok := img.(*image.RGBA)
	if !ok || rgba.Stride != 4*b.Dx() {
		rgba = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(rgba, rgba.Bounds(), img, b.Min, draw.Src)
	}
	h := sha256.New()
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[:4], uint32(b.Dx()))
	binary.BigEndian.PutUint32(hdr[4:], uint32(b.Dy()))
	h.Write(hdr[:])
	h.Write(rgba.Pix[:4*b.Dx()*b.Dy()])
	return hex.EncodeToString(h.Sum(nil))
}

// frameHashRows is how many rows, evenly spaced, frameKeyHash reads: two
// different photos differ in every row (sensor noise at least), so a
// sample is enough, and a 4096x2160 frame costs about 1 ms instead of 10
// (on a Pi 4, which has no SHA instructions, about 10 ms instead of 100).
const frameHashRows = 256

// frameKeyHash is the SHA-256 of a frame's id, its bounds and
// frameHashRows evenly spaced rows of its decoded pixels (all rows of a
// smaller frame; the planes as decoded, no conversion), so two frames with
// the same file name and time but different content (a camera clock
// reset) get different ids, while re-processing a frame gives the same.
func frameKeyHash(id string, img image.Image) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(id))
	h.Write([]byte{0})
	b := img.Bounds()
	var hdr [16]byte
	for i, v := range []int{b.Min.X, b.Min.Y, b.Max.X, b.Max.Y} {
		binary.BigEndian.PutUint32(hdr[4*i:], uint32(v))
	}
	h.Write(hdr[:])
	if u, ok := img.(*image.Uniform); ok { // unbounded: its colour is its content
		r, g, bl, a := u.RGBA()
		for _, v := range []uint32{r, g, bl, a} {
			binary.BigEndian.PutUint32(hdr[:4], v)
			h.Write(hdr[:4])
		}
		b = image.Rectangle{}
	}
	step := max(1, (b.Dy()+frameHashRows-1)/frameHashRows)
	var row []byte
	for y := b.Min.Y; y < b.Max.Y; y += step {
		switch m := img.(type) {
		case *image.YCbCr:
			h.Write(m.Y[m.YOffset(b.Min.X, y):][:b.Dx()])
			c0, c1 := m.COffset(b.Min.X, y), m.COffset(b.Max.X-1, y)+1
			h.Write(m.Cb[c0:c1])
			h.Write(m.Cr[c0:c1])
		case *image.RGBA:
			h.Write(m.Pix[m.PixOffset(b.Min.X, y):][:4*b.Dx()])
		case *image.NRGBA:
			h.Write(m.Pix[m.PixOffset(b.Min.X, y):][:4*b.Dx()])
		case *image.Gray:
			h.Write(m.Pix[m.PixOffset(b.Min.X, y):][:b.Dx()])
		default:
			row = row[:0]
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, a := img.At(x, y).RGBA()
				row = append(row, byte(r>>8), byte(r), byte(g>>8), byte(g), byte(bl>>8), byte(bl), byte(a>>8), byte(a))
			}
			h.Write(row)
		}
	}
	var sum [sha256.Size]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

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

package agent

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"

	"golang.org/x/image/draw"
)

// cropQualities are tried in turn until a crop's JPEG fits its cap.
var cropQualities = []int{85, 70, 55, 40, 25}

// EncodeCrop encodes img as a JPEG of at most maxBytes, scaled down (never
// up) so that its longer side is at most maxSide pixels, lowering the
// quality as needed. It fails when even the lowest quality is too large.
func EncodeCrop(img image.Image, maxSide, maxBytes int) ([]byte, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("crop: empty image %dx%d", w, h)
	}
	if long := max(w, h); long > maxSide {
		w, h = max(1, w*maxSide/long), max(1, h*maxSide/long)
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
		img = dst
	}
	var buf bytes.Buffer
	for _, q := range cropQualities {
		buf.Reset()
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
			return nil, fmt.Errorf("crop: %w", err)
		}
		if buf.Len() <= maxBytes {
			return buf.Bytes(), nil
		}
	}
	return nil, fmt.Errorf("crop: %dx%d JPEG is %d bytes at quality %d, over crops.max_bytes %d", w, h, buf.Len(), cropQualities[len(cropQualities)-1], maxBytes)
}

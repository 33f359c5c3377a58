package camera

import (
	"image"
	"image/color"
	"io"
)

// Exif orientation. A phone stores a photo taken upright as the sensor
// read it (landscape) and says in the Exif Orientation tag (0x0112) how
// to turn it for display; every viewer does. The sources turn a JPEG the
// same way when they decode it, so a frame's pixels, boxes and annotated
// copies are the photo as its owner sees it, and boxes drawn on a viewer
// match the agent's.

// exifOrientation returns the Exif Orientation (1-8) of the JPEG whose
// first bytes are b, and 1 (as stored) when it has none or it is not
// valid.
func exifOrientation(b []byte) int {
	tiff, err := jpegExif(b)
	if err != nil {
		return 1
	}
	bo, err := tiffByteOrder(tiff)
	if err != nil {
		return 1
	}
	o := 1
	_ = eachTag(tiff, bo, bo.Uint32(tiff[4:]), func(tag, typ uint16, count uint32, val []byte) {
		if tag == 0x0112 && typ == 3 && count == 1 { // SHORT, inline
			if v := int(bo.Uint16(val)); v >= 1 && v <= 8 {
				o = v
			}
		}
	})
	return o
}

// Upright returns img, decoded from the JPEG whose first bytes are head
// (ExifMaxBytes are enough), turned as its Exif orientation says: what
// the sources do to every frame, for other readers of photos (the
// trainer's datasets) to do the same. Without a valid orientation it
// returns img itself.
func Upright(img image.Image, head []byte) image.Image {
	return orient(img, exifOrientation(head))
}

// readOrientation reads the Exif orientation from the start of r (a JPEG)
// and leaves r at its start.
func readOrientation(r io.ReadSeeker) (int, error) {
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return 1, err
	}
	head, err := io.ReadAll(io.LimitReader(r, ExifMaxBytes))
	if err != nil {
		return 1, err
	}
	_, err = r.Seek(0, io.SeekStart)
	return exifOrientation(head), err
}

// orient returns img turned as Exif orientation o says (1: img itself).
// For orientation o the displayed pixel (x, y) of a W x H display comes
// from the stored pixel src(o, x, y). YCbCr images (what JPEG decodes to)
// and Gray stay in their type; others are turned into RGBA.
func orient(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh := sw, sh
	if o >= 5 {
		dw, dh = sh, sw
	}
	// src maps a displayed pixel to the stored one (offsets from b.Min).
	src := func(x, y, w, h int) (int, int) {
		switch o {
		case 2:
			return w - 1 - x, y
		case 3:
			return w - 1 - x, h - 1 - y
		case 4:
			return x, h - 1 - y
		case 5:
			return y, x
		case 6:
			return y, h - 1 - x
		case 7:
			return w - 1 - y, h - 1 - x
		default: // 8
			return w - 1 - y, x
		}
	}
	plane := func(pix []uint8, stride, w, h, ow, oh int) ([]uint8, int) {
		// w x h stored plane -> ow x oh displayed plane
		out := make([]uint8, ow*oh)
		for y := range oh {
			row := out[y*ow : (y+1)*ow]
			for x := range row {
				sx, sy := src(x, y, w, h)
				row[x] = pix[sy*stride+sx]
			}
		}
		return out, ow
	}
	switch m := img.(type) {
	case *image.Gray:
		p, stride := plane(m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, sw, sh, dw, dh)
		return &image.Gray{Pix: p, Stride: stride, Rect: image.Rect(0, 0, dw, dh)}
	case *image.YCbCr:
		// Plane by plane when the chroma samples map onto whole pixel
		// pairs (sides a multiple of 4, as camera and phone JPEGs are).
		ratio, ok := m.SubsampleRatio, m.SubsampleRatio == image.YCbCrSubsampleRatio444 || sw%4 == 0 && sh%4 == 0
		if o >= 5 && ok {
			ratio, ok = transposedRatio(m.SubsampleRatio)
		}
		if ok && b.Min == (image.Point{}) {
			out := image.NewYCbCr(image.Rect(0, 0, dw, dh), ratio)
			out.Y, out.YStride = plane(m.Y, m.YStride, sw, sh, dw, dh)
			cw, ch := chromaSize(m.SubsampleRatio, sw, sh)
			ocw, och := cw, ch
			if o >= 5 {
				ocw, och = ch, cw
			}
			out.Cb, out.CStride = plane(m.Cb, m.CStride, cw, ch, ocw, och)
			out.Cr, _ = plane(m.Cr, m.CStride, cw, ch, ocw, och)
			return out
		}
	}
	out := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			sx, sy := src(x, y, sw, sh)
			out.Set(x, y, color.RGBAModel.Convert(img.At(b.Min.X+sx, b.Min.Y+sy)))
		}
	}
	return out
}

// transposedRatio is the subsampling of a YCbCr image's transpose.
func transposedRatio(r image.YCbCrSubsampleRatio) (image.YCbCrSubsampleRatio, bool) {
	switch r {
	case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio420:
		return r, true
	case image.YCbCrSubsampleRatio422:
		return image.YCbCrSubsampleRatio440, true
	case image.YCbCrSubsampleRatio440:
		return image.YCbCrSubsampleRatio422, true
	}
	return r, false
}

// chromaSize is the size of the chroma planes of a w x h YCbCr image.
func chromaSize(r image.YCbCrSubsampleRatio, w, h int) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

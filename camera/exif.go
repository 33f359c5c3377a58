package camera

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Frame.TimeSource values.
const (
	// TimeSourceExif: Frame.Time is the image's Exif DateTimeOriginal.
	TimeSourceExif = "exif"
	// TimeSourceName: Frame.Time is written in the file's name (NameTime).
	TimeSourceName = "filename"
	// TimeSourceMtime: Frame.Time is the file's modification time.
	TimeSourceMtime = "mtime"
)

// ExifMaxBytes is how much of a file ExifTime reads: the Exif block of a
// camera JPEG sits right after the start of image, well within it.
const ExifMaxBytes = 64 << 10

// errNoExifTime is returned when an image has no usable DateTimeOriginal.
var errNoExifTime = errors.New("no Exif DateTimeOriginal")

// ExifTime reads the capture time of a JPEG file from its Exif
// DateTimeOriginal (tag 0x9003), looking only at the first ExifMaxBytes of
// the file. The time is in the zone of OffsetTimeOriginal (0x9011) when the
// file has one, else in loc (nil means UTC). An error says why no time was
// found (not a JPEG, no Exif, malformed Exif, no or blank tag).
func ExifTime(path string, loc *time.Location) (time.Time, error) {
	fh, err := os.Open(path)
	if err != nil {
		return time.Time{}, err
	}
	defer fh.Close()
	head, err := io.ReadAll(io.LimitReader(fh, ExifMaxBytes))
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", path, err)
	}
	t, err := exifTime(head, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// captureTime is the frame time of the file at path: its Exif time when it
// has one, else the time its name gives (NameTime) unless that is more
// than nameTimeSlack after mod (then the digits are no capture time: a
// file is written after it is taken), else mod (its modification time).
func captureTime(path string, mod time.Time, loc *time.Location) (time.Time, string) {
	if t, err := ExifTime(path, loc); err == nil {
		return t, TimeSourceExif
	}
	if t, ok := NameTime(path, loc); ok && !t.After(mod.Add(nameTimeSlack)) {
		return t, TimeSourceName
	}
	return mod, TimeSourceMtime
}

// nameTimeSlack is how far a file-name time may lie after the file's
// modification time: a name written in another zone than trap.timezone
// (up to 14 h ahead) or by a clock a little off.
const nameTimeSlack = 26 * time.Hour

// exifTime parses the start of a JPEG file (see ExifTime).
func exifTime(b []byte, loc *time.Location) (time.Time, error) {
	tiff, err := jpegExif(b)
	if err != nil {
		return time.Time{}, err
	}
	orig, offset, err := tiffTimeTags(tiff)
	if err != nil {
		return time.Time{}, err
	}
	if loc == nil {
		loc = time.UTC
	}
	if z, ok := parseExifOffset(offset); ok {
		loc = z
	}
	orig = strings.TrimSpace(strings.TrimRight(orig, "\x00"))
	t, err := time.ParseInLocation("2006:01:02 15:04:05", orig, loc)
	if err != nil || t.Year() < 1900 {
		return time.Time{}, fmt.Errorf("%w: DateTimeOriginal %q", errNoExifTime, orig)
	}
	return t, nil
}

// jpegExif returns the TIFF block of the first Exif APP1 segment of a JPEG.
func jpegExif(b []byte) ([]byte, error) {
	if len(b) < 2 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, errors.New("not a JPEG (no Exif)")
	}
	for i := 2; ; {
		for i < len(b) && b[i] == 0xFF && i+1 < len(b) && b[i+1] == 0xFF {
			i++ // fill bytes
		}
		if i+4 > len(b) || b[i] != 0xFF {
			return nil, errNoExifTime
		}
		marker := b[i+1]
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image
			return nil, errNoExifTime
		}
		if marker == 0x01 || marker >= 0xD0 && marker <= 0xD7 { // no length
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 {
			return nil, errors.New("malformed JPEG segment length")
		}
		seg := b[i+4 : min(i+2+n, len(b))]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return seg[6:], nil
		}
		i += 2 + n
	}
}

// tiffTimeTags reads IFD0 -> Exif IFD (0x8769) -> DateTimeOriginal (0x9003)
// and OffsetTimeOriginal (0x9011, "" when absent) from a TIFF block in
// either byte order.
func tiffTimeTags(t []byte) (orig, offset string, err error) {
	bo, err := tiffByteOrder(t)
	if err != nil {
		return "", "", err
	}
	var exifIFD uint32
	found := false
	err = eachTag(t, bo, bo.Uint32(t[4:]), func(tag, typ uint16, count uint32, val []byte) {
		if tag == 0x8769 && count == 1 && (typ == 4 || typ == 13) {
			exifIFD, found = bo.Uint32(val), true
		}
	})
	if err != nil {
		return "", "", err
	}
	if !found {
		return "", "", fmt.Errorf("%w (no Exif IFD)", errNoExifTime)
	}
	err = eachTag(t, bo, exifIFD, func(tag, typ uint16, count uint32, val []byte) {
		if typ != 2 { // ASCII
			return
		}
		s, ok := asciiValue(t, bo, count, val)
		switch {
		case !ok:
		case tag == 0x9003:
			orig = s
		case tag == 0x9011:
			offset = s
		}
	})
	if err != nil {
		return "", "", err
	}
	if orig == "" {
		return "", "", errNoExifTime
	}
	return orig, offset, nil
}

// tiffByteOrder checks a TIFF block's header (byte order mark, magic 42,
// room for IFD0's offset) and returns its byte order.
func tiffByteOrder(t []byte) (binary.ByteOrder, error) {
	if len(t) < 8 {
		return nil, errors.New("exif: short TIFF header")
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return nil, fmt.Errorf("exif: byte order %q", t[:2])
	}
	if bo.Uint16(t[2:]) != 42 {
		return nil, errors.New("exif: bad TIFF magic")
	}
	return bo, nil
}

// eachTag calls fn for every entry of the IFD at off (val: the 4-byte
// value/offset field).
func eachTag(t []byte, bo binary.ByteOrder, off uint32, fn func(tag, typ uint16, count uint32, val []byte)) error {
	if uint64(off)+2 > uint64(len(t)) {
		return errors.New("exif: IFD offset outside the block")
	}
	n := int(bo.Uint16(t[off:]))
	start := int(off) + 2
	if start+12*n > len(t) {
		return errors.New("exif: IFD runs past the block")
	}
	for k := range n {
		e := t[start+12*k:]
		fn(bo.Uint16(e), bo.Uint16(e[2:]), bo.Uint32(e[4:]), e[8:12])
	}
	return nil
}

// asciiValue returns an ASCII tag's text (inline when it fits in 4 bytes).
func asciiValue(t []byte, bo binary.ByteOrder, count uint32, val []byte) (string, bool) {
	if count <= 4 {
		return string(val[:count]), true
	}
	off := uint64(bo.Uint32(val))
	if count > 64 || off+uint64(count) > uint64(len(t)) {
		return "", false
	}
	return string(t[off : off+uint64(count)]), true
}

// parseExifOffset parses an OffsetTimeOriginal such as "+02:00" or "-05:30".
func parseExifOffset(s string) (*time.Location, bool) {
	s = strings.TrimSpace(strings.TrimRight(s, "\x00"))
	if len(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' {
		return nil, false
	}
	t, err := time.Parse("15:04", s[1:])
	if err != nil {
		return nil, false
	}
	sec := t.Hour()*3600 + t.Minute()*60
	if s[0] == '-' {
		sec = -sec
	}
	return time.FixedZone("UTC"+s, sec), true
}

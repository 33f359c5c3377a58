package camera

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// exifTIFF builds a TIFF block: IFD0 with an Exif IFD pointer (plus one
// unrelated tag), the Exif IFD with DateTimeOriginal and, when offset is
// not "", OffsetTimeOriginal (7 bytes: stored out of line like a camera's).
func exifTIFF(bo binary.ByteOrder, orig, offset string) []byte {
	var b bytes.Buffer
	put16 := func(v uint16) { binary.Write(&b, bo, v) }
	put32 := func(v uint32) { binary.Write(&b, bo, v) }
	if bo == binary.LittleEndian {
		b.WriteString("II")
	} else {
		b.WriteString("MM")
	}
	put16(42)
	put32(8)
	// IFD0 at 8: 2 entries.
	put16(2)
	put16(0x0112) // Orientation, SHORT 1
	put16(3)
	put32(1)
	put16(1)
	put16(0)
	exifIFD := uint32(8 + 2 + 2*12 + 4)
	put16(0x8769)
	put16(4)
	put32(1)
	put32(exifIFD)
	put32(0) // no next IFD
	// Exif IFD.
	n := uint16(1)
	if offset != "" {
		n = 2
	}
	data := exifIFD + 2 + uint32(n)*12 + 4
	put16(n)
	put16(0x9003)
	put16(2)
	put32(uint32(len(orig) + 1))
	put32(data)
	if offset != "" {
		put16(0x9011)
		put16(2)
		put32(uint32(len(offset) + 1))
		put32(data + uint32(len(orig)+1))
	}
	put32(0)
	b.WriteString(orig + "\x00")
	if offset != "" {
		b.WriteString(offset + "\x00")
	}
	return b.Bytes()
}

// withSegment inserts a JPEG segment (marker, payload) right after SOI.
func withSegment(jpg []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte(nil), jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

func withExif(jpg, tiff []byte) []byte {
	return withSegment(jpg, 0xE1, append([]byte("Exif\x00\x00"), tiff...))
}

func TestExifTime(t *testing.T) {
	jpg := jpegBytes(t)
	zone := time.FixedZone("trap", 2*3600)
	le, be := binary.ByteOrder(binary.LittleEndian), binary.ByteOrder(binary.BigEndian)
	for _, tc := range []struct {
		name string
		data []byte
		want time.Time // zero: an error is expected
	}{
		{"little endian, config zone", withExif(jpg, exifTIFF(le, "2022:06:22 00:04:59", "")), time.Date(2022, 6, 21, 22, 4, 59, 0, time.UTC)},
		{"big endian, config zone", withExif(jpg, exifTIFF(be, "2023:11:10 21:45:39", "")), time.Date(2023, 11, 10, 19, 45, 39, 0, time.UTC)},
		{"OffsetTimeOriginal wins", withExif(jpg, exifTIFF(be, "2023:11:10 21:45:39", "-05:00")), time.Date(2023, 11, 11, 2, 45, 39, 0, time.UTC)},
		{"bad offset falls back to the zone", withExif(jpg, exifTIFF(le, "2023:11:10 21:45:39", "+5")), time.Date(2023, 11, 10, 19, 45, 39, 0, time.UTC)},
		{"after an APP0 segment", withSegment(withExif(jpg, exifTIFF(le, "2022:06:22 00:04:59", "")), 0xE0, []byte("JFIF\x00\x01\x02")), time.Date(2022, 6, 21, 22, 4, 59, 0, time.UTC)},
		{"no Exif", jpg, time.Time{}},
		{"blank date", withExif(jpg, exifTIFF(le, "    :  :     :  :  ", "")), time.Time{}},
		{"zero date", withExif(jpg, exifTIFF(le, "0000:00:00 00:00:00", "")), time.Time{}},
		{"PNG", pngBytes(t), time.Time{}},
		{"truncated Exif", withExif(jpg, exifTIFF(le, "2022:06:22 00:04:59", ""))[:60], time.Time{}},
		{"bad byte order", withExif(jpg, append([]byte("XX"), exifTIFF(le, "2022:06:22 00:04:59", "")[2:]...)), time.Time{}},
		{"Exif beyond the first 64 KiB is not read", withSegment(withExif(jpg, exifTIFF(le, "2022:06:22 00:04:59", "")), 0xFE, make([]byte, 65533)), time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "f.jpg")
			if err := os.WriteFile(p, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ExifTime(p, zone)
			if tc.want.IsZero() {
				if err == nil {
					t.Fatalf("got %v, want an error", got)
				}
				return
			}
			if err != nil || !got.Equal(tc.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

// TestSourcesTimeSource checks that the file sources (Files, Folder) take
// the Exif time of a JPEG that has one (still decoding it), else the time
// its name gives, unless that is later than the file was written, and
// the modification time otherwise.
func TestSourcesTimeSource(t *testing.T) {
	zone := time.FixedZone("trap", -4*3600)
	mod := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	write := func(dir string) []string {
		names := []string{"a-exif-20231130_165304.jpg", "b-plain.jpg", "c-20231130_165304.jpg", "d-20260105_120000.jpg"}
		var paths []string
		for i, n := range names {
			p := filepath.Join(dir, n)
			data := jpegBytes(t)
			if i == 0 {
				data = withExif(data, exifTIFF(binary.LittleEndian, "2022:06:22 00:04:59", ""))
			}
			os.WriteFile(p, data, 0o644)
			os.Chtimes(p, mod, mod)
			paths = append(paths, p)
		}
		return paths
	}
	files := NewFiles(write(t.TempDir()), Options{Location: zone})
	dir := t.TempDir()
	write(dir)
	folder, err := NewFolder(dir, FolderOptions{Options: Options{Location: zone}, Poll: 5 * time.Millisecond, StableFor: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer folder.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for name, src := range map[string]Source{"files": files, "folder": folder} {
		for _, want := range []struct {
			t   time.Time
			src string
		}{
			{time.Date(2022, 6, 22, 4, 4, 59, 0, time.UTC), TimeSourceExif},
			{mod, TimeSourceMtime},
			{time.Date(2023, 11, 30, 16, 53, 4, 0, zone), TimeSourceName},
			{mod, TimeSourceMtime}, // named 3 days after it was written
		} {
			f, err := src.Next(ctx)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !f.Time.Equal(want.t) || f.TimeSource != want.src || f.Image == nil {
				t.Errorf("%s %s: time %v (%s), want %v (%s)", name, f.ID, f.Time, f.TimeSource, want.t, want.src)
			}
		}
	}
}

// FuzzExifTime checks that no input makes the Exif parser panic and that a
// time it returns is a real one.
func FuzzExifTime(f *testing.F) {
	j := jpegBytes(f)
	for _, seed := range [][]byte{
		withExif(j, exifTIFF(binary.LittleEndian, "2022:06:22 00:04:59", ""))[:400],
		withExif(j, exifTIFF(binary.BigEndian, "2022:06:22 00:04:59", "+01:00"))[:400],
		j[:200], nil, []byte("\xff\xd8\xff\xe1\x00\x10Exif\x00\x00MM\x00\x2a\xff\xff\xff\xff"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tm, err := exifTime(data, nil)
		if err == nil && tm.Year() < 1900 {
			t.Fatalf("no error but time %v", tm)
		}
	})
}

// TestExifTimeRealFrames reads the Exif times of the real light-trap frames
// in ../shared/realframes, whose file names carry the capture time
// (YYYYMMDDhhmmss): they must agree.
func TestExifTimeRealFrames(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "realframes")
	paths, _ := filepath.Glob(filepath.Join(dir, "*", "*.jpg"))
	stamp := regexp.MustCompile(`(^|-)(20\d{12})-`)
	n := 0
	for _, p := range paths {
		m := stamp.FindStringSubmatch(filepath.Base(p))
		if m == nil {
			continue
		}
		want, _ := time.Parse("20060102150405", m[2])
		got, err := ExifTime(p, time.UTC)
		if err != nil || !got.Equal(want) {
			t.Errorf("%s: Exif time %v, %v; the name says %v", p, got, err, want)
		}
		n++
	}
	if n == 0 {
		t.Skipf("no real frames with a time in their name under %s (see its README)", dir)
	}
}

package camera

import (
	"encoding/binary"
	"strings"
	"testing"
)

// FuzzDecodeBytes checks that no input makes decoding panic or return an
// image without an error.
func FuzzDecodeBytes(f *testing.F) {
	p, j := pngBytes(f), jpegBytes(f)
	turned := withOrientation(j, 6, binary.BigEndian) // a phone's portrait photo
	for _, seed := range [][]byte{p, j, turned, turned[:len(turned)/2], p[:len(p)/2], j[:len(j)/3], hugePNG(f), nil, []byte("GIF89a"), []byte("\xff\xd8\xff")} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := decodeBytes(data, 1<<20)
		if err == nil && (img == nil || img.Bounds().Empty()) {
			t.Fatalf("no error but image %v", img)
		}
	})
}

// FuzzNameTime checks that no file name makes NameTime panic, and that a
// time it reads is a real one of 2000-2099 that its name spells out.
func FuzzNameTime(f *testing.F) {
	for _, s := range []string{"20231130_165304.jpg", "PXL_20231130_165304123.jpg", "2023-11-30 16.53.04", "141-20220916221959-snapshot.jpg", "2023", "20231130_", "9999-99-99T99:99:99", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got, ok := NameTime(name, nil)
		if !ok {
			return
		}
		if got.Year() < 2000 || got.Year() > 2099 {
			t.Fatalf("%q: year %d", name, got.Year())
		}
		if !strings.Contains(name, got.Format("2006")) {
			t.Fatalf("%q: %v not in the name", name, got)
		}
	})
}

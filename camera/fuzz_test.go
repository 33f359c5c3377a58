package camera

import "testing"

// FuzzDecodeBytes checks that no input makes decoding panic or return an
// image without an error.
func FuzzDecodeBytes(f *testing.F) {
	p, j := pngBytes(f), jpegBytes(f)
	for _, seed := range [][]byte{p, j, p[:len(p)/2], j[:len(j)/3], hugePNG(f), nil, []byte("GIF89a"), []byte("\xff\xd8\xff")} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := decodeBytes(data, 1<<20)
		if err == nil && (img == nil || img.Bounds().Empty()) {
			t.Fatalf("no error but image %v", img)
		}
	})
}

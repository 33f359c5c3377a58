package camera

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testImage() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.SetRGBA(x, y, color.RGBA{uint8(4 * x), uint8(5 * y), 200, 255})
		}
	}
	return img
}

func pngBytes(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, testImage()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegBytes(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hugePNG is a valid PNG header claiming 100000x100000 pixels.
func hugePNG(t testing.TB) []byte {
	b := pngBytes(t)
	// IHDR width/height start at byte 16.
	h := append([]byte(nil), b[:33]...)
	copy(h[16:], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	binary.BigEndian.PutUint32(h[29:], crc32.ChecksumIEEE(h[12:29]))
	return h
}

func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDecodeFile(t *testing.T) {
	dir := t.TempDir()
	p, j := pngBytes(t), jpegBytes(t)
	tests := []struct {
		name    string
		data    []byte
		wantErr string // substring; "" means success
	}{
		{"png", p, ""},
		{"jpeg", j, ""},
		{"empty", nil, "empty file"},
		{"garbage", []byte("this is not an image at all"), "not a readable image"},
		{"truncated png", p[:len(p)/2], "png"},
		{"truncated jpeg", j[:len(j)/2], "jpeg"},
		{"header only", p[:40], "png"},
		{"decompression bomb", hugePNG(t), "exceeds"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, dir, strings.ReplaceAll(tc.name, " ", "_"), tc.data)
			img, err := DecodeFile(path, 0)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if img.Bounds().Dx() != 64 || img.Bounds().Dy() != 48 {
					t.Errorf("bounds %v", img.Bounds())
				}
				return
			}
			if err == nil {
				t.Fatalf("no error for %s", tc.name)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q should name the file and contain %q", err, tc.wantErr)
			}
		})
	}
	if _, err := DecodeFile(filepath.Join(dir, "missing.png"), 0); err == nil {
		t.Error("no error for a missing file")
	}
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	paths := []string{
		writeFile(t, dir, "a.png", pngBytes(t)),
		writeFile(t, dir, "b.jpg", jpegBytes(t)[:100]),
		filepath.Join(dir, "missing.png"),
		dir, // a directory
		writeFile(t, dir, "c.jpg", jpegBytes(t)),
		writeFile(t, dir, "d.png", nil),
	}
	var rejected []string
	src := NewFiles(paths, Options{OnReject: func(r Rejection) { rejected = append(rejected, filepath.Base(r.Path)) }})
	ctx := context.Background()
	var ids []string
	for {
		f, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if f.Image == nil || f.Time.IsZero() || f.Path == "" {
			t.Errorf("incomplete frame %+v", f)
		}
		ids = append(ids, f.ID)
	}
	if strings.Join(ids, ",") != "a.png,c.jpg" {
		t.Errorf("frames %v, want a.png,c.jpg", ids)
	}
	if len(rejected) != 4 {
		t.Errorf("rejected %v, want 4 files", rejected)
	}
	if _, err := os.Stat(paths[1]); err != nil {
		t.Errorf("Files must not move rejected files: %v", err)
	}
	src.Close()
	if _, err := src.Next(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v, want ErrClosed", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewFiles(paths, Options{}).Next(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

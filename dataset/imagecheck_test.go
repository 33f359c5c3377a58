package dataset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCheckImageFileRealFrames runs the header + end-marker check on the real
// trap photos in ../shared/realframes (JPEGs from phones, DSLRs and trap
// cameras): every intact file passes, and every truncated copy (cut at 50%,
// 90% and one byte short) is named as truncated.
func TestCheckImageFileRealFrames(t *testing.T) {
	paths, _ := filepath.Glob("../../shared/realframes/*/*.jpg")
	if len(paths) == 0 {
		t.Skip("../shared/realframes not found: real-frame image check skipped")
	}
	tmp := t.TempDir()
	var quick, full time.Duration
	for _, p := range paths {
		start := time.Now()
		if err := CheckImageFile(p); err != nil {
			t.Errorf("%s: intact file rejected: %v", p, err)
		}
		quick += time.Since(start)
		start = time.Now()
		if _, _, _, err := DecodeImage(Sample{ImagePath: p}); err != nil {
			t.Errorf("%s: full decode failed: %v", p, err)
		}
		full += time.Since(start)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, cut := range []int{len(data) / 2, len(data) * 9 / 10, len(data) - 1} {
			q := filepath.Join(tmp, "cut.jpg")
			if err := os.WriteFile(q, data[:cut], 0o644); err != nil {
				t.Fatal(err)
			}
			if err := CheckImageFile(q); err == nil || !strings.Contains(err.Error(), "truncated") {
				t.Errorf("%s cut to %d of %d bytes: got %v, want a truncation error", p, cut, len(data), err)
			}
		}
	}
	t.Logf("%d real frames: header + end marker %v, full decode %v", len(paths), quick, full)
}

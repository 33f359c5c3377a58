package agent

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/trapnet/trapnet/detect/realeval"
)

// TestEncodeCropRealFrames: every specimen the agent finds on real frames
// (a light sheet in Vermont, a yellow sticky card) is published as a crop
// within the default caps (192 px, 32 KiB).
func TestEncodeCropRealFrames(t *testing.T) {
	if testing.Short() {
		t.Skip("real frames skipped in -short mode")
	}
	dir := os.Getenv("TRAPNET_REALFRAMES")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "realframes")
	}
	frames := []struct{ trap, file string }{
		{"vermont", "vermont/20220622000459-108-snapshot.jpg"},
		{"sticky", "sticky/20231130_165304.jpg"},
	}
	for _, fr := range frames {
		t.Run(fr.trap, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, fr.file))
			if err != nil {
				t.Skipf("real frames not available (%v): they live in ../shared/realframes beside the repository", err)
			}
			img, err := jpeg.Decode(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			specs, err := NewDetectFinder(realeval.Frame{Trap: fr.trap}.Scale()).Find(img)
			if err != nil || len(specs) == 0 {
				t.Fatalf("%d specimens, %v", len(specs), err)
			}
			var sizes []int
			for i, s := range specs {
				b, err := EncodeCrop(s.Crop, 192, 32<<10)
				if err != nil {
					t.Fatalf("specimen %d (%v): %v", i, s.Crop.Bounds(), err)
				}
				c, err := jpeg.Decode(bytes.NewReader(b))
				if err != nil || max(c.Bounds().Dx(), c.Bounds().Dy()) > 192 {
					t.Fatalf("specimen %d: %v %v", i, c.Bounds(), err)
				}
				sizes = append(sizes, len(b))
			}
			sort.Ints(sizes)
			t.Logf("%s: %d crops, JPEG bytes median %d, max %d", fr.file, len(sizes), sizes[len(sizes)/2], sizes[len(sizes)-1])
		})
	}
}

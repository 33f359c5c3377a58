package trap

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/trapnet/trapnet/synth"
	"github.com/trapnet/trapnet/synth/internal/dirtest"
)

func tinyFrames(dir string) Options {
	o := DefaultOptions()
	o.Dir, o.Frames, o.Width, o.Height, o.PixelsPerMM = dir, 3, 640, 400, 12
	o.MinSpecimens, o.MaxSpecimens = 4, 12
	return o
}

func TestFramesGroundTruth(t *testing.T) {
	for _, bg := range []string{BackgroundSheet, BackgroundSticky} {
		t.Run(bg, func(t *testing.T) {
			o := tinyFrames(t.TempDir())
			o.Background = bg
			gt, err := Generate(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(o.Dir, FramesDir, GroundTruthFile))
			if err != nil {
				t.Fatal(err)
			}
			var back GroundTruth
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(&back, gt) || len(back.Frames) != o.Frames {
				t.Fatalf("ground_truth.json does not match the returned truth (%d frames)", len(back.Frames))
			}
			total := 0
			for _, f := range gt.Frames {
				checkFrame(t, o, f)
				total += len(f.Specimens)
			}
			if total < o.Frames*o.MinSpecimens/2 {
				t.Fatalf("only %d specimens placed on %d frames", total, o.Frames)
			}
		})
	}
}

// checkFrame checks one frame's truth against its image.
func checkFrame(t *testing.T, o Options, f Frame) {
	t.Helper()
	if _, err := time.Parse(time.RFC3339, f.Time); err != nil {
		t.Errorf("%s: time %q: %v", f.File, f.Time, err)
	}
	if f.Country == "" || f.PixelsPerMM != o.PixelsPerMM || f.Background != o.Background {
		t.Errorf("%s: location/scale/background %q %g %q", f.File, f.Country, f.PixelsPerMM, f.Background)
	}
	fh, err := os.Open(filepath.Join(o.Dir, FramesDir, f.File))
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(fh)
	fh.Close()
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds() != image.Rect(0, 0, o.Width, o.Height) {
		t.Fatalf("%s: bounds %v", f.File, img.Bounds())
	}
	var boxes []image.Rectangle
	for i, s := range f.Specimens {
		r := image.Rect(s.Box[0], s.Box[1], s.Box[2], s.Box[3])
		if !r.In(img.Bounds()) || r.Empty() {
			t.Fatalf("%s specimen %d: box %v outside the frame", f.File, i, r)
		}
		for j, q := range boxes {
			if q.Overlaps(r) {
				t.Fatalf("%s: specimens %d and %d overlap: %v %v", f.File, j, i, q, r)
			}
		}
		boxes = append(boxes, r)
		lpx := s.LengthMM * o.PixelsPerMM
		diag := math.Hypot(float64(r.Dx()), float64(r.Dy()))
		if diag < lpx || float64(max(r.Dx(), r.Dy())) > 3.5*lpx {
			t.Errorf("%s specimen %d: box %v inconsistent with length %.1f px", f.File, i, r, lpx)
		}
		if s.Species == "" || s.Genus == "" || s.Order == "" || s.Class != "Insecta" || s.AreaMM2 <= 0 {
			t.Errorf("%s specimen %d: incomplete labels %+v", f.File, i, s)
		}
		darkest, brightest := 255.0, 0.0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				darkest, brightest = math.Min(darkest, lum(img, x, y)), math.Max(brightest, lum(img, x, y))
			}
		}
		// Local background: the mean of a ring just outside the box.
		ring := r.Inset(-4).Intersect(img.Bounds())
		sum, n := 0.0, 0
		for x := ring.Min.X; x < ring.Max.X; x++ {
			sum += lum(img, x, ring.Min.Y) + lum(img, x, ring.Max.Y-1)
			n += 2
		}
		bg := sum / float64(n)
		if s.SpeciesID < 0 {
			// A whitefly on a photo card: pale wings that differ from the
			// yellow card mostly in blue (the real ones by 62-160 levels
			// at their peak, p10-p90, and 20-82 in luma).
			if db := peakBlue(img, r) - ringBlue(img, ring); db < 40 {
				t.Errorf("%s specimen %d (whitefly): bluest pixel only %.0f above the local background", f.File, i, db)
			}
		} else if darkest > bg-50 {
			t.Errorf("%s specimen %d: darkest pixel %.0f vs local background %.0f", f.File, i, darkest, bg)
		}
	}
}

// peakBlue is the largest blue level in r; ringBlue the mean blue of
// ring's top and bottom rows.
func peakBlue(img image.Image, r image.Rectangle) float64 {
	m := 0.0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			_, _, b, _ := img.At(x, y).RGBA()
			m = math.Max(m, float64(b)/257)
		}
	}
	return m
}

func ringBlue(img image.Image, ring image.Rectangle) float64 {
	sum, n := 0.0, 0
	for x := ring.Min.X; x < ring.Max.X; x++ {
		for _, y := range []int{ring.Min.Y, ring.Max.Y - 1} {
			_, _, b, _ := img.At(x, y).RGBA()
			sum += float64(b) / 257
			n++
		}
	}
	return sum / float64(n)
}

func lum(img image.Image, x, y int) float64 {
	r, g, b, _ := img.At(x, y).RGBA()
	return (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 257
}

func TestFramesDeterministic(t *testing.T) {
	var files []map[string][]byte
	for _, w := range []int{1, 2} {
		o := tinyFrames(t.TempDir())
		o.Workers = w
		if _, err := Generate(context.Background(), o); err != nil {
			t.Fatal(err)
		}
		files = append(files, dirtest.Snapshot(t, o.Dir))
	}
	if len(files[0]) != 4 {
		t.Fatalf("%d files, want 3 frames + ground truth", len(files[0]))
	}
	for p, b := range files[0] {
		if !bytes.Equal(b, files[1][p]) {
			t.Fatalf("%s differs between 1 and 2 workers", p)
		}
	}
}

func TestFrameOptionErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"no dir", func(o *Options) { o.Dir = "" }, "directory"},
		{"no frames", func(o *Options) { o.Frames = 0 }, "--frames"},
		{"tiny frame", func(o *Options) { o.Width = 10 }, "frame size"},
		{"range", func(o *Options) { o.MinSpecimens = 9; o.MaxSpecimens = 3 }, "range"},
		{"ppm", func(o *Options) { o.PixelsPerMM = 0 }, "pixels per mm"},
		{"background", func(o *Options) { o.Background = "grass" }, "background"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := tinyFrames(t.TempDir())
			c.edit(&o)
			if _, err := Generate(context.Background(), o); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
}

func TestFramesSeenOnly(t *testing.T) {
	cat, err := synth.NewCatalog(4, 4, 8) // mostly unseen species
	if err != nil {
		t.Fatal(err)
	}
	for _, seenOnly := range []bool{true, false} {
		o := tinyFrames(t.TempDir())
		o.Catalog, o.SeenOnly, o.Frames = cat, seenOnly, 2
		gt, err := Generate(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		unseen := 0
		for _, f := range gt.Frames {
			for _, s := range f.Specimens {
				if s.SpeciesID < 0 {
					if seenOnly {
						t.Errorf("%s: SeenOnly drew a whitefly (no labelled species)", f.File)
					}
					continue
				}
				sp := cat.Species[s.SpeciesID]
				if s.Species != sp.Name || s.Group != sp.Group || s.Seen != sp.Seen {
					t.Fatalf("%s: specimen %+v does not match species %d", f.File, s, s.SpeciesID)
				}
				if !s.Seen {
					unseen++
				}
			}
		}
		if seenOnly && unseen > 0 || !seenOnly && unseen == 0 {
			t.Errorf("SeenOnly=%v: %d unseen specimens", seenOnly, unseen)
		}
	}
}

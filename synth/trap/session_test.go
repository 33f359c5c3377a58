package trap

import (
	"context"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trapnet/trapnet/synth"
)

// sessionFrames generates a small trap session.
func sessionFrames(t *testing.T, edit func(*Options)) (Options, *GroundTruth) {
	t.Helper()
	o := tinyFrames(t.TempDir())
	o.Frames, o.MinSpecimens, o.MaxSpecimens, o.NewMin, o.NewMax = 4, 3, 6, 2, 4
	o.Background = BackgroundSheet
	if edit != nil {
		edit(&o)
	}
	gt, err := Generate(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return o, gt
}

func TestSessionOneTrap(t *testing.T) {
	o, gt := sessionFrames(t, func(o *Options) { o.Background = BackgroundMixed; o.Frames = 3 })
	if gt.Mode != ModeSession || len(gt.Frames) != o.Frames {
		t.Fatalf("mode %q, %d frames", gt.Mode, len(gt.Frames))
	}
	f0 := gt.Frames[0]
	var prev time.Time
	for k, f := range gt.Frames {
		if f.Lat != f0.Lat || f.Lon != f0.Lon || f.Country != f0.Country || f.Province != f0.Province {
			t.Errorf("%s at %g,%g %s/%s, frame 1 at %g,%g %s/%s", f.File, f.Lat, f.Lon, f.Country, f.Province, f0.Lat, f0.Lon, f0.Country, f0.Province)
		}
		if f.Background != f0.Background || f.Background == BackgroundMixed {
			t.Errorf("%s: background %q, frame 1 %q", f.File, f.Background, f0.Background)
		}
		at, err := time.Parse(time.RFC3339, f.Time)
		if err != nil {
			t.Fatal(err)
		}
		if k > 0 && at.Sub(prev) != FrameInterval {
			t.Errorf("%s at %s, %s after the previous frame", f.File, f.Time, at.Sub(prev))
		}
		prev = at
	}
	// The location is the region's, and the region hosts several seen species.
	reg := o.Catalog
	if reg == nil {
		reg, _ = synth.NewCatalog(o.Seed, 20, 2)
	}
	k := regionIndex(t, reg, f0.Country, f0.Province)
	if r := reg.Regions[k]; math.Abs(f0.Lat-r.Lat) > 0.3 || math.Abs(f0.Lon-r.Lon) > 0.3 {
		t.Errorf("trap at %g,%g, region %s centre %g,%g", f0.Lat, f0.Lon, r.Province, r.Lat, r.Lon)
	}
	seen := 0
	for _, sp := range reg.Species {
		if sp.Region == k && sp.Seen {
			seen++
		}
	}
	if seen < 3 {
		t.Errorf("default region %d hosts %d seen species, want several", k, seen)
	}
}

func regionIndex(t *testing.T, cat *synth.Catalog, country, province string) int {
	t.Helper()
	for k, r := range cat.Regions {
		if r.Country == country && r.Province == province {
			return k
		}
	}
	t.Fatalf("no region %s/%s in the catalog", country, province)
	return -1
}

// TestSessionAccumulates checks that every specimen of frame k-1 is on
// frame k with the same ID, box and labels, that the new ones are counted
// in New and first appear there, and that IDs are unique; and on the
// pixels, that old specimens look the same from frame to frame.
func TestSessionAccumulates(t *testing.T) {
	// At quality 90: the comparison of a specimen's pixels from frame to
	// frame below is about the drawing, not JPEG's loss (at the default
	// 75 an unchanged specimen differs by up to 6 levels on 640x400
	// frames, close to a new one's 9).
	o, gt := sessionFrames(t, func(o *Options) { o.Quality = 90 })
	ids := map[string]Specimen{}
	var prevImg image.Image
	for k, f := range gt.Frames {
		checkFrame(t, o, f)
		byID := map[string]Specimen{}
		newHere := 0
		for _, s := range f.Specimens {
			if _, dup := byID[s.ID]; dup || !strings.HasPrefix(s.ID, "s") {
				t.Fatalf("%s: id %q repeated or malformed", f.File, s.ID)
			}
			byID[s.ID] = s
			if s.FirstFrame == f.File {
				newHere++
				if _, seenBefore := ids[s.ID]; seenBefore {
					t.Errorf("%s: %s is new here but was on an earlier frame", f.File, s.ID)
				}
				ids[s.ID] = s
			} else if first, ok := ids[s.ID]; !ok || first.FirstFrame != s.FirstFrame {
				t.Errorf("%s: %s claims first frame %s", f.File, s.ID, s.FirstFrame)
			}
		}
		if newHere != f.New {
			t.Errorf("%s: new = %d, %d specimens first appear here", f.File, f.New, newHere)
		}
		if k == 0 {
			if f.New < o.MinSpecimens || f.New > o.MaxSpecimens {
				t.Errorf("%s: %d specimens on the first frame, want %d-%d", f.File, f.New, o.MinSpecimens, o.MaxSpecimens)
			}
		} else if f.New > o.NewMax {
			t.Errorf("%s: %d new specimens, at most %d", f.File, f.New, o.NewMax)
		}
		img := decodeFrame(t, o, f.File)
		if k > 0 {
			prev := gt.Frames[k-1]
			if len(f.Specimens) != len(prev.Specimens)+f.New {
				t.Errorf("%s: %d specimens, previous frame %d + %d new", f.File, len(f.Specimens), len(prev.Specimens), f.New)
			}
			for _, p := range prev.Specimens {
				s, ok := byID[p.ID]
				if !ok {
					t.Errorf("%s: %s of %s is gone", f.File, p.ID, prev.File)
					continue
				}
				if s != p {
					t.Errorf("%s: %s changed: %+v, was %+v", f.File, p.ID, s, p)
				}
				box := image.Rect(p.Box[0], p.Box[1], p.Box[2], p.Box[3])
				d := meanAbsDiff(img, prevImg, box)
				if d > 6 {
					t.Errorf("%s: %s differs from %s by %.1f levels on average", f.File, p.ID, prev.File, d)
				}
			}
		}
		if k > 0 {
			// The threshold above tells a specimen from empty sheet (old
			// specimens differ by about 3 levels, new ones by 9 or more).
			for _, s := range f.Specimens {
				box := image.Rect(s.Box[0], s.Box[1], s.Box[2], s.Box[3])
				d := meanAbsDiff(img, prevImg, box)
				if s.FirstFrame == f.File && d <= 6 {
					t.Errorf("%s: new %s differs from the empty spot on %s by only %.1f levels", f.File, s.ID, gt.Frames[k-1].File, d)
				}
			}
		}
		prevImg = img
	}
	if len(gt.Frames[len(gt.Frames)-1].Specimens) <= len(gt.Frames[0].Specimens) {
		t.Errorf("no specimens arrived after the first frame")
	}
}

// TestSessionFull checks that a full trap stops taking specimens instead
// of overlapping them.
func TestSessionFull(t *testing.T) {
	o, gt := sessionFrames(t, func(o *Options) {
		o.Width, o.Height, o.Frames, o.MinSpecimens, o.MaxSpecimens, o.NewMin, o.NewMax = 128, 96, 3, 30, 30, 20, 20
	})
	placed := 0
	for k, f := range gt.Frames {
		checkFrame(t, o, f)
		placed += f.New
		if len(f.Specimens) != placed {
			t.Errorf("%s: %d specimens, %d placed so far", f.File, len(f.Specimens), placed)
		}
		if want := []int{30, 20, 20}[k]; f.New >= want {
			t.Errorf("%s: all %d requested specimens fit on a %dx%d frame", f.File, want, o.Width, o.Height)
		}
	}
}

func TestSessionRegionAndStart(t *testing.T) {
	cat, err := synth.NewCatalog(3, 20, 2)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 7, 3, 22, 30, 0, 0, time.UTC)
	for k := range cat.Regions {
		_, gt := sessionFrames(t, func(o *Options) { o.Catalog, o.Region, o.Frames, o.Start = cat, k, 2, start })
		local := 0
		n := 0
		for _, f := range gt.Frames {
			if f.Country != cat.Regions[k].Country || f.Province != cat.Regions[k].Province {
				t.Fatalf("region %d: frame at %s/%s", k, f.Country, f.Province)
			}
			for _, s := range f.Specimens {
				n++
				if cat.Species[s.SpeciesID].Region == k {
					local++
				}
			}
		}
		if gt.Frames[0].Time != start.Format(time.RFC3339) {
			t.Errorf("first frame at %s, want %s", gt.Frames[0].Time, start.Format(time.RFC3339))
		}
		if hosts := len(speciesOf(cat, k)); hosts > 0 && local == 0 {
			t.Errorf("region %d hosts %d species but none of %d specimens is local", k, hosts, n)
		}
	}
	o := tinyFrames(t.TempDir())
	o.Catalog, o.Region = cat, len(cat.Regions)
	if _, err := Generate(context.Background(), o); err == nil || !strings.Contains(err.Error(), "--frame-region") {
		t.Fatalf("region out of range: err = %v", err)
	}
}

func speciesOf(cat *synth.Catalog, region int) []int {
	var out []int
	for i, sp := range cat.Species {
		if sp.Region == region {
			out = append(out, i)
		}
	}
	return out
}

// TestSessionDefaultStart: without Start, sessions begin at dusk (21:00
// local solar time) in the region's flight season.
func TestSessionDefaultStart(t *testing.T) {
	cat, err := synth.NewCatalog(1, 30, 3)
	if err != nil {
		t.Fatal(err)
	}
	for k, reg := range cat.Regions {
		at, err := time.Parse(time.RFC3339, seasonStart(rand.New(rand.NewPCG(uint64(k), 1)), reg).Format(time.RFC3339))
		if err != nil {
			t.Fatal(err)
		}
		local := at.Add(time.Duration(reg.Lon / 15 * float64(time.Hour)))
		if h := local.Hour(); h != 20 && h != 21 {
			t.Errorf("%s: start %s is %s local solar time", reg.Province, at, local.Format("15:04"))
		}
		m := local.Month()
		switch {
		case reg.Lat > 23.5 && m != time.June && m != time.July,
			reg.Lat < -23.5 && m != time.December && m != time.January,
			math.Abs(reg.Lat) <= 23.5 && (m < time.March || m > time.October):
			t.Errorf("%s (lat %g): session in %s", reg.Province, reg.Lat, m)
		}
	}
}

func TestSessionNewRangeError(t *testing.T) {
	o := tinyFrames(t.TempDir())
	o.NewMin, o.NewMax = 5, 2
	if _, err := Generate(context.Background(), o); err == nil || !strings.Contains(err.Error(), "--frame-new-min") {
		t.Fatalf("err = %v", err)
	}
}

func TestFramesIndependent(t *testing.T) {
	o := tinyFrames(t.TempDir())
	o.Independent, o.Frames = true, 6
	gt, err := Generate(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if gt.Mode != ModeIndependent {
		t.Fatalf("mode %q", gt.Mode)
	}
	ids := map[string]bool{}
	places := map[[2]float64]bool{}
	for _, f := range gt.Frames {
		places[[2]float64{f.Lat, f.Lon}] = true
		if f.New != len(f.Specimens) {
			t.Errorf("%s: new %d of %d", f.File, f.New, len(f.Specimens))
		}
		for _, s := range f.Specimens {
			if ids[s.ID] || s.FirstFrame != f.File {
				t.Errorf("%s: id %q repeated or first frame %q", f.File, s.ID, s.FirstFrame)
			}
			ids[s.ID] = true
		}
	}
	if len(places) < 2 {
		t.Errorf("independent frames all at one place")
	}
}

func decodeFrame(t *testing.T, o Options, name string) image.Image {
	t.Helper()
	fh, err := os.Open(filepath.Join(o.Dir, FramesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := jpeg.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// meanAbsDiff is the mean absolute luminance difference of a and b in r.
func meanAbsDiff(a, b image.Image, r image.Rectangle) float64 {
	sum := 0.0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			sum += math.Abs(lum(a, x, y) - lum(b, x, y))
		}
	}
	return sum / float64(r.Dx()*r.Dy())
}

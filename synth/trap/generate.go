package trap

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/trapnet/trapnet/synth"
	"github.com/trapnet/trapnet/synth/internal/pool"
)

// Trap backgrounds.
const (
	// BackgroundSheet is a white light-trap sheet.
	BackgroundSheet = "sheet"
	// BackgroundSticky is a yellow sticky card with a faint printed grid.
	BackgroundSticky = "sticky"
	// BackgroundMixed alternates randomly between the two.
	BackgroundMixed = "mixed"
)

// FramesDir and GroundTruthFile name the frame output inside a dataset dir.
const (
	FramesDir       = "frames"
	GroundTruthFile = "ground_truth.json"
)

// Frame modes (GroundTruth.Mode).
const (
	// ModeSession: all frames come from one trap session (see Options).
	ModeSession = "session"
	// ModeIndependent: every frame is an independent capture at a random region.
	ModeIndependent = "independent"
)

// Options configures Generate.
//
// By default the frames are one trap session: one trap (one region, one
// site, one background, one camera) photographed every FrameInterval.
// Specimens accumulate: every frame shows all specimens of the previous
// frame at the same pixels plus NewMin..NewMax new ones (fewer when the
// trap is full). With Independent, every frame is an independent capture
// at a random region with its own specimens, as before synth/7.
type Options struct {
	// Dir is the dataset directory; frames go to Dir/frames.
	Dir string
	// Frames is the number of frames to write.
	Frames int
	// Width and Height of a frame in pixels.
	Width, Height int
	// MinSpecimens and MaxSpecimens bound the specimens on the first frame
	// of a session (on every frame with Independent). Fewer are placed
	// when the frame is full.
	MinSpecimens, MaxSpecimens int
	// NewMin and NewMax bound the specimens arriving on each frame of a
	// session after the first (ignored with Independent). Fewer are placed
	// when the frame is full.
	NewMin, NewMax int
	// Independent makes every frame an independent capture at a random
	// region (the behaviour before trap sessions).
	Independent bool
	// Region indexes Catalog.Regions: where the trap stands (with
	// Independent: every frame's region). Negative: a session takes a
	// region chosen by Seed among those with several seen species, and
	// independent frames take random regions.
	Region int
	// PixelsPerMM is the frame scale: specimen length in pixels is its
	// length in mm times this.
	PixelsPerMM float64
	// Background is BackgroundSheet, BackgroundSticky or BackgroundMixed
	// (a session picks one of the two for all its frames, independent
	// frames pick one each).
	Background string
	// PhotoCard draws sticky cards as phone photos of used cards look
	// (see doc.go): a darker card covering 55-85 % of the frame on dark
	// cloth, stronger uneven daylight, glue speckle, two punched holes
	// (not_insect objects) and whiteflies, 8-50 per megapixel of card
	// (specimens of no catalog species, SpeciesID -1; none with
	// SeenOnly, as they are no labelled species). On by default; false
	// draws the plain bright card of earlier versions.
	PhotoCard bool
	// Seed makes the frames reproducible.
	Seed uint64
	// Catalog supplies the species; nil means synth.NewCatalog(Seed, 20, 2).
	Catalog *synth.Catalog
	// SeenOnly draws only labelled (seen) species.
	SeenOnly bool
	// Start is the capture time of the first frame. Zero: for a session,
	// 21:00 local solar time on a Seed-chosen night of the region's flight
	// season (June-July north of the tropics, December-January south of
	// them, March-October in the tropics); for independent frames
	// 2024-06-01 21:00 UTC.
	Start time.Time
	// Quality is the JPEG quality (0: 75, the quality of the real trap
	// frames in ../shared/realframes, read from their quantisation tables).
	Quality int
	// Overwrite allows writing into a Dir/frames that holds the frames of
	// an earlier run: its frame_NNNN.jpg files and ground_truth.json are
	// removed first (nothing else is touched), and only when that
	// ground_truth.json was written by synth. Without Overwrite,
	// Generate refuses such a directory, since stale frames of a
	// longer earlier run would remain next to the new ones.
	Overwrite bool
	// Workers is the number of goroutines (0: GOMAXPROCS).
	Workers int
	// Progress, when set, is called from one goroutine after every frame.
	Progress func(done, total int)
}

// FrameInterval is the time between two frames of a trap session.
const FrameInterval = 15 * time.Minute

// DefaultOptions returns the defaults of `trainer synth --frames`: a
// trap session at a Seed-chosen region.
func DefaultOptions() Options {
	return Options{Width: 4096, Height: 2160, MinSpecimens: 2, MaxSpecimens: 20, NewMin: 1, NewMax: 3, Region: -1,
		PixelsPerMM: 20, Background: BackgroundMixed, Seed: 1, Quality: 75, PhotoCard: true}
}

// Specimen is the ground truth of one specimen on a frame.
type Specimen struct {
	// ID names the specimen, unique within the run ("s0001", ...); in a
	// session a specimen keeps its ID on every frame. FirstFrame is the
	// File of the frame where it appeared.
	ID         string `json:"id"`
	FirstFrame string `json:"first_frame"`
	// Box is [x0, y0, x1, y1] in pixels (x1, y1 exclusive), the tight box
	// of everything drawn for the specimen (legs, antennae, wings).
	Box [4]int `json:"box"`
	// BodyBox is the box of the body and wings alone, without legs and
	// antennae: what a person boxes on a real frame (the convention of
	// ../shared/realframes), and what the detector reports.
	BodyBox [4]int `json:"body_box"`
	// SpeciesID indexes the catalog; Species to Phylum are its taxonomy
	// (Species is the binomial, as in the dataset's species column).
	// Whiteflies on PhotoCard cards are no catalog species: SpeciesID -1,
	// Group -1, Seen false, family Aleyrodidae.
	SpeciesID int    `json:"species_id"`
	Species   string `json:"species"`
	Genus     string `json:"genus"`
	Subfamily string `json:"subfamily"`
	Family    string `json:"family"`
	Order     string `json:"order"`
	Class     string `json:"class"`
	Phylum    string `json:"phylum"`
	// LengthMM is this specimen's body length (head to abdomen tip):
	// drawn at LengthMM*PixelsPerMM pixels. AreaMM2 is its silhouette area.
	LengthMM float64 `json:"length_mm"`
	AreaMM2  float64 `json:"area_mm2"`
	// Group is the species' look-alike group (Catalog.Groups); Seen is
	// false for species that only occur in the unseen splits (a trained
	// model does not know them).
	Group int  `json:"group"`
	Seen  bool `json:"seen"`
	// AngleDeg is the head direction in degrees from +x towards +y
	// (clockwise on screen), in [0, 360).
	AngleDeg float64 `json:"angle_deg"`
	// Center is the body centre in pixels.
	Center [2]float64 `json:"center"`
}

// Frame is the ground truth of one frame.
type Frame struct {
	// File is the frame's name inside the frames directory; Time its
	// capture time (RFC 3339); Lat, Lon, Country, Province where the trap
	// stands (one of the catalog's regions). New counts the specimens
	// that appear on this frame for the first time (FirstFrame == File),
	// the others were on the previous frame at the same box.
	File        string     `json:"file"`
	Time        string     `json:"time"`
	Lat         float64    `json:"lat"`
	Lon         float64    `json:"lon"`
	Country     string     `json:"country"`
	Province    string     `json:"province_state"`
	PixelsPerMM float64    `json:"pixels_per_mm"`
	Background  string     `json:"background"`
	New         int        `json:"new"`
	Specimens   []Specimen `json:"specimens"`
	// Objects are the things on the frame that are not specimens but
	// stand out like them (kind not_insect: grommets, the scale bar, the
	// timestamp, a card's punched holes), as ../shared/realframes
	// annotates them. ScaleBar, when the sheet has one, gives its squares'
	// size (detect.Options.ScaleSquareMM).
	Objects  []Object  `json:"objects"`
	ScaleBar *ScaleBar `json:"scale_bar,omitempty"`
	// WhitePoint is the level at which the camera clipped every channel
	// (whitepoint.go; absent: not clipped).
	WhitePoint int `json:"white_point,omitempty"`
}

// GroundTruth is the content of frames/ground_truth.json.
type GroundTruth struct {
	// Version is the generator version; Mode is ModeSession or
	// ModeIndependent.
	Version string  `json:"generator_version"`
	Mode    string  `json:"mode"`
	Seed    uint64  `json:"seed"`
	Width   int     `json:"width"`
	Height  int     `json:"height"`
	Frames  []Frame `json:"frames"`
}

func (o *Options) check() error {
	switch {
	case o.Dir == "":
		return fmt.Errorf("synth frames: output directory is empty")
	case o.Frames < 1:
		return fmt.Errorf("synth frames: --frames must be >= 1, got %d", o.Frames)
	case o.Width < 64 || o.Height < 64 || o.Width > 16384 || o.Height > 16384:
		return fmt.Errorf("synth frames: frame size %dx%d out of range [64, 16384]", o.Width, o.Height)
	case o.MinSpecimens < 0 || o.MaxSpecimens < o.MinSpecimens:
		return fmt.Errorf("synth frames: specimens per frame [%d, %d] (--frame-min, --frame-max) is not a valid range", o.MinSpecimens, o.MaxSpecimens)
	case o.NewMin < 0 || o.NewMax < o.NewMin:
		return fmt.Errorf("synth frames: new specimens per frame [%d, %d] (--frame-new-min, --frame-new-max) is not a valid range", o.NewMin, o.NewMax)
	case !(o.PixelsPerMM > 0):
		return fmt.Errorf("synth frames: pixels per mm must be > 0, got %g", o.PixelsPerMM)
	case o.Background != BackgroundSheet && o.Background != BackgroundSticky && o.Background != BackgroundMixed:
		return fmt.Errorf("synth frames: background %q (want %s, %s or %s)", o.Background, BackgroundSheet, BackgroundSticky, BackgroundMixed)
	case o.Quality < 0 || o.Quality > 100:
		return fmt.Errorf("synth frames: JPEG quality must be in [1, 100], got %d", o.Quality)
	}
	return nil
}

// Validate reports what Generate would reject before it draws
// anything: an invalid option, a Region outside the catalog, or frames of
// an earlier run in Dir/frames without Overwrite. It builds the default
// catalog when Catalog is nil.
func (o Options) Validate() error {
	_, err := o.prepare()
	return err
}

// prepare checks o and fills in the defaults.
func (o Options) prepare() (Options, error) {
	if err := o.check(); err != nil {
		return o, err
	}
	if o.Catalog == nil {
		cat, err := synth.NewCatalog(o.Seed, 20, 2)
		if err != nil {
			return o, err
		}
		o.Catalog = cat
	}
	if n := len(o.Catalog.Regions); o.Region >= n {
		return o, fmt.Errorf("synth frames: --frame-region %d is out of range: the catalog has %d regions (0-%d)", o.Region, n, n-1)
	}
	if o.Quality == 0 {
		o.Quality = 75
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if _, err := framesToReplace(filepath.Join(o.Dir, FramesDir), o.Overwrite); err != nil {
		return o, err
	}
	return o, nil
}

// Generate writes o.Frames synthetic trap frames to Dir/frames/
// (frame_0001.jpg, ...) and their ground truth to
// Dir/frames/ground_truth.json, and returns the ground truth. Output bytes
// depend only on the options other than Workers and Progress. Frames of
// an earlier run in Dir/frames are an error unless o.Overwrite; if
// Generate fails or is cancelled, it removes the frames it wrote.
func Generate(ctx context.Context, o Options) (*GroundTruth, error) {
	o, err := o.prepare()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(o.Dir, FramesDir)
	old, err := framesToReplace(dir, o.Overwrite)
	if err != nil {
		return nil, err
	}
	for _, p := range old {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("synth frames: removing the earlier run: %w", err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("synth frames: %w", err)
	}
	gt := &GroundTruth{Version: synth.Version, Mode: ModeSession, Seed: o.Seed, Width: o.Width, Height: o.Height, Frames: make([]Frame, o.Frames)}
	var sess *trapSession
	if o.Independent {
		gt.Mode = ModeIndependent
		if o.Start.IsZero() {
			o.Start = time.Date(2024, 6, 1, 21, 0, 0, 0, time.UTC)
		}
	} else {
		sess = newTrapSession(&o)
	}
	type job struct {
		i   int
		img *image.RGBA // a session frame before camera effects; nil: render an independent frame
	}
	firstErr := pool.Run(ctx, o.Frames, o.Workers,
		func(i int) job {
			j := job{i: i}
			if sess != nil {
				// Sessions are sequential: frame i adds to frame i-1.
				j.img = sess.next(i, &gt.Frames[i])
			}
			return j
		},
		func(buf *bytes.Buffer, j job) error {
			img := j.img
			if img == nil {
				img = renderFrame(&o, j.i, &gt.Frames[j.i])
			} else {
				sess.camera(j.i, img, &gt.Frames[j.i])
			}
			return writeFrame(buf, &o, img, &gt.Frames[j.i], dir)
		},
		o.Progress)
	if firstErr == nil {
		firstErr = writeGroundTruth(dir, gt)
	}
	if firstErr != nil {
		for i := 0; i < o.Frames; i++ {
			_ = os.Remove(filepath.Join(dir, frameName(i)))
		}
		return nil, firstErr
	}
	return gt, nil
}

// frameName is the file name of frame i (0-based).
func frameName(i int) string { return fmt.Sprintf("frame_%04d.jpg", i+1) }

// writeGroundTruth numbers the specimens of independent frames and writes
// ground_truth.json.
func writeGroundTruth(dir string, gt *GroundTruth) error {
	if gt.Mode == ModeIndependent {
		id := 0
		for f := range gt.Frames {
			ft := &gt.Frames[f]
			ft.New = len(ft.Specimens)
			for k := range ft.Specimens {
				id++
				ft.Specimens[k].ID, ft.Specimens[k].FirstFrame = specimenID(id), ft.File
			}
		}
	}
	b, err := json.MarshalIndent(gt, "", "  ")
	if err != nil {
		return fmt.Errorf("synth frames: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, GroundTruthFile), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("synth frames: %w", err)
	}
	return nil
}

// specimenID names the n-th specimen of a run (1-based).
func specimenID(n int) string { return fmt.Sprintf("s%04d", n) }

// writeFrame encodes img and writes it as ft.File.
func writeFrame(buf *bytes.Buffer, o *Options, img *image.RGBA, ft *Frame, dir string) error {
	buf.Reset()
	if err := jpeg.Encode(buf, img, &jpeg.Options{Quality: o.Quality}); err != nil {
		return fmt.Errorf("synth frames: %s: %w", ft.File, err)
	}
	if err := os.WriteFile(filepath.Join(dir, ft.File), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("synth frames: %w", err)
	}
	return nil
}

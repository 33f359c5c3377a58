package synth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
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

// FrameOptions configures GenerateFrames.
type FrameOptions struct {
	// Dir is the dataset directory; frames go to Dir/frames.
	Dir string
	// Frames is the number of frames to write.
	Frames int
	// Width and Height of a frame in pixels.
	Width, Height int
	// MinSpecimens and MaxSpecimens bound the specimens per frame. Fewer are
	// placed when the frame is full.
	MinSpecimens, MaxSpecimens int
	// PixelsPerMM is the frame scale: specimen length in pixels is its
	// length in mm times this.
	PixelsPerMM float64
	// Background is BackgroundSheet, BackgroundSticky or BackgroundMixed.
	Background string
	// Seed makes the frames reproducible.
	Seed uint64
	// Catalog supplies the species; nil means NewCatalog(Seed, 20, 2).
	Catalog *Catalog
	// SeenOnly draws only labelled (seen) species.
	SeenOnly bool
	// Start is the capture time of the first frame (zero: 2024-06-01 21:00 UTC).
	Start time.Time
	// Quality is the JPEG quality (0: 90).
	Quality int
	// Workers is the number of goroutines (0: GOMAXPROCS).
	Workers int
	// Progress, when set, is called from one goroutine after every frame.
	Progress func(done, total int)
}

// DefaultFrameOptions returns the defaults of `trainer synth --frames`.
func DefaultFrameOptions() FrameOptions {
	return FrameOptions{Width: 4096, Height: 2160, MinSpecimens: 5, MaxSpecimens: 40, PixelsPerMM: 20, Background: BackgroundMixed, Seed: 1, Quality: 90}
}

// FrameSpecimen is the ground truth of one specimen on a frame.
type FrameSpecimen struct {
	// Box is [x0, y0, x1, y1] in pixels (x1, y1 exclusive), the tight box
	// of everything drawn for the specimen (legs, antennae, wings).
	Box [4]int `json:"box"`
	// SpeciesID indexes the catalog; Species to Phylum are its taxonomy
	// (Species is the binomial, as in the dataset's species column).
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

// FrameTruth is the ground truth of one frame.
type FrameTruth struct {
	// File is the frame's name inside the frames directory; Time its
	// capture time (RFC 3339); Lat, Lon, Country, Province where the trap
	// stands (one of the catalog's regions).
	File        string          `json:"file"`
	Time        string          `json:"time"`
	Lat         float64         `json:"lat"`
	Lon         float64         `json:"lon"`
	Country     string          `json:"country"`
	Province    string          `json:"province_state"`
	PixelsPerMM float64         `json:"pixels_per_mm"`
	Background  string          `json:"background"`
	Specimens   []FrameSpecimen `json:"specimens"`
}

// GroundTruth is the content of frames/ground_truth.json.
type GroundTruth struct {
	Version string       `json:"generator_version"`
	Seed    uint64       `json:"seed"`
	Width   int          `json:"width"`
	Height  int          `json:"height"`
	Frames  []FrameTruth `json:"frames"`
}

func (o *FrameOptions) check() error {
	switch {
	case o.Dir == "":
		return fmt.Errorf("synth frames: output directory is empty")
	case o.Frames < 1:
		return fmt.Errorf("synth frames: --frames must be >= 1, got %d", o.Frames)
	case o.Width < 64 || o.Height < 64 || o.Width > 16384 || o.Height > 16384:
		return fmt.Errorf("synth frames: frame size %dx%d out of range [64, 16384]", o.Width, o.Height)
	case o.MinSpecimens < 0 || o.MaxSpecimens < o.MinSpecimens:
		return fmt.Errorf("synth frames: specimens per frame [%d, %d] is not a valid range", o.MinSpecimens, o.MaxSpecimens)
	case !(o.PixelsPerMM > 0):
		return fmt.Errorf("synth frames: pixels per mm must be > 0, got %g", o.PixelsPerMM)
	case o.Background != BackgroundSheet && o.Background != BackgroundSticky && o.Background != BackgroundMixed:
		return fmt.Errorf("synth frames: background %q (want %s, %s or %s)", o.Background, BackgroundSheet, BackgroundSticky, BackgroundMixed)
	case o.Quality < 0 || o.Quality > 100:
		return fmt.Errorf("synth frames: JPEG quality must be in [1, 100], got %d", o.Quality)
	}
	return nil
}

// GenerateFrames writes o.Frames synthetic trap frames to Dir/frames/
// (frame_0001.jpg, ...) and their ground truth to
// Dir/frames/ground_truth.json, and returns the ground truth. Output bytes
// depend only on the options other than Workers and Progress.
func GenerateFrames(ctx context.Context, o FrameOptions) (*GroundTruth, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	if o.Catalog == nil {
		cat, err := NewCatalog(o.Seed, 20, 2)
		if err != nil {
			return nil, err
		}
		o.Catalog = cat
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2024, 6, 1, 21, 0, 0, 0, time.UTC)
	}
	if o.Quality == 0 {
		o.Quality = 90
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	dir := filepath.Join(o.Dir, FramesDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("synth frames: %w", err)
	}
	gt := &GroundTruth{Version: Version, Seed: o.Seed, Width: o.Width, Height: o.Height, Frames: make([]FrameTruth, o.Frames)}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	results := make(chan error, o.Workers)
	var wg sync.WaitGroup
	for w := 0; w < o.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for i := range jobs {
				results <- writeFrame(&buf, &o, i, &gt.Frames[i], dir)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := 0; i < o.Frames; i++ {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	n := 0
	var firstErr error
	for err := range results {
		if err != nil && firstErr == nil {
			firstErr = err
			cancel()
		}
		n++
		if o.Progress != nil {
			o.Progress(n, o.Frames)
		}
	}
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return nil, firstErr
	}
	b, err := json.MarshalIndent(gt, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("synth frames: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, GroundTruthFile), append(b, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("synth frames: %w", err)
	}
	return gt, nil
}

// writeFrame renders frame i, fills its truth and writes the JPEG.
func writeFrame(buf *bytes.Buffer, o *FrameOptions, i int, ft *FrameTruth, dir string) error {
	img := renderFrame(o, i, ft)
	buf.Reset()
	if err := jpeg.Encode(buf, img, &jpeg.Options{Quality: o.Quality}); err != nil {
		return fmt.Errorf("synth frames: frame %d: %w", i+1, err)
	}
	if err := os.WriteFile(filepath.Join(dir, ft.File), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("synth frames: %w", err)
	}
	return nil
}

package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"time"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/synth/internal/pool"
)

// MetadataFile is the name of the metadata CSV inside a dataset directory.
const MetadataFile = "BIOSCAN_5M_Insect_Dataset_metadata.csv"

// Options configures Generate.
type Options struct {
	// Dir is the output directory (created if needed).
	Dir string
	// Species is the number of labelled (seen) species.
	Species int
	// Unseen is the number of species only in the unseen splits; negative
	// means max(1, Species/10).
	Unseen int
	// Images is the total number of rows/images.
	Images int
	// Seed makes everything reproducible.
	Seed uint64
	// Imbalance is the ratio of the most to the least frequent labelled
	// species' row counts (>= 1).
	Imbalance float64
	// Size is the short side of the images in pixels (256 = published).
	Size int
	// Square forces square images (Size x Size) instead of the published
	// cropped_256 convention (short side Size, long side by crop aspect).
	Square bool
	// Quality is the JPEG quality (1-100).
	Quality int
	// Overwrite allows writing into a Dir that holds synth's dataset
	// output of an earlier run: its metadata CSV, synth_info.json and the
	// .jpg files under images/cropped_256/<split>/ are removed first
	// (nothing else is touched), and only when synth_info.json shows synth
	// wrote them. Without Overwrite, Generate refuses such a directory,
	// since the earlier run's images would remain next to the new ones.
	Overwrite bool
	// Workers is the number of drawing goroutines (0: GOMAXPROCS).
	Workers int
	// Progress, when set, is called from one goroutine after every image.
	Progress func(done, total int)
}

// DefaultOptions returns the defaults of `trainer synth`.
func DefaultOptions() Options {
	return Options{Species: 20, Unseen: -1, Images: 2000, Seed: 1, Imbalance: 20, Size: CropShortSide, Quality: 90}
}

// Summary reports what Generate wrote.
type Summary struct {
	// Dir is the output directory; Rows, Species and UnseenSpecies count
	// what was written; Splits counts rows per split; SpeciesCounts the
	// labelled (train+val+test) rows per species; ImbalanceRatio is the
	// largest over the smallest of those; Duration the wall time.
	Dir            string         `json:"dir"`
	Rows           int            `json:"rows"`
	Species        int            `json:"species"`
	UnseenSpecies  int            `json:"unseen_species"`
	Splits         map[string]int `json:"splits"`
	SpeciesCounts  map[string]int `json:"species_counts"` // labelled (train+val+test) rows per species
	ImbalanceRatio float64        `json:"imbalance_ratio"`
	Duration       time.Duration  `json:"duration_ns"`
}

func (o *Options) check() error {
	switch {
	case o.Dir == "":
		return fmt.Errorf("synth: output directory is empty")
	case o.Species < 2:
		return fmt.Errorf("synth: --species must be >= 2, got %d", o.Species)
	case o.Images < 1:
		return fmt.Errorf("synth: --images must be >= 1, got %d", o.Images)
	case !(o.Imbalance >= 1):
		return fmt.Errorf("synth: --imbalance must be >= 1, got %g", o.Imbalance)
	case o.Size < 16 || o.Size > 4096:
		return fmt.Errorf("synth: --size must be in [16, 4096], got %d", o.Size)
	case o.Quality < 1 || o.Quality > 100:
		return fmt.Errorf("synth: JPEG quality must be in [1, 100], got %d", o.Quality)
	}
	return nil
}

// Validate reports what Generate would reject before it draws anything:
// an invalid option, or an earlier dataset in Dir without Overwrite (or
// one that synth did not write).
func (o Options) Validate() error {
	if err := o.check(); err != nil {
		return err
	}
	return prepareDatasetDir(o.Dir, o.Overwrite, true)
}

// Generate writes a synthetic dataset in the BIOSCAN-5M layout to o.Dir:
// synth_info.json, images/cropped_256/<split>/[<chunk>/]<processid>.jpg
// and, last, the metadata CSV. Output bytes depend only on the options
// other than Workers and Progress. A Dir holding an earlier dataset is an
// error unless o.Overwrite, which removes synth's earlier output first.
func Generate(ctx context.Context, o Options) (Summary, error) {
	start := time.Now()
	if err := o.Validate(); err != nil {
		return Summary{}, err
	}
	if o.Unseen < 0 {
		o.Unseen = max(1, o.Species/10)
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	cat, err := NewCatalog(o.Seed, o.Species, o.Unseen)
	if err != nil {
		return Summary{}, err
	}
	rows, err := allocate(cat, &o)
	if err != nil {
		return Summary{}, err
	}
	dirs := map[string]bool{}
	for i := range rows {
		rows[i].plan(cat, &o)
		dirs[filepath.Dir(ImagePath(rows[i].processid, rows[i].split, rows[i].chunk))] = true
	}
	if err := prepareDatasetDir(o.Dir, o.Overwrite, false); err != nil {
		return Summary{}, err
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return Summary{}, fmt.Errorf("synth: %w", err)
	}
	// synth_info.json first: it marks the directory as synth's, so that
	// the images of an interrupted run can be replaced with Overwrite.
	sum := summarize(cat, rows, &o)
	if err := writeInfo(filepath.Join(o.Dir, InfoFile), cat, &o, sum); err != nil {
		return Summary{}, err
	}
	for d := range dirs {
		if err := os.MkdirAll(filepath.Join(o.Dir, d), 0o755); err != nil {
			return Summary{}, fmt.Errorf("synth: %w", err)
		}
	}
	if err := writeImages(ctx, cat, rows, &o); err != nil {
		return Summary{}, err
	}
	if err := writeCSV(filepath.Join(o.Dir, MetadataFile), cat, rows); err != nil {
		return Summary{}, err
	}
	sum.Duration = time.Since(start)
	return sum, nil
}

// writeImages draws and encodes every row's image with a worker pool.
func writeImages(ctx context.Context, cat *Catalog, rows []row, o *Options) error {
	return pool.Run(ctx, len(rows), o.Workers,
		func(i int) int { return i },
		func(buf *bytes.Buffer, i int) error { return writeImage(buf, cat, &rows[i], o) },
		o.Progress)
}

func writeImage(buf *bytes.Buffer, cat *Catalog, r *row, o *Options) error {
	rng := rand.New(rand.NewPCG(r.seed, 0x1a9e))
	img := renderCrop(rng, &cat.Species[r.species], r.pose, r.geom)
	buf.Reset()
	if err := jpeg.Encode(buf, img, &jpeg.Options{Quality: o.Quality}); err != nil {
		return fmt.Errorf("synth: row %d (%s): %w", r.index, r.processid, err)
	}
	path := filepath.Join(o.Dir, ImagePath(r.processid, r.split, r.chunk))
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("synth: row %d: %w", r.index, err)
	}
	return nil
}

// writeCSV writes the metadata file atomically (temp file, then rename).
func writeCSV(path string, cat *Catalog, rows []row) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	w := csv.NewWriter(f)
	werr := w.Write(dataset.BIOSCANColumns)
	for i := range rows {
		if werr != nil {
			break
		}
		werr = w.Write(rows[i].record(cat, rows[i].barcode(cat)))
	}
	w.Flush()
	if werr == nil {
		werr = w.Error()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("synth: writing %s: %w", path, werr)
	}
	return os.Rename(tmp, path)
}

// summarize counts rows per split and labelled rows per species.
func summarize(cat *Catalog, rows []row, o *Options) Summary {
	s := Summary{Dir: o.Dir, Rows: len(rows), Species: o.Species, UnseenSpecies: o.Unseen, Splits: map[string]int{}, SpeciesCounts: map[string]int{}}
	for i := range rows {
		s.Splits[rows[i].split]++
		switch rows[i].split {
		case dataset.SplitTrain, dataset.SplitVal, dataset.SplitTest:
			s.SpeciesCounts[cat.Species[rows[i].species].Name]++
		}
	}
	var c []int
	for _, n := range s.SpeciesCounts {
		c = append(c, n)
	}
	sort.Ints(c)
	if len(c) > 0 && c[0] > 0 {
		s.ImbalanceRatio = float64(c[len(c)-1]) / float64(c[0])
	}
	return s
}

// String is the one-line summary printed by `trainer synth`.
func (s Summary) String() string {
	out := fmt.Sprintf("synth: %d rows, %d species (+%d unseen) in %s;", s.Rows, s.Species, s.UnseenSpecies, s.Duration.Round(time.Millisecond))
	for _, sp := range dataset.Splits {
		if n := s.Splits[sp]; n > 0 {
			out += fmt.Sprintf(" %s=%d", sp, n)
		}
	}
	return out + fmt.Sprintf("; imbalance %.1f:1 -> %s", s.ImbalanceRatio, s.Dir)
}

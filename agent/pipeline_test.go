package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/outbox"
	"github.com/trapnet/trapnet/agent/uncertain"
	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/metadata"
)

// fakeClassifier labels a crop by its red value: 200 -> "Drosophila
// melanogaster" (0.9), 100 -> "Musca domestica" (0.4, uncertain), 0 fails.
type fakeClassifier struct {
	mu   sync.Mutex
	rows []metadata.Row
}

func (f *fakeClassifier) Classify(crop image.Image, row metadata.Row) ([]Prediction, error) {
	f.mu.Lock()
	f.rows = append(f.rows, row)
	f.mu.Unlock()
	r, _, _, _ := crop.At(crop.Bounds().Min.X, crop.Bounds().Min.Y).RGBA()
	switch r >> 8 {
	case 200:
		return []Prediction{{"Musca domestica", 0.05}, {"Drosophila melanogaster", 0.9}, {"Apis mellifera", 0.05}}, nil
	case 100:
		return []Prediction{{"Musca domestica", 0.4}, {"Drosophila melanogaster", 0.35}, {"Apis mellifera", 0.25}}, nil
	}
	return nil, errors.New("fake: cannot classify")
}

func (f *fakeClassifier) Version() string { return "fake-1" }

// fakeFinder returns fixed specimens, solid crops of the given red values.
type fakeFinder struct {
	reds []uint8
	old  map[int]bool // indices that are not new
}

func (f fakeFinder) Find(img image.Image) ([]Specimen, error) {
	var out []Specimen
	for i, r := range f.reds {
		crop := image.NewRGBA(image.Rect(0, 0, 8, 8))
		for p := 0; p < len(crop.Pix); p += 4 {
			crop.Pix[p], crop.Pix[p+3] = r, 255
		}
		out = append(out, Specimen{Box: image.Rect(i*10, 0, i*10+8, 8), Crop: crop, New: !f.old[i], TrackID: i + 1,
			Size: Size{AreaPx: 40, ImageMeasurementValue: 5000, AreaFraction: 0.01, ScaleFactor: 1.2, LengthMM: 3}})
	}
	return out, nil
}

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	c, err := config.Parse([]byte(`
trap: {id: t1, location: {lat: 45.5, lon: -73.5, country: Canada, region: Quebec}, timezone: America/Toronto, static: {habitat: orchard}}
model: {min_confidence: 0.5, top_k: 2}
alerts:
  - {name: flies, labels: [Drosophila], min_count: 2, window: 1h, min_confidence: 0.6}
`), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newPipeline(t *testing.T, f Finder, c Classifier) (*Pipeline, *outbox.Outbox, *uncertain.Store) {
	t.Helper()
	cfg := testConfig(t)
	box, err := outbox.Open(filepath.Join(t.TempDir(), "o.db"), outbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { box.Close() })
	unc, err := uncertain.Open(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	p := &Pipeline{Cfg: cfg, Finder: f, Classifier: c, Outbox: box, Uncertain: unc, Alerts: NewAlerts("t1", cfg.Alerts),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return p, box, unc
}

func frame(id string) camera.Frame {
	// 23:30 on 31 May in Toronto is 03:30 UTC on 1 June.
	return camera.Frame{ID: id, Image: image.NewUniform(color.White), Time: time.Date(2026, 6, 1, 3, 30, 0, 0, time.UTC)}
}

func TestProcessFrame(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) { testProcessFrame(t, workers) })
	}
}

func testProcessFrame(t *testing.T, workers int) {
	fc := &fakeClassifier{}
	p, box, unc := newPipeline(t, fakeFinder{reds: []uint8{200, 100, 0, 200, 200}, old: map[int]bool{4: true}}, fc)
	p.Workers = workers
	sum, err := p.Process(frame("f1.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Specimens != 5 || sum.New != 3 || sum.Uncertain != 1 || sum.Errors != 1 || sum.Counts["Drosophila melanogaster"] != 2 {
		t.Fatalf("summary %+v", sum)
	}
	es, _ := box.Peek(100)
	var topics []string
	for _, e := range es {
		topics = append(topics, strings.TrimPrefix(e.Topic, "trapnet/t1/"))
	}
	if got := strings.Join(topics, ","); got != "detections,detections,detections,alerts,counts,frames" {
		t.Fatalf("topics %s", got)
	}
	var d Detection
	if err := json.Unmarshal(es[0].Payload, &d); err != nil {
		t.Fatal(err)
	}
	if d.Label != "Drosophila melanogaster" || d.Uncertain || len(d.TopK) != 2 || d.TrapID != "t1" || d.FrameID != "f1.jpg" ||
		d.LocalDate != "2026-05-31" || d.ModelVersion != "fake-1" || len(d.CropSHA256) != 64 || *d.Location.Lat != 45.5 {
		t.Fatalf("detection %+v", d)
	}
	var u Detection
	json.Unmarshal(es[1].Payload, &u)
	if !u.Uncertain || u.Label != "Musca domestica" {
		t.Fatalf("uncertain detection %+v", u)
	}
	if unc.Stats().Saved != 1 {
		t.Fatalf("uncertain store %+v", unc.Stats())
	}
	row := fc.rows[0] // every row of this frame is the same
	for k, want := range map[string]string{"country": "Canada", "province_state": "Quebec", "coord-lat": "45.5", "date": "2026-05-31",
		"hour": "23", "habitat": "orchard", "trap_id": "t1", "image_measurement_value": "5000", "scale_factor": "1.2"} {
		if row[k] != want {
			t.Errorf("metadata %s = %q, want %q", k, row[k], want)
		}
	}
	// Ids are deterministic (re-processing a frame after a crash gives the same ids).
	p2, box2, _ := newPipeline(t, fakeFinder{reds: []uint8{200}}, &fakeClassifier{})
	p2.Process(frame("f1.jpg"))
	es2, _ := box2.Peek(1)
	var d2 Detection
	json.Unmarshal(es2[0].Payload, &d2)
	if d2.ID != d.ID {
		t.Fatalf("ids differ: %s vs %s", d.ID, d2.ID)
	}
}

func TestMetadataEncodesWithSchema(t *testing.T) {
	s := metadata.DefaultBIOSCAN()
	ft, _ := metadata.NewFitter(s)
	ft.Add(metadata.Row{"country": "Canada", "image_measurement_value": "4000", "area_fraction": "0.02", "scale_factor": "1"})
	ft.Add(metadata.Row{"country": "Peru", "image_measurement_value": "9000", "area_fraction": "0.05", "scale_factor": "2"})
	s = ft.Finish()
	row := MetaRow(testConfig(t), time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), Size{AreaPx: 10, ImageMeasurementValue: 5000, AreaFraction: 0.03, ScaleFactor: 1.5})
	v, errs := s.Encode(nil, row)
	if len(errs) != 0 || len(v) != s.Dim() {
		t.Fatalf("encode: %v (len %d, dim %d)", errs, len(v), s.Dim())
	}
	if v[0] != 1 { // country Canada is vocab slot 0
		t.Fatalf("country one-hot %v", v[:4])
	}
	// Unknown size encodes as missing, not as zero.
	row = MetaRow(testConfig(t), time.Now(), Size{})
	if _, ok := row["image_measurement_value"]; ok {
		t.Fatal("unknown size should be missing")
	}
}

func TestRunSkipsBadFrames(t *testing.T) {
	p, box, _ := newPipeline(t, fakeFinder{reds: []uint8{200}}, &fakeClassifier{})
	dir := t.TempDir()
	good, good2 := filepath.Join(dir, "good.png"), filepath.Join(dir, "good2.png")
	writePNG(t, good)
	writePNG(t, good2)
	bad := filepath.Join(dir, "bad.png")
	writeFile(t, bad, []byte("\x89PNG\r\n\x1a\nnot really"))
	empty := filepath.Join(dir, "empty.jpg")
	writeFile(t, empty, nil)
	var rejected int
	src := camera.NewFiles([]string{bad, good, empty, good2}, camera.Options{OnReject: func(camera.Rejection) { rejected++ }})
	if err := p.Run(t.Context(), src, nil, nil); err != nil {
		t.Fatal(err)
	}
	if n := p.Counters().Captures.Load(); n != 2 {
		t.Fatalf("captures %d, want 2 (rejected %d)", n, rejected)
	}
	if d := box.Stats().Depth; d != 7 { // 2 x (detection + day's counts + frame) + 1 alert
		t.Fatalf("outbox depth %d, want 7", d)
	}
}

// scaledFinder is a fakeFinder that reports the scale it measured (and
// specimens a verifier rejected, a veil taken off, a card's noise).
type scaledFinder struct {
	fakeFinder
	s        Scale
	rejected int
	haze     float64
	noise    float64
	surface  string
	newCard  bool
}

func (f scaledFinder) LastFrame() FrameFacts {
	return FrameFacts{Scale: f.s, Rejected: f.rejected, Haze: f.haze, Noise: f.noise, Surface: f.surface, NewCard: f.newCard}
}

// TestFrameMessageScale checks that the frame message says which scale the
// sizes were measured at and where it came from (and the veil taken off,
// and the noise that had a card searched smoothed, and what the frame was
// searched as, and a new card).
func TestFrameMessageScale(t *testing.T) {
	p, box, _ := newPipeline(t, scaledFinder{fakeFinder{reds: []uint8{200}}, Scale{PixelsPerMM: 10.5, Source: "checkerboard"}, 2, 61, 9.3, "grey_card", true}, &fakeClassifier{})
	sum, err := p.Process(frame("f1.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if sum.PixelsPerMM != 10.5 || sum.ScaleSource != "checkerboard" || sum.Rejected != 2 || sum.Haze != 61 || sum.Noise != 9.3 || sum.Surface != "grey_card" || !sum.NewCard {
		t.Fatalf("summary %+v", sum)
	}
	es, _ := box.Peek(100)
	last := es[len(es)-1]
	if !strings.HasSuffix(last.Topic, "/frames") || !strings.Contains(string(last.Payload), `"pixels_per_mm":10.5,"scale_source":"checkerboard","rejected":2,"haze":61,"noise":9.3,"surface":"grey_card","new_card":true`) {
		t.Fatalf("frame message on %s: %s", last.Topic, last.Payload)
	}
}

// TestDetectFinderScale checks that DetectFinder reports the configured
// scale when no checkerboard is in view.
func TestDetectFinderScale(t *testing.T) {
	f := NewDetectFinder(7)
	f.Options.ScaleSquareMM = 2
	img := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for i := range img.Pix {
		img.Pix[i] = 230
	}
	if _, err := f.Find(img); err != nil {
		t.Fatal(err)
	}
	if s := f.LastFrame().Scale; s.PixelsPerMM != 7 || s.Source != "config" {
		t.Fatalf("scale %+v", s)
	}
}

// TestDetectFinderDefersExcess: with MaxNew, a frame reports at most that
// many new specimens, the largest first; the others come back as new on
// the next frames, and each specimen is new exactly once.
func TestDetectFinderDefersExcess(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 800, 200))
	for i := range img.Pix {
		img.Pix[i] = 230
	}
	sides := []int{14, 30, 18, 26, 22, 34, 16} // dark squares, 7 specimens
	for k, s := range sides {
		x0 := 40 + 100*k
		for y := 80; y < 80+s; y++ {
			for x := x0; x < x0+s; x++ {
				img.SetRGBA(x, y, color.RGBA{40, 30, 20, 255})
			}
		}
	}
	f := NewDetectFinder(10)
	f.MaxNew = 3
	newAt := map[int]int{} // box.Min.X -> frame it was new on
	var perFrame []int
	for fr := 1; fr <= 4; fr++ {
		specs, err := f.Find(img)
		if err != nil {
			t.Fatal(err)
		}
		if len(specs) != len(sides) {
			t.Fatalf("frame %d: %d specimens, want %d", fr, len(specs), len(sides))
		}
		n, deferred := 0, 0
		for _, s := range specs {
			if s.New && s.Deferred {
				t.Fatalf("frame %d: %v both new and deferred", fr, s.Box)
			}
			if s.New {
				if s.Crop == nil {
					t.Errorf("frame %d: new specimen %v without a crop", fr, s.Box)
				}
				if prev, ok := newAt[s.Box.Min.X]; ok {
					t.Errorf("specimen at x=%d new on frames %d and %d", s.Box.Min.X, prev, fr)
				}
				newAt[s.Box.Min.X] = fr
				n++
			}
			if s.Deferred {
				deferred++
			}
		}
		perFrame = append(perFrame, n)
		if want := min(3, len(sides)-len(newAt)+n); n != want {
			t.Errorf("frame %d: %d new, want %d", fr, n, want)
		}
		if fr == 1 && deferred != len(sides)-3 {
			t.Errorf("frame 1: %d deferred, want %d", deferred, len(sides)-3)
		}
	}
	if len(newAt) != len(sides) {
		t.Errorf("%d of %d specimens were ever new (per frame %v)", len(newAt), len(sides), perFrame)
	}
	// The largest three first.
	for k, s := range sides {
		if s >= 26 && newAt[40+100*k] != 1 {
			t.Errorf("side %d px new on frame %d, want 1 (largest first)", s, newAt[40+100*k])
		}
	}
}

// deferFinder marks the specimens at the given indices Deferred (not new).
type deferFinder struct {
	fakeFinder
	deferred map[int]bool
}

func (f deferFinder) Find(img image.Image) ([]Specimen, error) {
	specs, err := f.fakeFinder.Find(img)
	for i := range specs {
		if f.deferred[i] {
			specs[i].New, specs[i].Deferred = false, true
		}
	}
	return specs, err
}

func TestFrameSummaryDeferred(t *testing.T) {
	p, _, _ := newPipeline(t, deferFinder{fakeFinder{reds: []uint8{200, 200, 200}}, map[int]bool{1: true, 2: true}}, &fakeClassifier{})
	sum, err := p.Process(frame("f1.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 1 || sum.Deferred != 2 || sum.Specimens != 3 {
		t.Fatalf("summary: %d specimens, %d new, %d deferred; want 3, 1, 2", sum.Specimens, sum.New, sum.Deferred)
	}
}

// greyFinder is a fakeFinder whose frames had no colour and were searched
// as sheets (capture.surface auto).
type greyFinder struct{ fakeFinder }

func (greyFinder) LastFrame() FrameFacts { return FrameFacts{Surface: "sheet", GreySheet: true} }

// TestGreySheetHint: a frame without colour searched as a sheet has the
// pipeline say once, over many frames, how to have a sticky card seen.
func TestGreySheetHint(t *testing.T) {
	p, _, _ := newPipeline(t, greyFinder{fakeFinder{reds: []uint8{200}}}, &fakeClassifier{})
	var logged bytes.Buffer
	p.Log = slog.New(slog.NewTextHandler(&logged, nil))
	for _, id := range []string{"f1.jpg", "f2.jpg", "f3.jpg"} {
		if _, err := p.Process(frame(id)); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(logged.String(), "capture.surface: sticky_card"); n != 1 {
		t.Fatalf("hint logged %d times over 3 frames, want once: %s", n, logged.String())
	}
}

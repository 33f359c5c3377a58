package agent

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/outbox"
	"github.com/trapnet/trapnet/agent/uncertain"
	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/metadata"
)

// Pipeline turns frames into committed outbox messages: it finds specimens,
// classifies the new ones, keeps uncertain crops, evaluates alert rules and
// commits all messages of one frame in a single durable transaction.
type Pipeline struct {
	Cfg        *config.Config
	Finder     Finder
	Classifier Classifier
	Outbox     *outbox.Outbox
	// Uncertain may be nil (uncertain crops are then not kept).
	Uncertain *uncertain.Store
	// Alerts, if set, evaluates the rules; its windows (and the Finder's
	// tracker, if it is Stateful) are committed with each frame's messages.
	Alerts *Alerts
	// Workers classifies up to this many crops of a frame in parallel (the
	// Classifier must then be safe for concurrent use); <= 1: one by one.
	Workers int
	Log     *slog.Logger
	// RetryBase is the first back-off after a failed commit (default 1s).
	RetryBase time.Duration
	// OnCommit, if set, is called with the outbox sequence numbers of a
	// frame's messages and the frame's capture time (for latency tracking).
	OnCommit func(seqs []uint64, capture time.Time)

	counters   Counters
	daily      daily
	greyHinted atomic.Bool // GreySheetHint logged
}

// Counters are the pipeline's running totals (reported on health).
type Counters struct {
	Captures       atomic.Uint64
	FrameErrors    atomic.Uint64
	Specimens      atomic.Uint64
	Detections     atomic.Uint64
	Uncertain      atomic.Uint64
	ClassifyErrors atomic.Uint64
	Alerts         atomic.Uint64
	// CommitErrors counts frames whose outbox commit failed (retried).
	CommitErrors atomic.Uint64
	// CropsSkipped counts crops not published (over crops.max_bytes).
	CropsSkipped atomic.Uint64

	mu      sync.Mutex
	lastErr string
}

// LastError is the reason the latest frame failed ("" once a frame was
// committed since).
func (c *Counters) LastError() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastErr
}

func (c *Counters) setLastError(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lastErr = ""
	if err != nil {
		c.lastErr = err.Error()
	}
}

// Counters returns the running totals.
func (p *Pipeline) Counters() *Counters { return &p.counters }

// Topic returns the full topic of a sub-topic (e.g. "detections").
func (p *Pipeline) Topic(sub string) string { return p.Cfg.Prefix() + sub }

// Process handles one frame and commits its messages to the outbox.
func (p *Pipeline) Process(f camera.Frame) (FrameSummary, error) {
	start := time.Now()
	p.counters.Captures.Add(1)
	capture, timeSource := f.Time, f.TimeSource
	if capture.IsZero() {
		capture, timeSource = start, ""
	}
	trap := p.Cfg.Trap.ID
	stamp := capture.UTC().Format("20060102T150405.000Z")
	sum := FrameSummary{TrapID: trap, FrameID: f.ID, CaptureTime: capture.UTC(), TimeSource: timeSource, Counts: map[string]int{}}
	if f.Image == nil {
		p.counters.FrameErrors.Add(1)
		return sum, fmt.Errorf("frame %s: no image", f.ID)
	}
	fh := frameKeyHash(f.ID, f.Image)
	frameKey := fmt.Sprintf("%s-%s-%s", trap, stamp, hex.EncodeToString(fh[:3]))
	sum.ID = frameKey
	before, err := p.snapshot()
	if err != nil {
		p.counters.FrameErrors.Add(1)
		return sum, fmt.Errorf("frame %s: tracker state: %w", f.ID, err)
	}
	specs, err := p.Finder.Find(f.Image)
	if err != nil {
		p.counters.FrameErrors.Add(1)
		return sum, fmt.Errorf("frame %s: find specimens: %w", f.ID, err)
	}
	sum.Specimens = len(specs)
	if fr, ok := p.Finder.(FrameReporter); ok {
		ff := fr.LastFrame()
		sum.PixelsPerMM, sum.ScaleSource, sum.Rejected, sum.Haze, sum.Noise = ff.Scale.PixelsPerMM, ff.Scale.Source, ff.Rejected, ff.Haze, ff.Noise
		sum.Surface, sum.NewCard = ff.Surface, ff.NewCard
		if ff.NewCard && p.Log != nil {
			p.Log.Info("a new sticky card: its specimens are counted anew", "frame", f.ID, "specimens", len(specs))
		}
		if ff.GreySheet && p.Log != nil && !p.greyHinted.Swap(true) {
			p.Log.Warn(GreySheetHint, "frame", f.ID)
		}
	}
	loc := Location{Lat: p.Cfg.Trap.Location.Lat, Lon: p.Cfg.Trap.Location.Lon, Country: p.Cfg.Trap.Location.Country, Region: p.Cfg.Trap.Location.Region}
	// One model for the whole frame, even if an update swaps it meanwhile.
	cls := p.Classifier
	if sw, ok := cls.(interface{ Current() Classifier }); ok {
		cls = sw.Current()
	}
	results := p.classifyAll(cls, specs, capture)
	var msgs []outbox.Message
	var alerts, classifyErrs uint64
	for i, s := range specs {
		if s.Deferred {
			sum.Deferred++
		}
		if !s.New {
			continue
		}
		res := results[i]
		row, preds, err := res.row, res.preds, res.err
		if err != nil {
			classifyErrs++
			sum.Errors++
			p.Log.Warn("classify failed; specimen skipped", "frame", f.ID, "specimen", i, "err", err)
			continue
		}
		top := TopK(preds, p.Cfg.Model.TopK)
		d := Detection{
			ID: fmt.Sprintf("%s-%03d", frameKey, i), TrapID: trap, FrameID: f.ID,
			CaptureTime: capture.UTC(), LocalDate: row["date"], Location: loc, TrackID: s.TrackID,
			Box:  Box{X0: s.Box.Min.X, Y0: s.Box.Min.Y, X1: s.Box.Max.X, Y1: s.Box.Max.Y},
			Size: s.Size, TopK: top, ModelVersion: cls.Version(), CropSHA256: cropHash(s.Crop),
		}
		if len(top) > 0 {
			d.Label, d.Score = top[0].Label, top[0].Score
		}
		d.Uncertain = len(top) == 0 || d.Score < p.Cfg.Model.MinConfidence
		d.LatencyMS = float64(res.took.Microseconds()) / 1000
		sum.New++
		if d.Uncertain {
			sum.Uncertain++
			sum.Counts["uncertain"]++
			if p.Uncertain != nil {
				if err := p.Uncertain.Save(d.ID, s.Crop, d.Label, d.Score, d.ModelVersion, row); err != nil {
					p.Log.Warn("keeping uncertain crop failed", "id", d.ID, "err", err)
				}
			}
		} else {
			sum.Counts[d.Label]++
		}
		msgs = append(msgs, jsonMessage(p.Topic("detections"), d, prioDetection))
		if c := p.Cfg.Crops; c.Enabled {
			if jpg, err := EncodeCrop(s.Crop, c.MaxSide, c.MaxBytes); err != nil {
				p.counters.CropsSkipped.Add(1)
				p.Log.Warn("crop not published", "id", d.ID, "err", err)
			} else {
				msgs = append(msgs, jsonMessage(p.Topic("crops"), Crop{DetectionID: d.ID, TrapID: trap, JPEG: jpg}, prioCrop))
			}
		}
		if p.Alerts != nil && !d.Uncertain {
			for _, a := range p.Alerts.Observe(d) {
				alerts++
				p.Log.Info("alert", "rule", a.Rule, "count", a.Count)
				msgs = append(msgs, jsonMessage(p.Topic("alerts"), a, prioAlert))
			}
		}
	}
	sum.LatencyMS = float64(time.Since(start).Microseconds()) / 1000
	if today := capture.In(p.Cfg.Location()).Format("2006-01-02"); sum.New > 0 || p.dailyDate() != today {
		m := jsonMessage(p.Topic("counts"), p.daily.add(today, sum.Counts), prioFrame)
		m.Retained = true
		msgs = append(msgs, m)
	}
	msgs = append(msgs, jsonMessage(p.Topic("frames"), sum, prioFrame))
	after, err := p.snapshot()
	var seqs []uint64
	dropped := p.Outbox.Stats().Dropped
	if err == nil {
		seqs, err = p.Outbox.PutState(after, msgs...)
	}
	if n := p.Outbox.Stats().Dropped - dropped; err == nil && n > 0 {
		p.Log.Warn("outbox full: oldest lowest-priority messages dropped (frame summaries first, then detections, then alerts)",
			"dropped", n, "dropped_total", dropped+n, "frame", f.ID)
	}
	if err != nil {
		// Nothing of this frame happened: the tracker and alert windows go
		// back to their state before it, and the caller retries the frame.
		if rerr := p.restore(before); rerr != nil {
			p.Log.Error("restoring tracker state after a failed commit", "err", rerr)
		}
		p.counters.FrameErrors.Add(1)
		p.counters.CommitErrors.Add(1)
		err = fmt.Errorf("frame %s: %w: %w", f.ID, ErrCommit, err)
		p.counters.setLastError(err)
		return sum, err
	}
	p.counters.setLastError(nil)
	p.counters.Specimens.Add(uint64(len(specs)))
	p.counters.Detections.Add(uint64(sum.New))
	p.counters.Uncertain.Add(uint64(sum.Uncertain))
	p.counters.ClassifyErrors.Add(classifyErrs)
	p.counters.Alerts.Add(alerts)
	if p.OnCommit != nil {
		p.OnCommit(seqs, start)
	}
	return sum, nil
}

// dailyDate is the date of the day's counts.
func (p *Pipeline) dailyDate() string {
	p.daily.mu.Lock()
	defer p.daily.mu.Unlock()
	return p.daily.c.Date
}

// classified is the classification of one specimen.
type classified struct {
	row   metadata.Row
	preds []Prediction
	err   error
	took  time.Duration
}

// classifyAll classifies the new specimens, Workers at a time.
func (p *Pipeline) classifyAll(cls Classifier, specs []Specimen, capture time.Time) []classified {
	out := make([]classified, len(specs))
	one := func(i int) {
		t0 := time.Now()
		row := MetaRow(p.Cfg, capture, specs[i].Size)
		preds, err := cls.Classify(specs[i].Crop, row)
		out[i] = classified{row: row, preds: preds, err: err, took: time.Since(t0)}
	}
	if p.Workers <= 1 {
		for i := range specs {
			if specs[i].New {
				one(i)
			}
		}
		return out
	}
	sem := make(chan struct{}, p.Workers)
	var wg sync.WaitGroup
	for i := range specs {
		if !specs[i].New {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			one(i)
		}(i)
	}
	wg.Wait()
	return out
}

// Outbox priorities: when the outbox is full, crops and frame summaries are
// dropped before detections, detections before alerts.
const (
	prioCrop      byte = 0
	prioFrame     byte = 0
	prioDetection byte = 1
	prioAlert     byte = 2
)

func jsonMessage(topic string, v any, prio byte) outbox.Message {
	b, _ := json.Marshal(v) // plain structs of strings and numbers: cannot fail
	return outbox.Message{Topic: topic, Payload: b, QoS: 1, Priority: prio}
}

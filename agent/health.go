package agent

import (
	"sort"
	"sync"
	"time"

	"github.com/trapnet/trapnet/agent/mqttpub"
	"github.com/trapnet/trapnet/agent/outbox"
	"github.com/trapnet/trapnet/agent/uncertain"
)

// Health is the JSON published periodically on <prefix>health.
type Health struct {
	TrapID         string    `json:"trap_id"`
	Time           time.Time `json:"time"`
	UptimeS        float64   `json:"uptime_s"`
	Captures       uint64    `json:"captures"`
	FrameErrors    uint64    `json:"frame_errors"`
	Specimens      uint64    `json:"specimens"`
	Detections     uint64    `json:"detections"`
	Uncertain      uint64    `json:"uncertain"`
	ClassifyErrors uint64    `json:"classify_errors"`
	// CropsSkipped counts crops left unpublished (over crops.max_bytes).
	CropsSkipped uint64 `json:"crops_skipped,omitempty"`
	Alerts       uint64 `json:"alerts"`
	// CommitErrors counts frames whose outbox commit failed (kept in the
	// inbox and retried); LastFrameError says why the latest frame failed
	// (empty once a frame was committed since).
	CommitErrors   uint64 `json:"commit_errors"`
	LastFrameError string `json:"last_frame_error,omitempty"`
	// InboxWarnings counts watch-folder entries left in place: symbolic
	// links, FIFOs and other non-regular files, files that never settle.
	InboxWarnings  uint64          `json:"inbox_warnings"`
	Queue          outbox.Stats    `json:"queue"`
	MQTT           mqttpub.Stats   `json:"mqtt"`
	Disk           Disk            `json:"disk"`
	ModelVersion   string          `json:"model_version"`
	ModelUpdates   UpdateStats     `json:"model_updates"`
	UncertainStore uncertain.Stats `json:"uncertain_store"`
	// CaptureToPubackMS summarises the latency from the start of a frame's
	// processing to the broker's PUBACK of its messages (recent frames).
	CaptureToPubackMS LatencySummary `json:"capture_to_puback_ms"`
}

// Disk is the free space of the state directory's file system.
type Disk struct {
	Path       string `json:"path"`
	FreeBytes  uint64 `json:"free_bytes"`
	TotalBytes uint64 `json:"total_bytes"`
}

// UpdateStats counts model updates; Refused are unsigned, tampered or
// malformed updates, Failed are verified models that did not load or pass
// the self-test (the previous model stayed active).
type UpdateStats struct {
	Applied   uint64 `json:"applied"`
	Refused   uint64 `json:"refused"`
	Failed    uint64 `json:"failed"`
	LastError string `json:"last_error,omitempty"`
	// Version is the highest signed update version the trap accepted.
	Version uint64 `json:"version,omitempty"`
}

// LatencySummary is a small summary of recent latencies.
type LatencySummary struct {
	N    int     `json:"n"`
	Last float64 `json:"last"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
}

// Latency tracks capture-to-PUBACK latency: Committed records when each
// outbox entry's frame started, Acked closes it. It keeps a bounded window.
type Latency struct {
	mu      sync.Mutex
	pending map[uint64]time.Time
	recent  []float64
	last    float64
}

const latencyWindow = 256

// NewLatency returns an empty tracker.
func NewLatency() *Latency { return &Latency{pending: map[uint64]time.Time{}} }

// Committed records the start time of the entries seqs.
func (l *Latency) Committed(seqs []uint64, start time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.pending) > 10000 { // entries dropped from the outbox are never acked
		clear(l.pending)
	}
	for _, s := range seqs {
		l.pending[s] = start
	}
}

// Acked closes the entry seq.
func (l *Latency) Acked(seq uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t, ok := l.pending[seq]
	if !ok {
		return
	}
	delete(l.pending, seq)
	l.last = float64(time.Since(t).Microseconds()) / 1000
	l.recent = append(l.recent, l.last)
	if len(l.recent) > latencyWindow {
		l.recent = l.recent[len(l.recent)-latencyWindow:]
	}
}

// Summary returns the recent latencies' summary.
func (l *Latency) Summary() LatencySummary {
	l.mu.Lock()
	s := append([]float64(nil), l.recent...)
	last := l.last
	l.mu.Unlock()
	if len(s) == 0 {
		return LatencySummary{}
	}
	sort.Float64s(s)
	return LatencySummary{N: len(s), Last: last, P50: s[len(s)/2], P95: s[len(s)*95/100]}
}

package modelupdate

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trapnet/trapnet/agent"
)

// Model is what a loaded candidate must offer.
type Model interface {
	SelfTest() error
	Version() string
}

// Manager applies updates to the model file at Path; the previous model is
// kept at Path+".prev" and the highest accepted version at Path+".version".
type Manager[M Model] struct {
	Path      string
	PublicKey ed25519.PublicKey // nil: every update is refused
	// MaxBytes caps the model file; a payload is refused before it is
	// decoded when it could not hold a model of at most MaxBytes.
	MaxBytes int64
	// Dir, if set, is the only directory file paths in url may name.
	Dir     string
	Load    func(path string) (M, error)
	Install func(M)
	// OnResult, if set, is called after every attempt (err nil on success).
	OnResult func(err error)
	// Client fetches https URLs (default: one with FetchTimeout).
	Client *http.Client
	// FetchTimeout limits a download or file read (default 5 minutes);
	// SelfTestTimeout limits loading and self-testing a candidate
	// (default 1 minute).
	FetchTimeout, SelfTestTimeout time.Duration
	// MinInterval is the least time between two update attempts; payloads
	// arriving sooner are refused unread (0: no limit).
	MinInterval time.Duration
	Log         *slog.Logger

	busy                     atomic.Bool
	applied, refused, failed atomic.Uint64
	mu                       sync.Mutex
	lastErr                  string
	lastTry                  time.Time
}

// Refused marks errors about the payload, its hash or its signature.
//
//lint:ignore ST1012 callers read it as modelupdate.Refused; renaming the exported error is an API change for the agent work, not a lint fix
var Refused = errors.New("model update refused")

// errBusy marks payloads refused unread (rate limit, update in progress);
// they are counted but logged only at debug level, so a flood cannot fill
// the log.
var errBusy = errors.New("busy")

// begin claims the update slot, or returns why not (another update runs,
// or the previous attempt was less than MinInterval ago).
func (m *Manager[M]) begin() error {
	m.mu.Lock()
	now := time.Now()
	if m.MinInterval > 0 && !m.lastTry.IsZero() && now.Sub(m.lastTry) < m.MinInterval {
		m.mu.Unlock()
		return fmt.Errorf("%w: rate limit: at most one update attempt per %v (%w)", Refused, m.MinInterval, errBusy)
	}
	m.mu.Unlock()
	if !m.busy.CompareAndSwap(false, true) {
		return fmt.Errorf("%w: another update is in progress (%w)", Refused, errBusy)
	}
	m.mu.Lock()
	m.lastTry = now
	m.mu.Unlock()
	return nil
}

// Handle applies payload in the background (it never blocks the MQTT
// client); a second update while one runs, or one sooner than MinInterval
// after the last, is refused. payload is used without a copy (a model-sized
// message must not be held twice): the caller must not change it later.
func (m *Manager[M]) Handle(payload []byte) {
	if err := m.begin(); err != nil {
		m.finish(err)
		return
	}
	if int64(len(payload)) > maxPayloadBytes(m.MaxBytes) {
		m.busy.Store(false)
		m.finish(refuse("payload of %d bytes exceeds the %d allowed for model.max_update_bytes %d", len(payload), maxPayloadBytes(m.MaxBytes), m.MaxBytes))
		return
	}
	go func() {
		defer m.busy.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		m.finish(m.apply(ctx, payload))
	}()
}

// Apply applies payload synchronously.
func (m *Manager[M]) Apply(ctx context.Context, payload []byte) error {
	if err := m.begin(); err != nil {
		m.finish(err)
		return err
	}
	defer m.busy.Store(false)
	err := m.apply(ctx, payload)
	m.finish(err)
	return err
}

func (m *Manager[M]) logger() *slog.Logger {
	if m.Log == nil {
		return slog.Default()
	}
	return m.Log
}

func (m *Manager[M]) finish(err error) {
	log := m.logger()
	switch {
	case err == nil:
		m.applied.Add(1)
	case errors.Is(err, errBusy):
		m.refused.Add(1)
		log.Debug("model update refused", "err", err)
	case errors.Is(err, Refused):
		m.refused.Add(1)
		log.Warn("model update refused", "err", err)
	default:
		m.failed.Add(1)
		log.Warn("model update failed; previous model kept", "err", err)
	}
	if errors.Is(err, errBusy) {
		// Counted only: last_error keeps the last real outcome, and a flood
		// of payloads does not become a flood of health messages.
		return
	}
	m.mu.Lock()
	m.lastErr = "" // a successful update clears the last error
	if err != nil {
		m.lastErr = err.Error()
	}
	m.mu.Unlock()
	if m.OnResult != nil {
		m.OnResult(err)
	}
}

// Stats returns the update counters for the health message.
func (m *Manager[M]) Stats() agent.UpdateStats {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, _ := readVersion(m.Path)
	return agent.UpdateStats{Applied: m.applied.Load(), Refused: m.refused.Load(), Failed: m.failed.Load(), LastError: m.lastErr, Version: v}
}

func refuse(format string, a ...any) error {
	return fmt.Errorf("%w: %s", Refused, fmt.Sprintf(format, a...))
}

func (m *Manager[M]) apply(ctx context.Context, payload []byte) error {
	if m.PublicKey == nil {
		return refuse("no model.public_key configured")
	}
	p, want, err := parsePayload(payload, m.MaxBytes)
	if err != nil {
		return err
	}
	if p.Rollback {
		err = VerifyRollback(m.PublicKey, p.Version, p.Signature)
	} else {
		err = Verify(m.PublicKey, want, p.Version, p.Signature)
	}
	if err != nil {
		return refuse("%v", err)
	}
	cur, err := readVersion(m.Path)
	if err != nil {
		return err
	}
	if p.Version <= cur {
		return refuse("version %d is not newer than the accepted version %d (replay or downgrade; send a signed rollback to go back)", p.Version, cur)
	}
	if p.Rollback {
		return m.rollback(ctx, p.Version)
	}
	cand := m.Path + ".new"
	if p.Data != nil {
		err = m.writeInline(cand, p.Data[1:len(p.Data)-1], want)
	} else {
		err = m.fetch(ctx, p.URL, cand, want)
	}
	if err != nil {
		os.Remove(cand)
		return err
	}
	return m.install(ctx, cand, p.Version)
}

// writeInline decodes base64 data into the candidate file, checking size
// and hash as it goes.
func (m *Manager[M]) writeInline(cand string, data []byte, want []byte) error {
	if int64(base64.StdEncoding.DecodedLen(len(data))) > m.MaxBytes+3 {
		return refuse("inline model exceeds %d bytes", m.MaxBytes)
	}
	dec := base64.NewDecoder(base64.StdEncoding, bytes.NewReader(data))
	return m.copyChecked(cand, dec, want, func(err error) error { return refuse("data is not base64") })
}

package modelupdate

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trapnet/trapnet/agent"
)

// Payload is the JSON accepted on <prefix>model/set. Exactly one of URL and
// Data is set.
type Payload struct {
	// URL is http://, https://, file:///path or an absolute path.
	URL string `json:"url,omitempty"`
	// Data is the whole .tflite file, base64.
	Data string `json:"data,omitempty"`
	// SHA256 is the file's hex digest.
	SHA256 string `json:"sha256"`
	// Signature is `trainer sign`'s base64 ed25519 signature.
	Signature string `json:"signature"`
	// Version is informative (the model's own trapnet.version is used).
	Version string `json:"version,omitempty"`
}

// Model is what a loaded candidate must offer.
type Model interface {
	SelfTest() error
	Version() string
}

// Manager applies updates to the model file at Path; the previous model is
// kept at Path+".prev".
type Manager[M Model] struct {
	Path      string
	PublicKey ed25519.PublicKey // nil: every update is refused
	MaxBytes  int64
	Load      func(path string) (M, error)
	Install   func(M)
	// OnResult, if set, is called after every attempt (err nil on success).
	OnResult func(err error)
	Client   *http.Client
	Log      *slog.Logger

	busy                     atomic.Bool
	applied, refused, failed atomic.Uint64
	mu                       sync.Mutex
	lastErr                  string
}

// Refused marks errors about the payload, its hash or its signature.
//
//lint:ignore ST1012 callers read it as modelupdate.Refused; renaming the exported error is an API change for the agent work, not a lint fix
var Refused = errors.New("model update refused")

// Handle applies payload in the background (it never blocks the MQTT
// client); a second update while one runs is refused.
func (m *Manager[M]) Handle(payload []byte) {
	if !m.busy.CompareAndSwap(false, true) {
		m.finish(fmt.Errorf("%w: another update is in progress", Refused))
		return
	}
	p := append([]byte(nil), payload...)
	go func() {
		defer m.busy.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		m.finish(m.apply(ctx, p))
	}()
}

// Apply applies payload synchronously.
func (m *Manager[M]) Apply(ctx context.Context, payload []byte) error {
	if !m.busy.CompareAndSwap(false, true) {
		err := fmt.Errorf("%w: another update is in progress", Refused)
		m.finish(err)
		return err
	}
	defer m.busy.Store(false)
	err := m.apply(ctx, payload)
	m.finish(err)
	return err
}

func (m *Manager[M]) finish(err error) {
	log := m.Log
	if log == nil {
		log = slog.Default()
	}
	switch {
	case err == nil:
		m.applied.Add(1)
	case errors.Is(err, Refused):
		m.refused.Add(1)
		log.Warn("model update refused", "err", err)
	default:
		m.failed.Add(1)
		log.Warn("model update failed; previous model kept", "err", err)
	}
	if err != nil {
		m.mu.Lock()
		m.lastErr = err.Error()
		m.mu.Unlock()
	}
	if m.OnResult != nil {
		m.OnResult(err)
	}
}

// Stats returns the update counters for the health message.
func (m *Manager[M]) Stats() agent.UpdateStats {
	m.mu.Lock()
	defer m.mu.Unlock()
	return agent.UpdateStats{Applied: m.applied.Load(), Refused: m.refused.Load(), Failed: m.failed.Load(), LastError: m.lastErr}
}

func refuse(format string, a ...any) error {
	return fmt.Errorf("%w: %s", Refused, fmt.Sprintf(format, a...))
}

func (m *Manager[M]) apply(ctx context.Context, payload []byte) error {
	if m.PublicKey == nil {
		return refuse("no model.public_key configured")
	}
	var p Payload
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return refuse("payload is not the model/set JSON (%v)", err)
	}
	if (p.URL == "") == (p.Data == "") {
		return refuse("payload needs exactly one of url and data")
	}
	want, err := hex.DecodeString(p.SHA256)
	if err != nil || len(want) != sha256.Size {
		return refuse("sha256 %q is not 64 hex digits", p.SHA256)
	}
	if p.Signature == "" {
		return refuse("unsigned model (no signature)")
	}
	var data []byte
	if p.Data != "" {
		if int64(base64.StdEncoding.DecodedLen(len(p.Data))) > m.MaxBytes+3 {
			return refuse("inline model exceeds %d bytes", m.MaxBytes)
		}
		if data, err = base64.StdEncoding.DecodeString(p.Data); err != nil {
			return refuse("data is not base64: %v", err)
		}
	} else if data, err = m.fetch(ctx, p.URL); err != nil {
		return err
	}
	if int64(len(data)) > m.MaxBytes {
		return refuse("model of %d bytes exceeds %d", len(data), m.MaxBytes)
	}
	if got := sha256.Sum256(data); !bytes.Equal(got[:], want) {
		return refuse("sha256 mismatch: file is %x, payload says %s (tampered or truncated)", got, p.SHA256)
	}
	if err := Verify(m.PublicKey, data, p.Signature); err != nil {
		return refuse("%v", err)
	}
	return m.install(data)
}

// NewPayload builds the model/set JSON for a model file's bytes, inline
// (url empty) or referenced by url.
func NewPayload(model []byte, sig, rawURL string) ([]byte, error) {
	sum := sha256.Sum256(model)
	p := Payload{URL: rawURL, SHA256: hex.EncodeToString(sum[:]), Signature: strings.TrimSpace(sig)}
	if rawURL == "" {
		p.Data = base64.StdEncoding.EncodeToString(model)
	}
	return json.Marshal(p)
}

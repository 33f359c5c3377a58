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
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
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

func (m *Manager[M]) fetch(ctx context.Context, raw string) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, refuse("bad url %q: %v", raw, err)
	}
	var r io.ReadCloser
	switch {
	case u.Scheme == "http" || u.Scheme == "https":
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
		if err != nil {
			return nil, refuse("bad url %q: %v", raw, err)
		}
		c := m.Client
		if c == nil {
			c = &http.Client{Timeout: 5 * time.Minute}
		}
		resp, err := c.Do(req)
		if err != nil {
			return nil, fmt.Errorf("download %s: %w", u.Redacted(), err)
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, fmt.Errorf("download %s: HTTP %s", u.Redacted(), resp.Status)
		}
		r = resp.Body
	case u.Scheme == "file" || u.Scheme == "" && filepath.IsAbs(raw):
		path := raw
		if u.Scheme == "file" {
			path = u.Path
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("model file: %w", err)
		}
		r = f
	default:
		return nil, refuse("url %q: want http(s)://, file:// or an absolute path", raw)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, m.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	return data, nil
}

// install writes, loads and self-tests the candidate, then swaps files and
// the active model. On any failure the active model and file stay.
func (m *Manager[M]) install(data []byte) error {
	cand := m.Path + ".new"
	if err := writeSync(cand, data); err != nil {
		return err
	}
	mod, err := m.Load(cand)
	if err == nil {
		err = mod.SelfTest()
	}
	if err != nil {
		os.Remove(cand)
		return fmt.Errorf("new model rejected, previous kept: %w", err)
	}
	if _, err := os.Stat(m.Path); err == nil {
		if err := os.Rename(m.Path, m.Path+".prev"); err != nil {
			os.Remove(cand)
			return err
		}
	}
	if err := os.Rename(cand, m.Path); err != nil {
		os.Rename(m.Path+".prev", m.Path)
		return err
	}
	syncDir(filepath.Dir(m.Path))
	m.Install(mod)
	return nil
}

// LoadActive loads the model at path; if it fails to load or self-test and
// path+".prev" exists, it rolls back to the previous model (the broken file
// is kept as path+".bad") and loads that.
func LoadActive[M Model](path string, load func(string) (M, error)) (M, error) {
	mod, err := load(path)
	if err == nil {
		if err = mod.SelfTest(); err == nil {
			return mod, nil
		}
	}
	prev := path + ".prev"
	if _, serr := os.Stat(prev); serr != nil {
		return mod, err
	}
	pm, perr := load(prev)
	if perr == nil {
		perr = pm.SelfTest()
	}
	if perr != nil {
		return pm, fmt.Errorf("%v; previous model %s: %w", err, prev, perr)
	}
	os.Rename(path, path+".bad")
	if rerr := os.Rename(prev, path); rerr != nil {
		return pm, rerr
	}
	syncDir(filepath.Dir(path))
	return pm, nil
}

func writeSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
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

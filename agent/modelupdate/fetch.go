package modelupdate

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// fetch reads a model from an http(s) URL, a file:// URL or an absolute
// path, at most MaxBytes+1 bytes (so the caller can tell it is too big).
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

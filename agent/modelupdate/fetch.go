package modelupdate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// fetch streams a model from an https URL, or a regular file under Dir (an
// absolute path or file:// URL), into cand, at most MaxBytes, checking the
// signed hash. Only called after the signature was verified.
func (m *Manager[M]) fetch(ctx context.Context, raw, cand string, want []byte) error {
	u, err := url.Parse(raw)
	if err != nil {
		return refuse("url is not a URL")
	}
	ctx, cancel := context.WithTimeout(ctx, m.fetchTimeout())
	defer cancel()
	switch {
	case u.Scheme == "https":
		return m.download(ctx, u, cand, want)
	case u.Scheme == "file" || u.Scheme == "" && filepath.IsAbs(raw):
		path := raw
		if u.Scheme == "file" {
			path = u.Path
		}
		f, err := m.openUnderDir(path)
		if err != nil {
			return err
		}
		defer f.Close()
		stop := context.AfterFunc(ctx, func() { f.SetReadDeadline(time.Now()) })
		defer stop()
		return m.copyChecked(cand, f, want, func(err error) error { return fmt.Errorf("read model file: %w", err) })
	default:
		return refuse("url %q: want https:// or a path under model.update_dir", u.Redacted())
	}
}

func (m *Manager[M]) fetchTimeout() time.Duration {
	if m.FetchTimeout > 0 {
		return m.FetchTimeout
	}
	return 5 * time.Minute
}

func (m *Manager[M]) download(ctx context.Context, u *url.URL, cand string, want []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return refuse("bad url %q", u.Redacted())
	}
	c := m.Client
	if c == nil {
		c = &http.Client{Timeout: m.fetchTimeout()}
	}
	cc := *c
	cc.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if r.URL.Scheme != "https" {
			return fmt.Errorf("redirect to %s refused: https only", r.URL.Scheme)
		}
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		return nil
	}
	resp, err := cc.Do(req)
	if err != nil {
		return fmt.Errorf("download %s: %w", u.Redacted(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("download %s: HTTP %s", u.Redacted(), resp.Status)
	}
	if resp.ContentLength > m.MaxBytes {
		return refuse("model of %d bytes exceeds %d", resp.ContentLength, m.MaxBytes)
	}
	return m.copyChecked(cand, resp.Body, want, func(err error) error { return fmt.Errorf("download %s: %w", u.Redacted(), err) })
}

// openUnderDir opens path if it names a regular file inside Dir (after
// resolving symbolic links).
func (m *Manager[M]) openUnderDir(path string) (*os.File, error) {
	if m.Dir == "" {
		return nil, refuse("file paths are disabled (no model.update_dir)")
	}
	dir, err := filepath.EvalSymlinks(m.Dir)
	if err != nil {
		return nil, fmt.Errorf("model.update_dir: %w", err)
	}
	real, err := filepath.EvalSymlinks(filepath.Clean(path))
	if err != nil {
		return nil, fmt.Errorf("model file: %w", err)
	}
	if rel, err := filepath.Rel(dir, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return nil, refuse("model file %s is outside model.update_dir %s", path, m.Dir)
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil, fmt.Errorf("model file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, refuse("model file %s is not a regular file", path)
	}
	return os.Open(real)
}

// copyChecked streams r into path (fsync'd), refusing more than MaxBytes or
// content whose SHA-256 is not want. Read errors go through readErr. Error
// messages never contain the data or its hash.
func (m *Manager[M]) copyChecked(path string, r io.Reader, want []byte, readErr func(error) error) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, m.MaxBytes+1))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil && isWriteErr(err, f):
		return err
	case err != nil:
		return readErr(err)
	case n > m.MaxBytes:
		return refuse("model exceeds %d bytes", m.MaxBytes)
	case !bytes.Equal(h.Sum(nil), want):
		return refuse("the file does not match the signed sha256 (tampered or truncated)")
	}
	return nil
}

// isWriteErr reports whether err came from writing or syncing f.
func isWriteErr(err error, f *os.File) bool {
	var pe *os.PathError
	return errors.As(err, &pe) && pe.Path == f.Name()
}

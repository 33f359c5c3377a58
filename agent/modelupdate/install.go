package modelupdate

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// install loads and self-tests the candidate file (under SelfTestTimeout),
// records version, then swaps files and the active model. On any failure
// the active model and file stay.
func (m *Manager[M]) install(ctx context.Context, cand string, version uint64) error {
	mod, err := loadTested(ctx, cand, m.Load, m.SelfTestTimeout)
	if err != nil {
		os.Remove(cand)
		return fmt.Errorf("new model rejected, previous kept: %w", err)
	}
	// The version is recorded first: a crash before the swap then only
	// loses this update, it never makes a replay acceptable.
	if err := writeVersion(m.Path, version); err != nil {
		os.Remove(cand)
		return err
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

// rollback swaps the active model and Path+".prev" (so a second signed
// rollback undoes the first), after loading and self-testing the previous
// model.
func (m *Manager[M]) rollback(ctx context.Context, version uint64) error {
	prev := m.Path + ".prev"
	if _, err := os.Stat(prev); err != nil {
		return fmt.Errorf("rollback: no previous model: %w", err)
	}
	mod, err := loadTested(ctx, prev, m.Load, m.SelfTestTimeout)
	if err != nil {
		return fmt.Errorf("rollback: previous model rejected, current kept: %w", err)
	}
	if err := writeVersion(m.Path, version); err != nil {
		return err
	}
	tmp := m.Path + ".swap"
	if err := os.Rename(m.Path, tmp); err != nil {
		return err
	}
	if err := os.Rename(prev, m.Path); err != nil {
		os.Rename(tmp, m.Path)
		return err
	}
	os.Rename(tmp, prev)
	syncDir(filepath.Dir(m.Path))
	m.Install(mod)
	m.logger().Info("model rolled back to the previous one", "version", version)
	return nil
}

// loadTested loads path and runs the self-test, giving up after timeout
// (default 1 minute) or when ctx ends. A model that hangs the interpreter
// then leaves a goroutine running, but the agent keeps its current model.
func loadTested[M Model](ctx context.Context, path string, load func(string) (M, error), timeout time.Duration) (M, error) {
	if timeout <= 0 {
		timeout = time.Minute
	}
	type result struct {
		m   M
		err error
	}
	done := make(chan result, 1)
	go func() {
		mod, err := load(path)
		if err == nil {
			err = mod.SelfTest()
		}
		done <- result{mod, err}
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	var zero M
	select {
	case r := <-done:
		return r.m, r.err
	case <-t.C:
		return zero, fmt.Errorf("model %s: load and self-test did not finish within %v", path, timeout)
	case <-ctx.Done():
		return zero, fmt.Errorf("model %s: %w", path, ctx.Err())
	}
}

// LoadOptions tune LoadActive.
type LoadOptions struct {
	// Timeout limits loading plus self-test of each file (default 1 minute).
	Timeout time.Duration
	// Log receives the rollback warning (default slog.Default()).
	Log *slog.Logger
}

// LoadActive loads the model at path; if it fails to load or self-test (or
// takes longer than opt.Timeout) and path+".prev" exists, it rolls back to
// the previous model (the broken file is kept as path+".bad"), logs a
// warning and loads that.
func LoadActive[M Model](path string, load func(string) (M, error), opt LoadOptions) (M, error) {
	mod, err := loadTested(context.Background(), path, load, opt.Timeout)
	if err == nil {
		return mod, nil
	}
	prev := path + ".prev"
	if _, serr := os.Stat(prev); serr != nil {
		return mod, err
	}
	pm, perr := loadTested(context.Background(), prev, load, opt.Timeout)
	if perr != nil {
		return pm, fmt.Errorf("%v; previous model %s: %w", err, prev, perr)
	}
	os.Rename(path, path+".bad")
	if rerr := os.Rename(prev, path); rerr != nil {
		return pm, rerr
	}
	syncDir(filepath.Dir(path))
	log := opt.Log
	if log == nil {
		log = slog.Default()
	}
	log.Warn("model failed at start-up; rolled back to the previous model", "path", path, "kept_as", path+".bad", "err", err, "version", pm.Version())
	return pm, nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// LoadTested loads the model at path and runs its self-test within timeout
// (<= 0: 1 minute), changing no file (for `agent check`).
func LoadTested[M Model](path string, load func(string) (M, error), timeout time.Duration) (M, error) {
	return loadTested(context.Background(), path, load, timeout)
}

package modelupdate

import (
	"fmt"
	"os"
	"path/filepath"
)

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

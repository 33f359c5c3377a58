package modelupdate

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// versionFile holds the highest update version the trap accepted, in
// decimal; a missing file means 0.
func versionFile(model string) string { return model + ".version" }

func readVersion(model string) (uint64, error) {
	b, err := os.ReadFile(versionFile(model))
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("model version state: %w", err)
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("model version state %s: not a number (remove it to accept any version)", versionFile(model))
	}
	return v, nil
}

// writeVersion replaces the version file atomically (temporary file,
// fsync, rename).
func writeVersion(model string, v uint64) error {
	path := versionFile(model)
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("model version state: %w", err)
	}
	_, err = f.WriteString(strconv.FormatUint(v, 10) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("model version state: %w", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

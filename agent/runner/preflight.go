package runner

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/modelupdate"
	"github.com/trapnet/trapnet/agent/mqttpub"
)

// Preflight checks everything `agent run` needs from the file system before
// it starts: credential and key files readable and parseable, the watch
// folder present, the state directories writable (probed with a temporary
// file that is removed at once). It does not load the model. Errors are
// joined, each naming the configuration key; warnings are risky but
// working settings (a world-readable password file, a password sent over
// plain tcp://, a snapshot that does not exist yet). Both `agent check`
// and `agent run` call it.
func Preflight(cfg *config.Config) (warnings []string, err error) {
	var errs []error
	bad := func(key string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("config key %s: %w", key, err))
		}
	}
	m := cfg.MQTT
	if m.PasswordFile != "" {
		_, err := mqttpub.ReadPassword(m.PasswordFile)
		bad("mqtt.password_file", err)
		if fi, err := os.Stat(m.PasswordFile); err == nil && fi.Mode().Perm()&0o004 != 0 {
			warnings = append(warnings, fmt.Sprintf("mqtt.password_file %s is readable by every user (chmod 640 or 600)", m.PasswordFile))
		}
		if !isTLS(m.Broker) {
			warnings = append(warnings, fmt.Sprintf("mqtt.broker %s is not TLS: the password is sent in clear text", m.Broker))
		}
	}
	if m.CAFile != "" || m.CertFile != "" || m.KeyFile != "" {
		_, err := mqttpub.TLSConfig(m.CAFile, m.CertFile, m.KeyFile)
		bad("mqtt.ca_file/cert_file/key_file", err)
	}
	if cfg.Model.PublicKey != "" {
		_, err := modelupdate.LoadPublicKey(cfg.Model.PublicKey)
		bad("model.public_key", err)
	}
	if d := cfg.Model.UpdateDir; d != "" {
		bad("model.update_dir", needDir(d))
	}
	switch cfg.Capture.Trigger {
	case "files":
		if err := needDir(cfg.Capture.WatchDir); err != nil {
			bad("capture.watch_dir", err)
		} else {
			bad("capture.watch_dir", writable(cfg.Capture.WatchDir))
		}
	case "interval":
		if fi, err := os.Stat(cfg.Capture.Snapshot); err != nil {
			warnings = append(warnings, fmt.Sprintf("capture.snapshot: %v (frames fail until the camera program writes it)", err))
		} else if !fi.Mode().IsRegular() {
			bad("capture.snapshot", fmt.Errorf("%s is not a regular file", cfg.Capture.Snapshot))
		}
	}
	bad("outbox.path", writable(filepath.Dir(cfg.Outbox.Path)))
	if fi, err := os.Stat(cfg.Outbox.Path); err == nil {
		if !fi.Mode().IsRegular() {
			bad("outbox.path", fmt.Errorf("%s is not a regular file", cfg.Outbox.Path))
		} else if f, err := os.OpenFile(cfg.Outbox.Path, os.O_RDWR, 0); err != nil {
			bad("outbox.path", err)
		} else {
			f.Close()
		}
	}
	if cfg.Uncertain.Dir != "" {
		bad("uncertain.dir", writable(cfg.Uncertain.Dir))
	}
	if err := writable(filepath.Dir(cfg.Model.Path)); err != nil {
		if cfg.Model.PublicKey != "" {
			bad("model.path", fmt.Errorf("model updates need its directory writable: %w", err))
		} else {
			warnings = append(warnings, fmt.Sprintf("model.path: %v (a start-up rollback to the previous model cannot rename files)", err))
		}
	}
	return warnings, errors.Join(errs...)
}

func needDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	return nil
}

// writable checks that files can be created in dir, or in its nearest
// existing ancestor when dir does not exist yet (the agent creates it).
func writable(dir string) error {
	d := filepath.Clean(dir)
	for {
		fi, err := os.Stat(d)
		if err == nil {
			if !fi.IsDir() {
				return fmt.Errorf("%s is not a directory", d)
			}
			break
		}
		if !errors.Is(err, os.ErrNotExist) {
			return err
		}
		parent := filepath.Dir(d)
		if parent == d {
			return err
		}
		d = parent
	}
	f, err := os.CreateTemp(d, ".trapnet-check-*")
	if err != nil {
		return fmt.Errorf("%s is not writable: %w", d, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// isTLS reports whether broker is a TLS URL.
func isTLS(broker string) bool {
	for _, p := range []string{"ssl://", "tls://", "mqtts://"} {
		if strings.HasPrefix(broker, p) {
			return true
		}
	}
	return false
}

package main

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/model/testmodel"
	"github.com/trapnet/trapnet/agent/runner"
)

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	mp := filepath.Join(dir, "m.tflite")
	os.WriteFile(mp, testmodel.Build(testmodel.Options{Version: "chk-1"}), 0o644)
	state := "outbox: {path: " + filepath.Join(dir, "state", "o.db") + "}\nuncertain: {dir: " + filepath.Join(dir, "unc") + "}\n"
	base := "trap: {id: t1}\nmodel: {path: " + mp + "}\n" + state
	notDir := filepath.Join(dir, "plainfile")
	os.WriteFile(notDir, []byte("x"), 0o644)
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("secret\n"), 0o644)
	os.Chmod(pw, 0o644)
	cases := []struct {
		name, yaml, want string
		ok               bool
	}{
		{"valid", base, "version chk-1, 3 labels", true},
		{"unknown key", "trap: {id: t1}\nmodel: {path: " + mp + ", treshold: 1}\n", "unknown key model.treshold", false},
		{"missing model", "trap: {id: t1}\nmodel: {path: " + filepath.Join(dir, "none.tflite") + "}\n" + state, "no such file", false},
		// Case 9 of issue 13: what `agent run` rejects, check rejects too.
		{"missing ca file", base + "mqtt: {broker: 'ssl://127.0.0.1:8883', ca_file: " + filepath.Join(dir, "none.pem") + "}\n", "mqtt ca_file", false},
		{"missing password file", base + "mqtt: {username: u, password_file: " + filepath.Join(dir, "none.pw") + "}\n", "mqtt.password_file", false},
		{"missing watch dir", base + "capture: {trigger: files, watch_dir: " + filepath.Join(dir, "none") + "}\n", "capture.watch_dir", false},
		{"unwritable outbox", "trap: {id: t1}\nmodel: {path: " + mp + "}\noutbox: {path: " + filepath.Join(notDir, "o.db") + "}\nuncertain: {dir: ''}\n", "outbox.path", false},
		// Case 10: risky but working settings are warned about.
		{"password warnings", base + "mqtt: {username: u, password_file: " + pw + "}\n", "readable by every user", true},
		{"clear text password", base + "mqtt: {username: u, password_file: " + pw + "}\n", "clear text", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := filepath.Join(dir, c.name+".yaml")
			os.WriteFile(cfg, []byte(c.yaml), 0o644)
			var out bytes.Buffer
			rootCmd.SetOut(&out)
			rootCmd.SetArgs([]string{"check", "--config", cfg})
			err := rootCmd.Execute()
			text := out.String()
			if err != nil {
				text += err.Error()
			}
			if (err == nil) != c.ok || !strings.Contains(text, c.want) {
				t.Fatalf("err = %v, output %q; want ok=%v and %q", err, out.String(), c.ok, c.want)
			}
			if c.ok {
				return
			}
			// `agent run` refuses the same configuration.
			if rc, err := config.Load(cfg); err == nil {
				if r, err := runner.New(rc, runner.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}); err == nil {
					r.Outbox().Close()
					t.Fatal("agent run accepted a configuration agent check refused")
				}
			}
		})
	}
}

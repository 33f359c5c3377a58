package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/internal/flagconfig"
)

// TestEveryCommandTakesConfig: every agent command takes --config (run and
// check: the agent's configuration file; the others: flag values), and a
// flag-values file reaches classify's flags.
func TestEveryCommandTakesConfig(t *testing.T) {
	if m := flagconfig.Missing(rootCmd); len(m) > 0 {
		t.Errorf("commands without --config: %v", m)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "classify.yaml")
	model := filepath.Join(dir, "no-such-model.tflite")
	if err := os.WriteFile(path, []byte("model: "+model+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd, _, err := rootCmd.Find([]string{"classify"})
	if err != nil {
		t.Fatal(err)
	}
	flagconfig.Reset(cmd) // earlier tests ran it with other flags
	t.Cleanup(func() { flagconfig.Reset(cmd) })
	rootCmd.SetArgs([]string{"classify", "--config", path, filepath.Join(dir, "x.jpg")})
	if err := rootCmd.Execute(); err == nil || !strings.Contains(err.Error(), "no-such-model.tflite") {
		t.Errorf("classify with model from --config: %v", err)
	}
}

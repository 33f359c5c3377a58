package main

import (
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
	err := flagconfig.Execute(rootCmd, dir, "model: "+filepath.Join(dir, "no-such-model.tflite")+"\n", "classify", filepath.Join(dir, "x.jpg"))
	if err == nil || !strings.Contains(err.Error(), "no-such-model.tflite") {
		t.Errorf("classify with model from --config: %v", err)
	}
}

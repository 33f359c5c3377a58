package main

import (
	"strings"
	"testing"

	"github.com/trapnet/trapnet/internal/flagconfig"
)

// TestEveryCommandTakesConfig: --config (keys = flag names) reaches every
// trainer command, and its values reach the command's flags.
func TestEveryCommandTakesConfig(t *testing.T) {
	if m := flagconfig.Missing(rootCmd); len(m) > 0 {
		t.Errorf("commands without --config: %v", m)
	}
	err := flagconfig.Execute(rootCmd, t.TempDir(), "data: "+t.TempDir()+"\nformat: xml\n", "data", "check")
	if err == nil || !strings.Contains(err.Error(), `--format "xml"`) {
		t.Errorf("data check with format: xml from --config: %v", err)
	}
}

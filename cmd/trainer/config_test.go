package main

import (
	"os"
	"path/filepath"
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
	path := filepath.Join(t.TempDir(), "check.yaml")
	if err := os.WriteFile(path, []byte("data: "+t.TempDir()+"\nformat: xml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd, _, err := rootCmd.Find([]string{"data", "check"})
	if err != nil {
		t.Fatal(err)
	}
	flagconfig.Reset(cmd) // earlier tests ran it with other flags
	t.Cleanup(func() { flagconfig.Reset(cmd) })
	rootCmd.SetArgs([]string{"data", "check", "--config", path})
	if err := rootCmd.Execute(); err == nil || !strings.Contains(err.Error(), `--format "xml"`) {
		t.Errorf("data check with format: xml from --config: %v", err)
	}
}

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// forbidden are import-path prefixes the agent must never link: training code,
// GoMLX, and anything that needs cgo in the default build.
var forbidden = []string{
	"github.com/gomlx/",
	"github.com/trapnet/trapnet/search",
	"github.com/trapnet/trapnet/trainer",
	"github.com/trapnet/trapnet/quantize",
	"github.com/trapnet/trapnet/ir",
	"github.com/trapnet/trapnet/dataset",
	"github.com/trapnet/trapnet/synth",
	"gocv.io/",
	"runtime/cgo",
}

// TestAgentImports checks the agent's dependency graph for linux/arm64 without cgo.
func TestAgentImports(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if strings.HasPrefix(dep, f) {
				t.Errorf("agent imports %s (forbidden prefix %s)", dep, f)
			}
		}
	}
}

// TestAgentCrossBuild builds the static arm64 agent, as `make cross` does.
func TestAgentCrossBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("cross build skipped in -short mode")
	}
	for _, arch := range []string{"arm64", "arm"} {
		t.Run(arch, func(t *testing.T) {
			bin := filepath.Join(t.TempDir(), "agent")
			cmd := exec.Command("go", "build", "-o", bin, ".")
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch, "GOARM=7")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("CGO_ENABLED=0 GOARCH=%s go build ./cmd/agent: %v\n%s", arch, err, out)
			}
			if st, err := os.Stat(bin); err != nil || st.Size() == 0 {
				t.Fatalf("no binary: %v", err)
			}
		})
	}
}

package main

import (
	"math"
	"os"
	"runtime/debug"
	"testing"
)

func TestApplyMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		t.Skip("GOMEMLIMIT is set in the test's environment")
	}
	debug.SetMemoryLimit(math.MaxInt64)
	if got := applyMemoryLimit(); got != defaultMemoryLimit {
		t.Errorf("without GOMEMLIMIT: limit %d, want %d", got, defaultMemoryLimit)
	}
	t.Setenv("GOMEMLIMIT", "100MiB")
	debug.SetMemoryLimit(100 << 20) // what the runtime read at start
	if got := applyMemoryLimit(); got != 100<<20 {
		t.Errorf("with GOMEMLIMIT=100MiB: limit %d, want it kept", got)
	}
}

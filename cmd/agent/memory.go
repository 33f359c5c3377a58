package main

import (
	"os"
	"runtime/debug"
)

// defaultMemoryLimit is the soft limit on the Go runtime's memory
// (runtime/debug.SetMemoryLimit) the agent sets when its environment has
// no GOMEMLIMIT, the same as deploy/systemd's unit. Detection on a sticky
// card keeps about 110 MB of working planes live, but with the default
// GOGC the heap may grow to twice what was live at the last collection:
// `agent detect` on the densest real cards peaked at 278-296 MB, and at
// 324 MB on a 4096x3072 card photo. Under the limit the collector runs
// earlier instead (see bench/REPORT.md for the figures).
const defaultMemoryLimit = 256 << 20

// applyMemoryLimit sets defaultMemoryLimit unless GOMEMLIMIT is set (the
// runtime has read it then). It returns the limit in force.
func applyMemoryLimit() int64 {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	return debug.SetMemoryLimit(-1)
}

//go:build xla

package search

// Built with -tags xla (needs cgo and gcc): the XLA/PJRT engine is linked
// in. Run with --pjrt-plugin /abs/path/plugin.so (or GOMLX_BACKEND=xla:PATH).

import "github.com/gomlx/gomlx/backends/xla"

// The xla package reads GOMLX_NO_AUTO_INSTALL once, at init, so setting it in
// NewBackend came too late: without a plugin path ("xla" found through
// PJRT_PLUGIN_LIBRARY_PATH) GoMLX tried to download plugins. Turn it off here.
func init() {
	xlaCompiled = true
	xla.EnableAutoInstall(false)
}

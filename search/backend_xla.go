//go:build xla

package search

// Built with -tags xla (needs cgo and gcc): the XLA/PJRT engine is linked
// in. Run with --pjrt-plugin /abs/path/plugin.so (or GOMLX_BACKEND=xla:PATH)
// and, for go-xla v0.1.4 on CUDA, GOPJRT_CUDA_CHECKS=0.

import _ "github.com/gomlx/gomlx/backends/xla"

func init() { xlaCompiled = true }

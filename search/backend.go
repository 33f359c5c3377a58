package search

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gomlx/gomlx/backends"
	_ "github.com/gomlx/gomlx/backends/simplego" // the pure-Go engine
)

// GoBackendConfig is the pure-Go engine configuration: parallel ops without
// the default executor's deadlock on small machines.
const GoBackendConfig = "go:parallelism=-1"

// xlaCompiled is set by backend_xla.go (build tag xla).
var xlaCompiled bool

// NewBackend returns the engine for kind "auto", "go" or "xla" and a short
// description. "auto" picks XLA when a PJRT plugin is configured
// (pluginPath, GOMLX_BACKEND=xla..., or PJRT_PLUGIN_LIBRARY_PATH) and the
// binary was built with -tags xla; otherwise the pure-Go engine. Plugins are
// never downloaded (backend_xla.go turns GoMLX's auto-install off). A
// relative pluginPath is made absolute (GoMLX takes a relative one for a
// plugin name). Unless GOPJRT_CUDA_CHECKS is set, it is set to 0: go-xla
// v0.1.4's CUDA check otherwise adds a wrong --xla_gpu_cuda_data_dir to
// XLA_FLAGS, so the plugin path is the only setting a GPU run needs.
func NewBackend(kind, pluginPath string) (backends.Backend, string, error) {
	_ = os.Setenv("GOMLX_NO_AUTO_INSTALL", "1")
	if _, ok := os.LookupEnv("GOPJRT_CUDA_CHECKS"); !ok {
		_ = os.Setenv("GOPJRT_CUDA_CHECKS", "0")
	}
	env := os.Getenv("GOMLX_BACKEND")
	xlaConfig := ""
	switch {
	case pluginPath != "":
		abs, err := filepath.Abs(pluginPath)
		if err != nil {
			return nil, "", fmt.Errorf("--pjrt-plugin %q: %w", pluginPath, err)
		}
		xlaConfig = "xla:" + abs
	case strings.HasPrefix(env, "xla"):
		xlaConfig = env
	case os.Getenv("PJRT_PLUGIN_LIBRARY_PATH") != "":
		xlaConfig = "xla"
	}
	switch kind {
	case "auto", "":
		if xlaConfig == "" || !xlaCompiled {
			return goBackend()
		}
	case "go":
		return goBackend()
	case "xla":
		if !xlaCompiled {
			return nil, "", fmt.Errorf("--backend xla: this binary was built without XLA (rebuild with: go build -tags xla ./cmd/trainer)")
		}
		if xlaConfig == "" {
			return nil, "", fmt.Errorf("--backend xla: no PJRT plugin configured (--pjrt-plugin PATH, GOMLX_BACKEND=xla:/path/plugin.so or PJRT_PLUGIN_LIBRARY_PATH)")
		}
	default:
		return nil, "", fmt.Errorf("unknown backend %q (want auto, go or xla)", kind)
	}
	b, err := backends.NewWithConfig(xlaConfig)
	if err != nil {
		return nil, "", fmt.Errorf("XLA backend %q: %w", xlaConfig, err)
	}
	return b, xlaConfig, nil
}

// goBackend returns the pure-Go engine: GOMLX_BACKEND when it names one
// ("go:..."), else GoBackendConfig.
func goBackend() (backends.Backend, string, error) {
	config := GoBackendConfig
	if env := os.Getenv("GOMLX_BACKEND"); strings.HasPrefix(env, "go") {
		config = env
	}
	b, err := backends.NewWithConfig(config)
	return b, config, err
}

package trainer

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/gomlx/gomlx/backends"
	_ "github.com/gomlx/gomlx/backends/simplego" // the pure-Go backend
)

// goBackendConfig is the pure-Go backend configuration that neither deadlocks
// nor serialises on small machines (see /work/shared/notes/gomlx.md).
const goBackendConfig = "go:parallelism=-1"

// NewBackend returns a GoMLX backend: "go" (pure Go), "xla" (needs the XLA
// backend compiled in and a PJRT plugin) or "auto" ($GOMLX_BACKEND when set,
// else pure Go). A full configuration such as "xla:cuda" is passed through.
func NewBackend(name string) (b backends.Backend, err error) {
	cfg := name
	switch name {
	case "", "auto":
		cfg = goBackendConfig
		if env := os.Getenv(backends.ConfigEnvVar); env != "" {
			cfg = env
		}
	case "go":
		cfg = goBackendConfig
	}
	backendName, _, _ := strings.Cut(cfg, ":")
	if !slices.Contains(backends.List(), backendName) {
		return nil, fmt.Errorf("backend %q not compiled in (available: %v)", backendName, backends.List())
	}
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("backend %q: %v", cfg, r)
		}
	}()
	b, err = backends.NewWithConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("backend %q: %w", cfg, err)
	}
	return b, nil
}

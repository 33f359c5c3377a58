package trainer

import (
	"github.com/gomlx/gomlx/backends"
	"github.com/trapnet/trapnet/search"
)

// NewBackend returns a GoMLX backend: "go" (pure Go, configured not to
// deadlock on small machines), "xla" (needs a binary built with -tags xla
// and a PJRT plugin) or "auto" (XLA when compiled in and configured, else
// pure Go). It is search.NewBackend, so search and training pick backends
// the same way.
func NewBackend(name string) (backends.Backend, error) {
	b, _, err := search.NewBackend(name, "")
	return b, err
}

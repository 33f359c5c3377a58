package runner

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/trapnet/trapnet/agent"
)

// serveMetrics serves /metrics (the health counters in Prometheus' text
// format) on health.metrics_listen until ctx ends; it returns the address
// it listens on.
func (r *Runner) serveMetrics(ctx context.Context) (string, error) {
	ln, err := net.Listen("tcp", r.cfg.Health.MetricsListen)
	if err != nil {
		return "", err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		agent.WriteMetrics(w, r.Health())
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	return ln.Addr().String(), nil
}

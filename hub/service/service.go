// Package service wires the hub together for `hub run`: the database, the
// MQTT ingester, the web page and the metrics, until the context ends.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/trapnet/trapnet/hub"
	"github.com/trapnet/trapnet/hub/web"
)

// Run serves the hub described by cfg until ctx ends. ready, if not nil,
// is called with the page's URL once it listens.
func Run(ctx context.Context, cfg hub.Config, log *slog.Logger, ready func(url string)) error {
	if log == nil {
		log = slog.Default()
	}
	users, err := web.LoadUsers(cfg.UsersFile)
	if err != nil {
		return err
	}
	store, err := cfg.OpenStore()
	if err != nil {
		return err
	}
	defer store.Close()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	var g *hub.Ingester
	if cfg.MQTT.Broker != "" {
		opt, err := cfg.IngestOptions()
		if err != nil {
			return err
		}
		opt.Logger = log
		g = hub.NewIngester(store, opt)
	} else {
		log.Warn("hub: no mqtt.broker: serving the stored data only")
	}
	if err := hub.RegisterMetrics(reg, store, g); err != nil {
		return err
	}
	page, err := web.New(web.Options{Store: store, Users: users, Dataset: cfg.Dataset, Registry: reg, Logger: log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: page, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	ictx, stop := context.WithCancel(ctx)
	defer stop()
	if g != nil {
		go func() { errc <- g.Run(ictx) }()
	}
	url := "http://" + ln.Addr().String() + "/"
	log.Info("hub: serving", "url", url, "database", cfg.Database.Driver)
	if ready != nil {
		ready(url)
	}
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	stop()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

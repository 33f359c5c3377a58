// Package runner wires the agent together for `agent run`: configuration,
// model (with signed updates and rollback), frame source, pipeline, outbox,
// MQTT publisher, health messages, Home Assistant discovery and systemd
// notifications.
package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/model"
	"github.com/trapnet/trapnet/agent/modelupdate"
	"github.com/trapnet/trapnet/agent/mqttpub"
	"github.com/trapnet/trapnet/agent/outbox"
	"github.com/trapnet/trapnet/agent/sdnotify"
	"github.com/trapnet/trapnet/agent/uncertain"
	"github.com/trapnet/trapnet/agent/window"
	"github.com/trapnet/trapnet/camera"
)

// Options override parts of the runner (tests, benchmarks).
type Options struct {
	// Finder replaces detection (default: agent.NewDetectFinder).
	Finder agent.Finder
	// Source replaces the configured source; Tick then paces it (nil: as
	// fast as the source yields frames).
	Source camera.Source
	Tick   <-chan time.Time
	Log    *slog.Logger
	// BeforeCommit is passed to the outbox (tests inject a full disk).
	BeforeCommit func() error
}

// Runner is a configured agent.
type Runner struct {
	cfg      *config.Config
	opt      Options
	log      *slog.Logger
	box      *outbox.Outbox
	unc      *uncertain.Store
	cls      *agent.SwapClassifier
	pipe     *agent.Pipeline
	pub      *mqttpub.Publisher
	upd      *modelupdate.Manager[*model.Model]
	lat      *agent.Latency
	start    time.Time
	rejected atomic.Uint64
	// inboxWarnings counts watch-folder entries left in place (links,
	// FIFOs, files that never settle).
	inboxWarnings atomic.Uint64
	busy          atomic.Int64 // unix nanos when the current frame started, 0 when idle
}

// New opens the outbox and uncertain store, loads the model (rolling back to
// the previous one if it is broken) and prepares the publisher.
func New(cfg *config.Config, opt Options) (*Runner, error) {
	r := &Runner{cfg: cfg, opt: opt, log: opt.Log, lat: agent.NewLatency(), start: time.Now()}
	if r.log == nil {
		r.log = slog.Default()
	}
	warnings, err := Preflight(cfg)
	for _, w := range warnings {
		r.log.Warn(w)
	}
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(cfg.Outbox.Path), 0o750); err != nil {
		return nil, fmt.Errorf("outbox.path: %w", err)
	}
	if r.box, err = outbox.Open(cfg.Outbox.Path, outbox.Options{MaxMessages: cfg.Outbox.MaxMessages, MaxBytes: cfg.Outbox.MaxBytes, BeforeCommit: opt.BeforeCommit}); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			r.box.Close()
		}
	}()
	if cfg.Uncertain.Dir != "" {
		if r.unc, err = uncertain.Open(cfg.Uncertain.Dir, cfg.Uncertain.MaxBytes); err != nil {
			return nil, err
		}
	}
	load := func(path string) (*model.Model, error) {
		m, err := model.LoadN(path, cfg.Model.Threads)
		if err == nil {
			m.Omit(cfg.Model.OmitColumns...)
			r.log.Info("model loaded", "path", path, "version", m.Version(), "labels", len(m.Labels()), "metadata_columns_omitted", m.Omitted())
		}
		return m, err
	}
	m, err := modelupdate.LoadActive(cfg.Model.Path, load, modelupdate.LoadOptions{Timeout: cfg.Model.SelfTestTimeout, Log: r.log})
	if err != nil {
		return nil, fmt.Errorf("model.path: %w", err)
	}
	r.cls = agent.NewSwapClassifier(m)
	r.upd = &modelupdate.Manager[*model.Model]{
		Path: cfg.Model.Path, MaxBytes: cfg.Model.MaxUpdateBytes, Dir: cfg.Model.UpdateDir, Load: load, Log: r.log,
		FetchTimeout: cfg.Model.UpdateTimeout, SelfTestTimeout: cfg.Model.SelfTestTimeout, MinInterval: cfg.Model.UpdateMinInterval,
		Install: func(m *model.Model) {
			r.cls.Swap(m)
			r.log.Info("model updated", "version", m.Version())
		},
		OnResult: func(error) { r.publishHealth() },
	}
	if cfg.Model.PublicKey != "" {
		if r.upd.PublicKey, err = modelupdate.LoadPublicKey(cfg.Model.PublicKey); err != nil {
			return nil, err
		}
	}
	finder := opt.Finder
	if finder == nil {
		df := agent.NewDetectFinder(cfg.Capture.PixelsPerMM)
		df.UseCapture(cfg.Capture)
		df.MaxNew = cfg.Model.MaxNewPerFrame
		if cfg.Model.Verifier != "" {
			v, err := model.LoadVerifier(cfg.Model.Verifier)
			if err != nil {
				return nil, fmt.Errorf("model.verifier: %w", err)
			}
			df.Options.Verifier, df.Options.VerifierReject = v, cfg.Model.VerifierReject
			r.log.Info("verifier loaded", "path", cfg.Model.Verifier, "reject", cfg.Model.VerifierReject)
		}
		finder = df
	}
	alerts := agent.NewAlerts(cfg.Trap.ID, cfg.Alerts)
	r.pipe = &agent.Pipeline{Cfg: cfg, Finder: finder, Classifier: r.cls, Outbox: r.box, Uncertain: r.unc,
		Alerts: alerts, Workers: cfg.Model.Threads, Log: r.log, OnCommit: r.lat.Committed}
	// Tracker and alert windows were committed with the last frame.
	found, err := r.pipe.RestoreState()
	switch {
	case err != nil:
		r.log.Warn("tracker and alert state not restored (starting fresh)", "err", err)
	case found:
		r.log.Info("tracker and alert windows restored from the outbox")
	default:
		// An agent before 2026-12 kept the alert windows in alerts.json.
		if err := alerts.Load(filepath.Join(filepath.Dir(cfg.Outbox.Path), "alerts.json")); err != nil {
			r.log.Warn("alert windows not restored", "err", err)
		}
	}
	if r.pub, err = newPublisher(cfg, r); err != nil {
		return nil, err
	}
	ok = true
	return r, nil
}

func newPublisher(cfg *config.Config, r *Runner) (*mqttpub.Publisher, error) {
	m := cfg.MQTT
	o := mqttpub.Options{
		Broker: m.Broker, ClientID: m.ClientID, Username: m.Username, StatusTopic: cfg.Prefix() + "status",
		KeepAlive: m.KeepAlive, AckTimeout: m.AckTimeout, MaxReconnectInterval: m.ReconnectMax, Logger: r.log,
		Subscriptions: map[string]mqttpub.Handler{cfg.Prefix() + "model/set": func(_ string, p []byte) { r.upd.Handle(p) }},
		OnAck:         func(e outbox.Entry) { r.lat.Acked(e.Seq) },
		OnConnect: func(p *mqttpub.Publisher) {
			var labels []string
			if l, ok := r.cls.Current().(interface{ Labels() []string }); ok {
				labels = l.Labels()
			}
			for _, d := range agent.DiscoveryMessages(cfg, labels) {
				if err := p.PublishNow(d.Topic, d.QoS, d.Retained, d.Payload); err != nil {
					r.log.Warn("home assistant discovery", "err", err)
				}
			}
		},
	}
	if o.ClientID == "" {
		o.ClientID = "trapnet-" + cfg.Trap.ID
	}
	if m.PasswordFile != "" {
		pw, err := mqttpub.ReadPassword(m.PasswordFile)
		if err != nil {
			return nil, err
		}
		o.Password = pw
	}
	if m.CAFile != "" || m.CertFile != "" || isTLS(m.Broker) {
		tc, err := mqttpub.TLSConfig(m.CAFile, m.CertFile, m.KeyFile)
		if err != nil {
			return nil, err
		}
		o.TLS = tc
	}
	return mqttpub.New(o, r.box)
}

// Pipeline returns the pipeline (counters, direct processing in tests).
func (r *Runner) Pipeline() *agent.Pipeline { return r.pipe }

// Outbox returns the outbox.
func (r *Runner) Outbox() *outbox.Outbox { return r.box }

// Health returns the current health message.
func (r *Runner) Health() agent.Health {
	c := r.pipe.Counters()
	h := agent.Health{
		TrapID: r.cfg.Trap.ID, Time: time.Now().UTC(), UptimeS: time.Since(r.start).Seconds(),
		Captures: c.Captures.Load(), FrameErrors: c.FrameErrors.Load() + r.rejected.Load(), Specimens: c.Specimens.Load(),
		Detections: c.Detections.Load(), Uncertain: c.Uncertain.Load(), ClassifyErrors: c.ClassifyErrors.Load(), Alerts: c.Alerts.Load(),
		CropsSkipped: c.CropsSkipped.Load(),
		CommitErrors: c.CommitErrors.Load(), LastFrameError: c.LastError(), InboxWarnings: r.inboxWarnings.Load(),
		Queue: r.box.Stats(), MQTT: r.pub.Stats(), Disk: agent.DiskUsage(filepath.Dir(r.cfg.Outbox.Path)),
		ModelVersion: r.cls.Version(), ModelUpdates: r.upd.Stats(), CaptureToPubackMS: r.lat.Summary(),
	}
	if r.unc != nil {
		h.UncertainStore = r.unc.Stats()
	}
	return h
}

func (r *Runner) publishHealth() {
	b, _ := json.Marshal(r.Health())
	if err := r.pub.PublishNow(r.cfg.Prefix()+"health", 1, true, b); err != nil {
		r.log.Debug("health not published", "err", err)
	}
}

// Run runs until ctx ends (or a finite source is exhausted), then drains the
// outbox for up to drain, publishes "offline" and closes everything.
func (r *Runner) Run(ctx context.Context, drain time.Duration) error {
	defer r.box.Close()
	src, tick, stop := r.opt.Source, r.opt.Tick, func() {}
	if src == nil {
		var err error
		src, tick, stop, err = NewSource(r.cfg, func(rej camera.Rejection) {
			r.rejected.Add(1)
			r.log.Warn("frame rejected", "file", rej.Path, "reason", rej.Reason)
		}, func(w camera.Rejection) {
			r.inboxWarnings.Add(1)
			r.log.Warn("inbox entry not taken", "file", w.Path, "reason", w.Reason)
		})
		if err != nil {
			return err
		}
	}
	defer stop()
	defer src.Close()
	pubCtx, pubCancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); r.pub.Run(pubCtx) }()
	loopCtx, loopCancel := context.WithCancel(ctx)
	defer loopCancel()
	go r.background(loopCtx)
	if r.cfg.Health.MetricsListen != "" {
		addr, err := r.serveMetrics(loopCtx)
		if err != nil {
			r.log.Error("metrics server not started", "listen", r.cfg.Health.MetricsListen, "err", err)
		} else {
			r.log.Info("metrics", "url", "http://"+addr+"/metrics")
		}
	}
	if sched := schedule(r.cfg); sched != nil {
		w := r.cfg.Capture.Window
		if tick != nil {
			tick = window.Gate(loopCtx, tick, sched)
		}
		go window.Watch(loopCtx, sched, window.Commands{OnStart: w.OnStart, OnEnd: w.OnEnd, Timeout: w.CommandTimeout, Log: r.log}, windowPoll)
	}
	sdnotify.Notify("READY=1")
	r.log.Info("agent running", "trap", r.cfg.Trap.ID, "model", r.cls.Version(), "trigger", r.cfg.Capture.Trigger)
	err := r.pipe.Run(ctx, &timedSource{src, r}, tick, nil)
	sdnotify.Notify("STOPPING=1")
	deadline := time.Now().Add(drain)
	for r.box.Stats().Depth > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	r.publishHealth()
	pubCancel()
	wg.Wait()
	r.pub.Close()
	return err
}

// background sends health messages and systemd watchdog keep-alives. The
// watchdog is fed only while no frame has been processing for over 5
// minutes, so a hung classifier gets the service restarted.
func (r *Runner) background(ctx context.Context) {
	health := time.NewTicker(r.cfg.Health.Interval)
	defer health.Stop()
	wd := sdnotify.WatchdogInterval()
	var wdc <-chan time.Time
	if wd > 0 {
		t := time.NewTicker(wd)
		defer t.Stop()
		wdc = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-health.C:
			r.publishHealth()
		case <-wdc:
			if b := r.busy.Load(); b == 0 || time.Since(time.Unix(0, b)) < 5*time.Minute {
				sdnotify.Notify("WATCHDOG=1")
			}
		}
	}
}

// timedSource marks the runner busy from the moment a frame is returned
// until the next one is requested.
type timedSource struct {
	camera.Source
	r *Runner
}

// Retry implements camera.Retrier when the source does (otherwise the
// frame is lost, and logged as such by the pipeline).
func (t *timedSource) Retry(f camera.Frame, after time.Duration) {
	if r, ok := t.Source.(camera.Retrier); ok {
		r.Retry(f, after)
	}
}

// Next implements camera.Source.
func (t *timedSource) Next(ctx context.Context) (camera.Frame, error) {
	t.r.busy.Store(0)
	f, err := t.Source.Next(ctx)
	if err == nil {
		t.r.busy.Store(time.Now().UnixNano())
	}
	return f, err
}

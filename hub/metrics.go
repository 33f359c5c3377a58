package hub

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// RegisterMetrics adds the hub's metrics to reg: the ingester's counters
// (g may be nil) and, per trap, last seen time, detections stored, online
// status and disk free from the latest health report.
func RegisterMetrics(reg prometheus.Registerer, s *Store, g *Ingester) error {
	var cs []prometheus.Collector
	if g != nil {
		counter := func(name, help string, f func(IngestStats) uint64) prometheus.Collector {
			return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "trapnet_hub_" + name, Help: help},
				func() float64 { return float64(f(g.Stats())) })
		}
		cs = append(cs,
			counter("messages_received_total", "MQTT messages received.", func(s IngestStats) uint64 { return s.Received }),
			counter("records_stored_total", "Messages stored for the first time.", func(s IngestStats) uint64 { return s.Stored }),
			counter("duplicates_total", "Messages already stored (re-delivered).", func(s IngestStats) uint64 { return s.Duplicates }),
			counter("rejected_total", "Messages that could not be parsed (skipped).", func(s IngestStats) uint64 { return s.Rejected }),
			counter("db_errors_total", "Failed database transactions (retried).", func(s IngestStats) uint64 { return s.DBErrors }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "trapnet_hub_broker_connected", Help: "1 while subscribed to the broker."},
				func() float64 {
					if g.Stats().Connected {
						return 1
					}
					return 0
				}))
	}
	cs = append(cs, &trapCollector{s: s})
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

var (
	descSeen   = prometheus.NewDesc("trapnet_trap_last_seen_seconds", "Unix time of the trap's latest message.", []string{"trap"}, nil)
	descDets   = prometheus.NewDesc("trapnet_trap_detections", "Detections stored for the trap.", []string{"trap"}, nil)
	descOnline = prometheus.NewDesc("trapnet_trap_online", "1 if the trap's status is online.", []string{"trap"}, nil)
	descDisk   = prometheus.NewDesc("trapnet_trap_disk_free_bytes", "Free disk space in the trap's latest health report.", []string{"trap"}, nil)
	descQueue  = prometheus.NewDesc("trapnet_trap_queue_depth", "Messages in the trap's outbox in its latest health report.", []string{"trap"}, nil)
)

// trapCollector reads the traps' state from the store at each scrape.
type trapCollector struct{ s *Store }

func (c *trapCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descSeen, descDets, descOnline, descDisk, descQueue} {
		ch <- d
	}
}

func (c *trapCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	traps, err := c.s.Traps(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(descSeen, err)
		return
	}
	for _, t := range traps {
		online := 0.0
		if t.Status == "online" {
			online = 1
		}
		if !t.LastSeen.IsZero() {
			ch <- prometheus.MustNewConstMetric(descSeen, prometheus.GaugeValue, float64(t.LastSeen.Unix()), t.ID)
		}
		ch <- prometheus.MustNewConstMetric(descDets, prometheus.GaugeValue, float64(t.Detections), t.ID)
		ch <- prometheus.MustNewConstMetric(descOnline, prometheus.GaugeValue, online, t.ID)
		if h := t.Health; h != nil {
			ch <- prometheus.MustNewConstMetric(descDisk, prometheus.GaugeValue, float64(h.Disk.FreeBytes), t.ID)
			ch <- prometheus.MustNewConstMetric(descQueue, prometheus.GaugeValue, float64(h.Queue.Depth), t.ID)
		}
	}
}

package agent

import (
	"fmt"
	"io"
	"strconv"
)

// WriteMetrics writes h in the Prometheus text exposition format (version
// 0.0.4), every series labelled with the trap id, for the agent's /metrics.
func WriteMetrics(w io.Writer, h Health) error {
	lbl := `{trap="` + escapeLabel(h.TrapID) + `"}`
	b2f := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	for _, m := range []struct {
		name, kind, help string
		v                float64
	}{
		{"uptime_seconds", "gauge", "Seconds since the agent started.", h.UptimeS},
		{"captures_total", "counter", "Frames captured.", float64(h.Captures)},
		{"frame_errors_total", "counter", "Frames that failed or were rejected.", float64(h.FrameErrors)},
		{"specimens_total", "counter", "Specimens found on frames.", float64(h.Specimens)},
		{"detections_total", "counter", "New specimens classified and published.", float64(h.Detections)},
		{"uncertain_total", "counter", "Detections below model.min_confidence.", float64(h.Uncertain)},
		{"classify_errors_total", "counter", "Specimens that could not be classified.", float64(h.ClassifyErrors)},
		{"alerts_total", "counter", "Alerts raised.", float64(h.Alerts)},
		{"commit_errors_total", "counter", "Frames whose outbox commit failed.", float64(h.CommitErrors)},
		{"crops_skipped_total", "counter", "Crops not published (over crops.max_bytes).", float64(h.CropsSkipped)},
		{"outbox_depth", "gauge", "Messages waiting in the outbox.", float64(h.Queue.Depth)},
		{"outbox_bytes", "gauge", "Bytes waiting in the outbox.", float64(h.Queue.Bytes)},
		{"outbox_dropped_total", "counter", "Messages dropped by the outbox bounds.", float64(h.Queue.Dropped)},
		{"mqtt_connected", "gauge", "1 while connected to the broker.", b2f(h.MQTT.Connected)},
		{"mqtt_published_total", "counter", "Messages published.", float64(h.MQTT.Published)},
		{"mqtt_acked_total", "counter", "Messages acknowledged by the broker.", float64(h.MQTT.Acked)},
		{"disk_free_bytes", "gauge", "Free bytes on the state disk.", float64(h.Disk.FreeBytes)},
		{"capture_to_puback_p95_ms", "gauge", "95th percentile of capture-to-PUBACK latency (recent).", h.CaptureToPubackMS.P95},
	} {
		n := "trapnet_agent_" + m.name
		if _, err := fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n%s%s %s\n", n, m.help, n, m.kind, n, lbl,
			strconv.FormatFloat(m.v, 'g', -1, 64)); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "# HELP trapnet_agent_model_info The active model's version.\n# TYPE trapnet_agent_model_info gauge\n"+
		"trapnet_agent_model_info{trap=\"%s\",version=\"%s\"} 1\n", escapeLabel(h.TrapID), escapeLabel(h.ModelVersion))
	return err
}

// escapeLabel escapes a Prometheus label value.
func escapeLabel(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

package agent

import (
	"encoding/json"
	"strings"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/outbox"
)

// haSensor is one Home Assistant MQTT discovery sensor over a JSON topic.
type haSensor struct {
	key, name, topic, template, unit, class string
}

// maxSpeciesSensors caps the per-species sensors made from a model's labels
// when mqtt.home_assistant.species does not name them.
const maxSpeciesSensors = 50

// DiscoveryMessages returns the retained Home Assistant MQTT discovery
// messages for the trap: sensors for the last detected label and score,
// captures, queue depth, free disk and model version, the specimens counted
// today, and one daily count sensor per species (those of
// mqtt.home_assistant.species, else the model's labels when there are at
// most 50), with availability bound to the status topic. Empty unless
// mqtt.home_assistant.enabled.
func DiscoveryMessages(cfg *config.Config, labels []string) []outbox.Message {
	ha := cfg.MQTT.HomeAssistant
	if !ha.Enabled {
		return nil
	}
	p := cfg.Prefix()
	sensors := []haSensor{
		{"last_label", "Last detection", p + "detections", "{{ value_json.label }}", "", ""},
		{"last_score", "Last detection score", p + "detections", "{{ (value_json.score * 100) | round(1) }}", "%", ""},
		{"frame_new", "New specimens in last frame", p + "frames", "{{ value_json.new }}", "", ""},
		{"captures", "Captures", p + "health", "{{ value_json.captures }}", "", ""},
		{"queue_depth", "Outbox depth", p + "health", "{{ value_json.queue.depth }}", "", ""},
		{"disk_free", "Free disk", p + "health", "{{ (value_json.disk.free_bytes / 1048576) | round(0) }}", "MiB", "data_size"},
		{"model_version", "Model version", p + "health", "{{ value_json.model_version }}", "", ""},
		{"last_alert", "Last alert", p + "alerts", "{{ value_json.rule }}", "", ""},
		{"today_total", "Specimens today", p + "counts", "{{ value_json.total }}", "specimens", ""},
	}
	species := ha.Species
	if len(species) == 0 && len(labels) <= maxSpeciesSensors {
		species = labels
	}
	for _, l := range species {
		q := strings.ReplaceAll(l, "'", "\\'")
		sensors = append(sensors, haSensor{"today_" + slug(l), l + " today", p + "counts",
			"{{ value_json.counts.get('" + q + "', 0) }}", "specimens", ""})
	}
	dev := map[string]any{"identifiers": []string{"trapnet_" + cfg.Trap.ID}, "name": "trapnet " + cfg.Trap.ID, "manufacturer": "trapnet", "model": "insect trap"}
	var out []outbox.Message
	for _, s := range sensors {
		id := "trapnet_" + cfg.Trap.ID + "_" + s.key
		c := map[string]any{
			"name": s.name, "unique_id": id, "object_id": id, "state_topic": s.topic, "value_template": s.template,
			"availability_topic": p + "status", "payload_available": "online", "payload_not_available": "offline", "device": dev,
		}
		if s.unit != "" {
			c["unit_of_measurement"] = s.unit
		}
		if s.class != "" {
			c["device_class"] = s.class
		}
		if s.topic == p+"counts" {
			c["state_class"] = "total_increasing" // back to 0 each day: a reset
		}
		b, _ := json.Marshal(c)
		out = append(out, outbox.Message{Topic: ha.DiscoveryPrefix + "/sensor/" + id + "/config", Payload: b, QoS: 1, Retained: true})
	}
	return out
}

// slug is label as a Home Assistant object id part: lower case letters,
// digits and underscores.
func slug(label string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(label) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			if s := b.String(); s != "" && !strings.HasSuffix(s, "_") {
				b.WriteByte('_')
			}
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

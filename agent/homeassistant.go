package agent

import (
	"encoding/json"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/outbox"
)

// haSensor is one Home Assistant MQTT discovery sensor over a JSON topic.
type haSensor struct {
	key, name, topic, template, unit, class string
}

// DiscoveryMessages returns the retained Home Assistant MQTT discovery
// messages for the trap: sensors for the last detected label and score,
// captures, queue depth, free disk and model version, with availability
// bound to the status topic. Empty unless mqtt.home_assistant.enabled.
func DiscoveryMessages(cfg *config.Config) []outbox.Message {
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
		b, _ := json.Marshal(c)
		out = append(out, outbox.Message{Topic: ha.DiscoveryPrefix + "/sensor/" + id + "/config", Payload: b, QoS: 1, Retained: true})
	}
	return out
}

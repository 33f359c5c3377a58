package agent

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDiscoveryMessages(t *testing.T) {
	cfg := testConfig(t)
	if msgs := DiscoveryMessages(cfg, nil); msgs != nil {
		t.Fatalf("discovery disabled but got %d messages", len(msgs))
	}
	cfg.MQTT.HomeAssistant.Enabled = true
	msgs := DiscoveryMessages(cfg, []string{"Lycorma delicatula", "Drosophila suzukii", "Kanzler's moth"})
	if len(msgs) == 0 {
		t.Fatal("no discovery messages")
	}
	species := map[string]string{}
	for _, m := range msgs {
		var c map[string]any
		json.Unmarshal(m.Payload, &c)
		if c["state_topic"] == "trapnet/t1/counts" {
			species[c["unique_id"].(string)] = c["value_template"].(string)
			if c["state_class"] != "total_increasing" {
				t.Errorf("%s: state_class %v", m.Topic, c["state_class"])
			}
		}
	}
	for id, tmpl := range map[string]string{
		"trapnet_t1_today_total":              "{{ value_json.total }}",
		"trapnet_t1_today_lycorma_delicatula": "{{ value_json.counts.get('Lycorma delicatula', 0) }}",
		"trapnet_t1_today_kanzler_s_moth":     `{{ value_json.counts.get('Kanzler\'s moth', 0) }}`,
	} {
		if species[id] != tmpl {
			t.Errorf("sensor %s: template %q, want %q", id, species[id], tmpl)
		}
	}
	if len(species) != 4 {
		t.Errorf("%d daily count sensors, want 4 (total and 3 species)", len(species))
	}
	// The configured species win over the model's labels.
	cfg.MQTT.HomeAssistant.Species = []string{"Lycorma delicatula"}
	if n := len(DiscoveryMessages(cfg, []string{"a", "b", "c"})); n != len(msgs)-2 {
		t.Errorf("with one configured species: %d messages, want %d", n, len(msgs)-2)
	}
	for _, m := range msgs {
		if !m.Retained || m.QoS != 1 || !strings.HasPrefix(m.Topic, "homeassistant/sensor/trapnet_t1_") || !strings.HasSuffix(m.Topic, "/config") {
			t.Fatalf("bad discovery message %+v", m)
		}
		var c map[string]any
		if err := json.Unmarshal(m.Payload, &c); err != nil {
			t.Fatal(err)
		}
		st, _ := c["state_topic"].(string)
		if !strings.HasPrefix(st, "trapnet/t1/") || c["availability_topic"] != "trapnet/t1/status" || c["unique_id"] == "" {
			t.Fatalf("bad discovery config %s", m.Payload)
		}
	}
}

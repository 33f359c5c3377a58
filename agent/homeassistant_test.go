package agent

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDiscoveryMessages(t *testing.T) {
	cfg := testConfig(t)
	if msgs := DiscoveryMessages(cfg); msgs != nil {
		t.Fatalf("discovery disabled but got %d messages", len(msgs))
	}
	cfg.MQTT.HomeAssistant.Enabled = true
	msgs := DiscoveryMessages(cfg)
	if len(msgs) == 0 {
		t.Fatal("no discovery messages")
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

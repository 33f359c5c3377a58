package agent

import (
	"bytes"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestWriteMetrics: the output parses as Prometheus text and carries the
// health counters.
func TestWriteMetrics(t *testing.T) {
	h := Health{TrapID: `trap-"1"`, Captures: 12, Detections: 5, ModelVersion: "v0.3\n"}
	h.Queue.Depth = 3
	h.MQTT.Connected = true
	var b bytes.Buffer
	if err := WriteMetrics(&b, h); err != nil {
		t.Fatal(err)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("not Prometheus text: %v\n%s", err, b.String())
	}
	for name, want := range map[string]float64{
		"trapnet_agent_captures_total": 12, "trapnet_agent_detections_total": 5,
		"trapnet_agent_outbox_depth": 3, "trapnet_agent_mqtt_connected": 1, "trapnet_agent_model_info": 1,
	} {
		f := fams[name]
		if f == nil || len(f.Metric) != 1 {
			t.Errorf("%s missing", name)
			continue
		}
		m := f.Metric[0]
		v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
		if v != want || m.Label[0].GetValue() != `trap-"1"` {
			t.Errorf("%s = %v %v, want %v for trap-\"1\"", name, v, m.Label, want)
		}
	}
}

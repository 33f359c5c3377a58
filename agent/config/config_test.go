package config

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func TestExampleConfigLoads(t *testing.T) {
	c, err := Load("../../deploy/agent.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Trap.ID != "trap-01" || c.Prefix() != "trapnet/trap-01/" || c.Capture.Interval != time.Minute {
		t.Fatalf("unexpected config %+v", c)
	}
	if len(c.Alerts) != 2 || c.Alerts[1].Window != 6*time.Hour {
		t.Fatalf("alerts = %+v", c.Alerts)
	}
}

func TestDefaults(t *testing.T) {
	c, err := Parse([]byte("trap: {id: t1}\n"), "mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Model.TopK != 5 || c.Health.Interval != time.Minute || c.Outbox.MaxMessages != 100000 || c.Location() != time.UTC {
		t.Fatalf("defaults not applied: %+v", c)
	}
}

// TestScaleKeys: a ruler sets the scale unless ruler_scale is false; a
// solid bar is sought only with its length.
func TestScaleKeys(t *testing.T) {
	c, _ := Parse([]byte("trap: {id: t1}\n"), "a.yaml")
	if !c.Capture.RulerScale || c.Capture.SolidBarMM != 0 {
		t.Fatalf("defaults: ruler_scale %v, solid_bar_mm %v; want true and 0", c.Capture.RulerScale, c.Capture.SolidBarMM)
	}
	c, err := Parse([]byte("trap: {id: t1}\ncapture: {ruler_scale: false, solid_bar_mm: 10}\n"), "a.yaml")
	if err != nil || c.Capture.RulerScale || c.Capture.SolidBarMM != 10 {
		t.Fatalf("ruler_scale false, solid_bar_mm 10 gave %+v, %v", c.Capture, err)
	}
}

func TestOmitColumnsDefaultAndOverride(t *testing.T) {
	c, _ := Parse([]byte("trap: {id: t1}\n"), "a.yaml")
	if len(c.Model.OmitColumns) != 0 {
		t.Fatalf("default omit_columns %v, want none (unseen fields are omitted from the schema's counts)", c.Model.OmitColumns)
	}
	c, _ = Parse([]byte("trap: {id: t1}\nmodel: {omit_columns: [habitat]}\n"), "a.yaml")
	if fmt.Sprint(c.Model.OmitColumns) != "[habitat]" {
		t.Fatalf("omit_columns [habitat] gave %v", c.Model.OmitColumns)
	}
}

// TestMarshalRoundTrip: a Config written with yaml.Marshal (as the demo
// harness does) parses back strictly to the same value.
func TestMarshalRoundTrip(t *testing.T) {
	c, err := Load("../../deploy/agent.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(b, "marshalled.yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if !reflect.DeepEqual(c, back) {
		t.Fatalf("round trip differs:\n%+v\n%+v", c, back)
	}
}

func TestBadConfigs(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string // substrings of the error
	}{
		{"unknown top key", "trap: {id: t}\nfoo: 1\n", []string{"line 2", "unknown key foo"}},
		{"unknown nested key", "trap:\n  id: t\nmqtt:\n  brokr: tcp://x:1\n", []string{"line 4", "unknown key mqtt.brokr"}},
		{"bad duration", "trap: {id: t}\nmqtt:\n  keepalive: soon\n", []string{"line 3", "mqtt.keepalive"}},
		{"bad number", "trap: {id: t}\nmodel:\n  top_k: many\n", []string{"model.top_k"}},
		{"missing id", "model: {top_k: 3}\n", []string{"trap.id", "required"}},
		{"bad id", "trap: {id: 'a/b'}\n", []string{"trap.id"}},
		{"lat out of range", "trap: {id: t, location: {lat: 95, lon: 0}}\n", []string{"trap.location.lat"}},
		{"lat without lon", "trap: {id: t, location: {lat: 5}}\n", []string{"trap.location"}},
		{"bad tz", "trap: {id: t, timezone: Mars/Olympus}\n", []string{"trap.timezone"}},
		{"confidence", "trap: {id: t}\nmodel: {min_confidence: 1.5}\n", []string{"model.min_confidence"}},
		{"trigger", "trap: {id: t}\ncapture: {trigger: sometimes}\n", []string{"capture.trigger"}},
		{"files without dir", "trap: {id: t}\ncapture: {trigger: files}\n", []string{"capture.watch_dir"}},
		{"broker scheme", "trap: {id: t}\nmqtt: {broker: 'http://x'}\n", []string{"mqtt.broker"}},
		{"prefix", "trap: {id: t}\nmqtt: {topic_prefix: 'a/#'}\n", []string{"mqtt.topic_prefix"}},
		{"alert count", "trap: {id: t}\nalerts:\n  - {name: a, labels: [x], min_count: 0, window: 1h}\n", []string{"alerts[0].min_count"}},
		{"alert key", "trap: {id: t}\nalerts:\n  - {name: a, labls: [x]}\n", []string{"unknown key alerts[0].labls"}},
		{"interval without snapshot", "trap: {id: t}\ncapture: {trigger: interval, snapshot: ''}\n", []string{"capture.snapshot"}},
		{"reconnect", "trap: {id: t}\nmqtt: {reconnect_max: 1ms}\n", []string{"mqtt.reconnect_max"}},
		{"password without user", "trap: {id: t}\nmqtt: {password_file: /p}\n", []string{"mqtt.username"}},
		{"settle", "trap: {id: t}\ncapture: {settle: 0s}\n", []string{"capture.settle"}},
		{"file cap", "trap: {id: t}\ncapture: {max_file_bytes: 10}\n", []string{"capture.max_file_bytes"}},
		{"relative update dir", "trap: {id: t}\nmodel: {update_dir: updates}\n", []string{"model.update_dir", "absolute"}},
		{"self-test timeout", "trap: {id: t}\nmodel: {selftest_timeout: 0s}\n", []string{"model.selftest_timeout"}},
		{"update timeout", "trap: {id: t}\nmodel: {update_timeout: -1s}\n", []string{"model.update_timeout"}},
		{"update interval", "trap: {id: t}\nmodel: {update_min_interval: -1s}\n", []string{"model.update_min_interval"}},
		{"window mode", "trap: {id: t}\ncapture: {window: {mode: dusk}}\n", []string{"capture.window.mode"}},
		{"night without place", "trap: {id: t}\ncapture: {window: {mode: night}}\n", []string{"capture.window.mode", "lat"}},
		{"fixed span", "trap: {id: t}\ncapture: {window: {mode: fixed, fixed: ['21:00']}}\n", []string{"capture.window.fixed[0]"}},
		{"fixed empty", "trap: {id: t}\ncapture: {window: {mode: fixed}}\n", []string{"capture.window.fixed"}},
		{"sun offset", "trap: {id: t, location: {lat: 1, lon: 2}}\ncapture: {window: {mode: night, sunset_offset: 8h}}\n", []string{"capture.window.sunset_offset"}},
		{"metrics address", "trap: {id: t}\nhealth: {metrics_listen: 9101}\n", []string{"health.metrics_listen"}},
		{"crop side", "trap: {id: t}\ncrops: {enabled: true, max_side: 4}\n", []string{"crops.max_side"}},
		{"crop bytes", "trap: {id: t}\ncrops: {max_bytes: 10000000}\n", []string{"crops.max_bytes"}},
		{"new per frame", "trap: {id: t}\nmodel: {max_new_per_frame: -1}\n", []string{"model.max_new_per_frame"}},
		{"solid bar", "trap: {id: t}\ncapture:\n  solid_bar_mm: -10\n", []string{"capture.solid_bar_mm"}},
		{"ruler scale", "trap: {id: t}\ncapture: {ruler_scale: maybe}\n", []string{"capture.ruler_scale"}},
		{"surface", "trap: {id: t}\ncapture: {surface: card}\n", []string{"capture.surface", "sticky_card"}},
		{"verifier reject", "trap: {id: t}\nmodel: {verifier: v.tflite, verifier_reject: 1.5}\n", []string{"model.verifier_reject"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.yaml), "agent.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

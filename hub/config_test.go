package hub

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfig(t *testing.T) {
	c, err := LoadConfig("../deploy/hub.yaml")
	if err != nil {
		t.Fatalf("example config: %v", err)
	}
	if c.Listen != "127.0.0.1:8080" || c.Database.Driver != "sqlite" || c.MQTT.Root != "trapnet" {
		t.Errorf("example config read as %+v", c)
	}
	for _, tc := range []struct{ yaml, want string }{
		{"listen: 8080\nusers_file: u", "listen:"},
		{"users_file: u\ndatabase: {driver: mysql}", "database.driver"},
		{"users_file: u\ndatabase: {driver: postgres, dsn: host=x}", "database.dsn"},
		{"users_file: u\nmqtt: {broker: broker:1883}", "mqtt.broker"},
		{"users_file: u\nmqtt: {root: a/b}", "mqtt.root"},
		{"listen: 127.0.0.1:1", "users_file"},
		{"users_file: u\nlisen: x", "line 2: unknown key lisen"},
		{"users_file: u\nmqtt: {brokr: x}", "unknown key mqtt.brokr"},
		{"users_file: u\ndatabase: {path: [1]}", "line 2"},
	} {
		p := filepath.Join(t.TempDir(), "hub.yaml")
		os.WriteFile(p, []byte(tc.yaml), 0o644)
		if _, err := LoadConfig(p); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%q: %v, want an error naming the file and %q", tc.yaml, err, tc.want)
		}
	}
}

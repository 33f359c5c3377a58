package fieldloop

import (
	"encoding/json"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"

	"github.com/trapnet/trapnet/internal/brokertest"
)

// broker is the in-process test broker (internal/brokertest) with the
// accessors the loop test uses.
type broker struct {
	*brokertest.Mochi
	url string
	srv *mqtt.Server
}

func startBroker(t *testing.T) *broker {
	t.Helper()
	m := brokertest.StartMochi(t)
	return &broker{Mochi: m, url: m.URL, srv: m.Server()}
}

// messages returns the payloads seen on topic.
func (b *broker) messages(topic string) [][]byte {
	var out [][]byte
	for _, m := range b.Messages(topic) {
		out = append(out, m.Payload)
	}
	return out
}

// waitJSON polls topic until ok holds for one of its payloads decoded
// into a fresh T, and returns it; it fails the test after timeout.
func waitJSON[T any](t *testing.T, b *broker, topic string, timeout time.Duration, ok func(T) bool) T {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for _, p := range b.messages(topic) {
			var v T
			if json.Unmarshal(p, &v) == nil && ok(v) {
				return v
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no matching message on %s within %v (%d seen)", topic, timeout, len(b.messages(topic)))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

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
	v, found := pollJSON(b, topic, timeout, ok)
	if !found {
		t.Fatalf("no matching message on %s within %v (%d seen)", topic, timeout, len(b.messages(topic)))
	}
	return v
}

// pollJSON is waitJSON that reports a timeout instead of failing.
func pollJSON[T any](b *broker, topic string, timeout time.Duration, ok func(T) bool) (T, bool) {
	deadline := time.Now().Add(timeout)
	for {
		for _, p := range b.messages(topic) {
			var v T
			if json.Unmarshal(p, &v) == nil && ok(v) {
				return v, true
			}
		}
		if time.Now().After(deadline) {
			var zero T
			return zero, false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// publishUntil publishes payload on topic (QoS 1, not retained) and again
// every 2 s until ok holds for a payload on reply, failing the test after
// timeout. A message published before the agent subscribes is lost, and
// on a loaded machine the agent may be up later than any fixed wait; a
// signed model update or rollback sent again once applied is refused as
// not newer, so repeats change nothing.
func publishUntil[T any](t *testing.T, b *broker, topic string, payload []byte, reply string, timeout time.Duration, ok func(T) bool) T {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if err := b.srv.Publish(topic, payload, false, 1); err != nil {
			t.Fatal(err)
		}
		if v, found := pollJSON(b, reply, 2*time.Second, ok); found {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("no matching message on %s within %v of publishing on %s (%d seen)", reply, timeout, topic, len(b.messages(reply)))
		}
	}
}

package fieldloop

import (
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/auth"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
)

// broker is an in-process MQTT broker on 127.0.0.1 that keeps every
// message published to it (the agent's own test broker lives under
// agent/internal, out of this package's reach).
type broker struct {
	url  string
	srv  *mqtt.Server
	mu   sync.Mutex
	msgs map[string][][]byte
}

func startBroker(t *testing.T) *broker {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	b := &broker{url: "tcp://" + addr, msgs: map[string][][]byte{}}
	b.srv = mqtt.New(&mqtt.Options{InlineClient: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := b.srv.AddHook(new(auth.AllowHook), nil); err != nil {
		t.Fatal(err)
	}
	if err := b.srv.AddListener(listeners.NewTCP(listeners.Config{ID: "tcp", Address: addr})); err != nil {
		t.Fatal(err)
	}
	err = b.srv.Subscribe("#", 1, func(_ *mqtt.Client, _ packets.Subscription, pk packets.Packet) {
		b.mu.Lock()
		b.msgs[pk.TopicName] = append(b.msgs[pk.TopicName], append([]byte(nil), pk.Payload...))
		b.mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	go b.srv.Serve()
	t.Cleanup(func() { b.srv.Close() })
	return b
}

// messages returns the payloads seen on topic.
func (b *broker) messages(topic string) [][]byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([][]byte(nil), b.msgs[topic]...)
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

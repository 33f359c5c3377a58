package hubtest

import (
	"fmt"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// Publisher publishes like the agent's outbox: QoS 1, each message retried
// until the broker acknowledges it (at least once, in order).
type Publisher struct {
	t testing.TB
	c paho.Client
}

// NewPublisher connects (retrying) to the broker at url, with the client
// options changed by each opt (TLS, credentials); it disconnects at
// cleanup.
func NewPublisher(t testing.TB, url string, opts ...func(*paho.ClientOptions)) *Publisher {
	o := paho.NewClientOptions().AddBroker(url).SetClientID(fmt.Sprintf("pub-%d", time.Now().UnixNano())).
		SetAutoReconnect(true).SetConnectRetry(true).SetConnectRetryInterval(100 * time.Millisecond).
		SetMaxReconnectInterval(200 * time.Millisecond)
	for _, f := range opts {
		f(o)
	}
	c := paho.NewClient(o)
	c.Connect()
	t.Cleanup(func() { c.Disconnect(100) })
	return &Publisher{t: t, c: c}
}

// Publish sends one message, retrying until it is acknowledged (30 s).
func (p *Publisher) Publish(topic string, payload []byte, retained bool) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		tok := p.c.Publish(topic, 1, retained, payload)
		if tok.WaitTimeout(2*time.Second) && tok.Error() == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("publish %s: not acknowledged within 30 s", topic)
}

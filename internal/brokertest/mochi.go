// Package brokertest starts real MQTT brokers on 127.0.0.1 for tests: an
// in-process mochi-mqtt server that can be stopped and restarted on the same
// port, and Debian's mosquitto as a subprocess with TLS and a password file.
package brokertest

import (
	"fmt"
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

// Msg is a message seen by the broker.
type Msg struct {
	Topic    string
	Payload  []byte
	Retained bool
	At       time.Time
}

// Mochi is an in-process broker that records every message published to it.
type Mochi struct {
	Addr string // host:port
	URL  string // tcp://host:port

	mu   sync.Mutex
	srv  *mqtt.Server
	msgs []Msg
	cond chan struct{}
}

// FreePort returns a currently unused 127.0.0.1 TCP address.
func FreePort(t testing.TB) string {
	t.Helper()
	return FreePorts(t, 1)[0]
}

// FreePorts returns n distinct, currently unused 127.0.0.1 TCP addresses.
// Every listener stays open until all n have their port: two addresses taken
// one after the other could otherwise be the same just-closed port (CI saw
// mosquitto told to listen twice on one port).
func FreePorts(t testing.TB, n int) []string {
	t.Helper()
	addrs := make([]string, n)
	for i := range addrs {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		addrs[i] = l.Addr().String()
	}
	return addrs
}

// StartMochi starts a broker on a free loopback port; it stops at cleanup.
func StartMochi(t testing.TB) *Mochi {
	t.Helper()
	addr := FreePort(t)
	m := &Mochi{Addr: addr, URL: "tcp://" + addr, cond: make(chan struct{})}
	m.Start(t)
	t.Cleanup(m.Stop)
	return m
}

// Start (re)starts the broker on its address.
func (m *Mochi) Start(t testing.TB) {
	t.Helper()
	srv := mqtt.New(&mqtt.Options{InlineClient: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := srv.AddHook(new(auth.AllowHook), nil); err != nil {
		t.Fatal(err)
	}
	var err error
	for i := 0; i < 50; i++ { // the port may linger briefly after Stop
		if err = srv.AddListener(listeners.NewTCP(listeners.Config{ID: "tcp", Address: m.Addr})); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("mochi listen %s: %v", m.Addr, err)
	}
	if err := srv.Subscribe("#", 1, m.record); err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	m.mu.Lock()
	m.srv = srv
	m.mu.Unlock()
}

// Server returns the running mochi server (nil when stopped).
func (m *Mochi) Server() *mqtt.Server {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.srv
}

// Stop closes the broker and every client connection.
func (m *Mochi) Stop() {
	m.mu.Lock()
	srv := m.srv
	m.srv = nil
	m.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

func (m *Mochi) record(_ *mqtt.Client, _ packets.Subscription, pk packets.Packet) {
	m.mu.Lock()
	m.msgs = append(m.msgs, Msg{Topic: pk.TopicName, Payload: append([]byte(nil), pk.Payload...), Retained: pk.FixedHeader.Retain, At: time.Now()})
	close(m.cond)
	m.cond = make(chan struct{})
	m.mu.Unlock()
}

// Messages returns the messages seen so far on topic ("" for all).
func (m *Mochi) Messages(topic string) []Msg {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Msg
	for _, x := range m.msgs {
		if topic == "" || x.Topic == topic {
			out = append(out, x)
		}
	}
	return out
}

// WaitFor waits until n messages were seen on topic or the timeout passes,
// and returns what was seen. Note that mochi sends the PUBACK before it
// delivers a message to subscribers: after a client saw its PUBACK, wait
// here rather than reading Messages at once.
func (m *Mochi) WaitFor(topic string, n int, timeout time.Duration) ([]Msg, error) {
	got, ok := m.WaitUntil(topic, func(ms []Msg) bool { return len(ms) >= n }, timeout)
	if !ok {
		return got, fmt.Errorf("saw %d of %d messages on %q within %v", len(got), n, topic, timeout)
	}
	return got, nil
}

// WaitUntil waits until cond holds for the messages seen on topic ("" for
// all) or the timeout passes; it returns the messages and whether cond held.
func (m *Mochi) WaitUntil(topic string, cond func([]Msg) bool, timeout time.Duration) ([]Msg, bool) {
	deadline := time.After(timeout)
	for {
		m.mu.Lock()
		c := m.cond
		m.mu.Unlock()
		got := m.Messages(topic)
		if cond(got) {
			return got, true
		}
		select {
		case <-c:
		case <-deadline:
			return m.Messages(topic), false
		}
	}
}

// Publish injects a message as if a client had sent it.
func (m *Mochi) Publish(topic string, payload []byte, retain bool) error {
	srv := m.Server()
	if srv == nil {
		return fmt.Errorf("broker stopped")
	}
	return srv.Publish(topic, payload, retain, 1)
}

package mqttpub

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent/outbox"
	"github.com/trapnet/trapnet/internal/brokertest"
)

const topic = "trapnet/t1/detections"

type rig struct {
	box *outbox.Outbox
	pub *Publisher
	got chan string
}

func start(t *testing.T, opt Options) *rig {
	t.Helper()
	box, err := outbox.Open(filepath.Join(t.TempDir(), "o.db"), outbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{box: box, got: make(chan string, 100)}
	if opt.ClientID == "" {
		opt.ClientID = "trapnet-t1"
	}
	opt.StatusTopic = "trapnet/t1/status"
	opt.AckTimeout = 2 * time.Second
	opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	opt.MaxReconnectInterval = 200 * time.Millisecond
	opt.Subscriptions = map[string]Handler{"trapnet/t1/model/set": func(_ string, p []byte) { r.got <- string(p) }}
	r.pub, err = New(opt, box)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.pub.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; r.pub.Close(); box.Close() })
	return r
}

func (r *rig) put(t *testing.T, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		if _, err := r.box.Put(outbox.Message{Topic: topic, QoS: 1, Payload: []byte(strconv.Itoa(i))}); err != nil {
			t.Fatal(err)
		}
	}
}

// checkAllInOrder verifies that ids 0..n-1 all arrived and that their first
// arrivals are in order (duplicates after a reconnect are allowed: consumers
// de-duplicate by id).
func checkAllInOrder(t *testing.T, msgs []brokertest.Msg, n int) {
	t.Helper()
	seen := map[int]bool{}
	last := -1
	for _, m := range msgs {
		id, err := strconv.Atoi(string(m.Payload))
		if err != nil {
			t.Fatalf("bad payload %q", m.Payload)
		}
		if seen[id] {
			continue
		}
		if id < last {
			t.Fatalf("message %d arrived after %d", id, last)
		}
		seen[id], last = true, id
	}
	if len(seen) != n {
		t.Fatalf("%d distinct messages arrived, want %d", len(seen), n)
	}
}

func TestDrainInOrderAndStatus(t *testing.T) {
	b := brokertest.StartMochi(t)
	r := start(t, Options{Broker: b.URL})
	r.put(t, 0, 50)
	msgs, err := b.WaitFor(topic, 50, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	checkAllInOrder(t, msgs, 50)
	waitDepth(t, r.box, 0)
	st := b.Messages("trapnet/t1/status")
	if len(st) == 0 || string(st[0].Payload) != "online" || !st[0].Retained {
		t.Fatalf("status messages %+v, want retained online", st)
	}
	// A model update published to the subscribed topic reaches its handler.
	if err := b.Publish("trapnet/t1/model/set", []byte(`{"x":1}`), false); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-r.got:
		if p != `{"x":1}` {
			t.Fatalf("handler got %q", p)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("subscription handler not called")
	}
}

func waitDepth(t *testing.T, box *outbox.Outbox, want int) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if box.Stats().Depth == want {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("outbox depth %d, want %d", box.Stats().Depth, want)
}

// TestBrokerOutage stops the broker while messages are queued, restarts it
// and checks all arrive, in order.
func TestBrokerOutage(t *testing.T) {
	b := brokertest.StartMochi(t)
	r := start(t, Options{Broker: b.URL})
	r.put(t, 0, 10)
	if _, err := b.WaitFor(topic, 10, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	b.Stop()
	r.put(t, 10, 40) // while the broker is down
	time.Sleep(300 * time.Millisecond)
	if d := r.box.Stats().Depth; d == 0 {
		t.Fatal("outbox drained while the broker was down")
	}
	b.Start(t)
	r.put(t, 40, 45)
	if _, err := b.WaitFor(topic, 45, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	waitDepth(t, r.box, 0) // everything acknowledged
	// mochi acks before delivering to subscribers: wait for the last one.
	msgs, _ := b.WaitUntil(topic, func(ms []brokertest.Msg) bool { return len(ms) > 0 && string(ms[len(ms)-1].Payload) == "44" }, 5*time.Second)
	checkAllInOrder(t, msgs, 45)
}

// TestLastWill cuts the agent's connection at the broker: the retained
// status becomes "offline".
func TestLastWill(t *testing.T) {
	b := brokertest.StartMochi(t)
	r := start(t, Options{Broker: b.URL})
	r.put(t, 0, 1)
	if _, err := b.WaitFor(topic, 1, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	cl, ok := b.Server().Clients.Get("trapnet-t1")
	if !ok {
		t.Fatal("agent client not found at broker")
	}
	cl.Stop(fmt.Errorf("test: cut connection"))
	msgs, err := b.WaitFor("trapnet/t1/status", 2, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if string(msgs[1].Payload) != "offline" {
		t.Fatalf("status after cut = %q, want offline (will)", msgs[1].Payload)
	}
}

// BenchmarkPutToPuback measures the latency from the outbox commit to the
// broker's PUBACK with the in-process broker, one message at a time.
func BenchmarkPutToPuback(b *testing.B) {
	br := brokertest.StartMochi(b)
	box, _ := outbox.Open(filepath.Join(b.TempDir(), "o.db"), outbox.Options{})
	defer box.Close()
	acked := make(chan struct{}, 1)
	p, _ := New(Options{Broker: br.URL, ClientID: "bench", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), OnAck: func(outbox.Entry) { acked <- struct{}{} }}, box)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.Run(ctx)
	for !p.Connected() {
		time.Sleep(10 * time.Millisecond)
	}
	lat := make([]time.Duration, 0, b.N)
	payload := make([]byte, 500)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		box.Put(outbox.Message{Topic: topic, QoS: 1, Payload: payload})
		<-acked
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	p.Close()
}

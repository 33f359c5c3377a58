package mqttpub

import (
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent/outbox"
	"github.com/trapnet/trapnet/internal/brokertest"
)

func runLogged(t *testing.T, opt Options, logs *brokertest.LogBuffer) *Publisher {
	t.Helper()
	box, err := outbox.Open(filepath.Join(t.TempDir(), "o.db"), outbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opt.Logger = slog.New(slog.NewTextHandler(logs, nil))
	opt.MaxReconnectInterval = 100 * time.Millisecond
	opt.AckTimeout = 2 * time.Second
	p, err := New(opt, box)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; p.Close(); box.Close() })
	return p
}

// Case 10 of issue 13: one failed dial notifies twice with two texts; the
// once-a-minute limit holds for both, so repeated failures log two lines,
// not two per attempt.
func TestFailedDialsLoggedOnce(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	logs := &brokertest.LogBuffer{}
	p := runLogged(t, Options{Broker: "tcp://" + addr, ClientID: "trapnet-dial"}, logs)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		p.errMu.Lock()
		n := p.suppressed
		p.errMu.Unlock()
		if n >= 4 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := logs.Count("mqtt connection attempt failed"); n < 1 || n > 2 {
		t.Fatalf("%d log lines for repeated failed dials, want 1 or 2:\n%s", n, logs.String())
	}
	if p.Stats().LastConnectError == "" {
		t.Fatal("last_connect_error not kept")
	}
}

// Case 10 of issue 13: two agents with one client id take the connection
// from each other; the log says so instead of only "EOF".
func TestSameClientIDReported(t *testing.T) {
	b := brokertest.StartMochi(t)
	logs := &brokertest.LogBuffer{}
	runLogged(t, Options{Broker: b.URL, ClientID: "trapnet-twin"}, logs)
	runLogged(t, Options{Broker: b.URL, ClientID: "trapnet-twin"}, &brokertest.LogBuffer{})
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && logs.Count("another client") == 0 {
		time.Sleep(50 * time.Millisecond)
	}
	if logs.Count("another client") == 0 {
		t.Fatalf("no hint about a shared client id:\n%s", logs.String())
	}
}

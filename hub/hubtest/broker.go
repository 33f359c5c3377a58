package hubtest

import (
	"io"
	"log/slog"
	"net"
	"testing"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/auth"
	"github.com/mochi-mqtt/server/v2/listeners"
)

// loopback listens on a free 127.0.0.1 port.
func loopback(t testing.TB) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// FreeAddr returns a 127.0.0.1 address that was free a moment ago, for a
// server in another process.
func FreeAddr(t testing.TB) string {
	l := loopback(t)
	l.Close()
	return l.Addr().String()
}

// StartMochi starts an in-process mochi-mqtt broker (no persistence) on
// 127.0.0.1, stopped at cleanup, and returns its URL.
func StartMochi(t testing.TB) string {
	t.Helper()
	l := loopback(t)
	srv := mqtt.New(&mqtt.Options{InlineClient: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := srv.AddHook(new(auth.AllowHook), nil); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddListener(listeners.NewNet("tcp", l)); err != nil {
		t.Fatal(err)
	}
	if err := srv.Serve(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return "tcp://" + l.Addr().String()
}

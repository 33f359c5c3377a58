package runner

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/camera"
)

// TestSystemdNotify runs the agent under a fake systemd: it must report
// READY=1, feed the watchdog and report STOPPING=1.
func TestSystemdNotify(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "notify")
	l, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	t.Setenv("NOTIFY_SOCKET", sock)
	t.Setenv("WATCHDOG_USEC", "100000") // ping every 50 ms
	t.Setenv("WATCHDOG_PID", strconv.Itoa(os.Getpid()))
	b := newStoppedBroker(t)
	e := newEnv(t, b.URL)
	r, err := New(e.cfg, Options{Finder: agent.WholeImage{}, Source: camera.NewFiles(nil, camera.Options{}), Tick: make(chan time.Time), Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, 0) }()
	var got []string
	buf := make([]byte, 256)
	deadline := time.Now().Add(5 * time.Second)
	watchdogs := 0
	for watchdogs < 2 && time.Now().Before(deadline) {
		l.SetReadDeadline(deadline)
		n, _, err := l.ReadFromUnix(buf)
		if err != nil {
			break
		}
		got = append(got, string(buf[:n]))
		if string(buf[:n]) == "WATCHDOG=1" {
			watchdogs++
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	l.SetReadDeadline(time.Now().Add(2 * time.Second))
	for {
		n, _, err := l.ReadFromUnix(buf)
		if err != nil {
			break
		}
		got = append(got, string(buf[:n]))
		if string(buf[:n]) == "STOPPING=1" {
			break
		}
	}
	all := strings.Join(got, " ")
	if len(got) == 0 || got[0] != "READY=1" || watchdogs < 2 || !strings.Contains(all, "STOPPING=1") {
		t.Fatalf("notifications %v", got)
	}
}

package hub

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/trapnet/trapnet/internal/brokertest"
)

// mosquitto is Debian's broker as a subprocess with persistence, so it can
// be restarted keeping the hub's session and the messages queued for it.
type mosquitto struct {
	url, conf string
	cmd       *exec.Cmd
	log       bytes.Buffer
}

// startMosquitto starts mosquitto; it skips the test when mosquitto is not
// installed, except in CI (scripts/deps.sh test installs it).
func startMosquitto(t testing.TB) *mosquitto {
	t.Helper()
	bin, err := exec.LookPath("mosquitto")
	if err != nil {
		bin = "/usr/sbin/mosquitto"
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("mosquitto is not installed (scripts/deps.sh test installs it)")
		}
		t.Skip("mosquitto not installed (apt-get install mosquitto)")
	}
	dir := t.TempDir()
	// As root mosquitto drops to user mosquitto: it must write its store.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	addr := brokertest.FreePort(t)
	_, port, _ := net.SplitHostPort(addr)
	m := &mosquitto{url: "tcp://" + addr, conf: filepath.Join(dir, "mosquitto.conf")}
	conf := fmt.Sprintf("listener %s 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\n"+
		"max_queued_messages 0\nmax_inflight_messages 0\nlog_dest stderr\n", port, dir)
	if err := os.WriteFile(m.conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	m.cmd = exec.Command(bin, "-c", m.conf)
	m.start(t)
	t.Cleanup(m.stop)
	return m
}

// start (re)starts mosquitto from its store and waits until it listens.
func (m *mosquitto) start(t testing.TB) {
	t.Helper()
	m.cmd = exec.Command(m.cmd.Path, m.cmd.Args[1:]...)
	m.cmd.Stderr = &m.log
	if err := m.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := m.url[len("tcp://"):]
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
	}
	t.Fatalf("mosquitto did not listen on %s: %s", addr, m.log.String())
}

// stop ends mosquitto gracefully (SIGTERM: it writes its store).
func (m *mosquitto) stop() {
	if m.cmd.Process == nil || m.cmd.ProcessState != nil {
		return
	}
	m.cmd.Process.Signal(syscall.SIGTERM)
	m.cmd.Wait()
}

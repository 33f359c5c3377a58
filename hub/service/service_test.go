package service

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trapnet/trapnet/hub"
	"github.com/trapnet/trapnet/hub/hubtest"
	"github.com/trapnet/trapnet/hub/web"
	"github.com/trapnet/trapnet/internal/brokertest"
)

// TestRun: the whole hub on a broker: what a trap publishes shows on the
// page; /metrics counts it; the hub stops on cancel.
func TestRun(t *testing.T) {
	broker := brokertest.StartMochi(t).URL
	dir := t.TempDir()
	line, err := web.HashPassword("alice", "s3cret-password")
	if err != nil {
		t.Fatal(err)
	}
	users := filepath.Join(dir, "users")
	os.WriteFile(users, []byte(line+"\n"), 0o600)
	cfg := hub.DefaultConfig()
	cfg.Listen = "127.0.0.1:0"
	cfg.Database.Path = filepath.Join(dir, "hub.db")
	cfg.MQTT.Broker = broker
	cfg.UsersFile = users
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	urlc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), func(u string) { urlc <- u })
	}()
	var base string
	select {
	case base = <-urlc:
	case err := <-done:
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(base+"login", url.Values{"user": {"alice"}, "password": {"s3cret-password"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", resp.Status, err)
	}
	resp.Body.Close()
	pub := hubtest.NewPublisher(t, broker)
	// The hub's first subscription: a retained status reaches it even if
	// it subscribes after the publish.
	pub.Publish("trapnet/trap-07/status", []byte("online"), true)
	waitFor(t, c, base, `<td class="online">`)
	for _, m := range hubtest.Fixture("trap-07", 50, 5) {
		pub.Publish(m.Topic, m.Payload, false)
	}
	waitFor(t, c, base, `>50</a></td>`)
	resp, err = http.Get(base + "metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `trapnet_trap_detections{trap="trap-07"} 50`) || !strings.Contains(string(b), "trapnet_hub_broker_connected 1") {
		t.Errorf("metrics:\n%s", b)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

// waitFor polls the overview until it contains want.
func waitFor(t *testing.T, c *http.Client, base, want string) {
	t.Helper()
	var body string
	for end := time.Now().Add(15 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		resp, err := c.Get(base)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if body = string(b); strings.Contains(body, want) {
			return
		}
	}
	t.Fatalf("the overview never showed %q:\n%s", want, body)
}

package runner

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/mqttpub"
	"github.com/trapnet/trapnet/internal/brokertest"
)

// TestRunMosquittoTLS runs the agent against Debian's mosquitto with TLS and
// a password file, configured only through the YAML keys (ca_file,
// username, password_file), and checks the detections and status arrive.
func TestRunMosquittoTLS(t *testing.T) {
	m := brokertest.StartMosquitto(t)
	e := newEnv(t, m.URL)
	raw, _ := os.ReadFile(filepath.Join(e.dir, "agent.yaml"))
	cfg, err := config.Parse(replaceMQTT(raw, m), "agent.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tlsCfg, _ := mqttpub.TLSConfig(m.CAFile, "", "")
	var mu sync.Mutex
	got := map[string][]string{}
	sub := paho.NewClient(paho.NewClientOptions().AddBroker(m.URL).SetClientID("checker").
		SetUsername(m.Username).SetPassword(m.Password).SetTLSConfig(tlsCfg))
	if tok := sub.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("checker connect: %v", tok.Error())
	}
	defer sub.Disconnect(50)
	sub.Subscribe("trapnet/t1/#", 1, func(_ paho.Client, msg paho.Message) {
		mu.Lock()
		got[msg.Topic()] = append(got[msg.Topic()], string(msg.Payload()))
		mu.Unlock()
	}).Wait()

	writeImage(t, filepath.Join(e.incoming, "a.png"), red)
	writeImage(t, filepath.Join(e.incoming, "b.png"), green)
	r, err := New(cfg, Options{Finder: agent.WholeImage{}, Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, 2*time.Second) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(got["trapnet/t1/detections"])
		mu.Unlock()
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("%d detections via mosquitto; log:\n%s", n, m.Log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	st := got["trapnet/t1/status"]
	if len(st) < 2 || st[0] != "online" || st[len(st)-1] != "offline" {
		t.Fatalf("status messages %v", st)
	}
}

// replaceMQTT swaps the mqtt line of the test config for TLS + password keys.
func replaceMQTT(yaml []byte, m *brokertest.Mosquitto) []byte {
	q := func(s string) string { return "'" + s + "'" }
	lines := strings.Split(string(yaml), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "mqtt:") {
			lines[i] = "mqtt: {broker: " + q(m.URL) + ", ca_file: " + q(m.CAFile) + ", username: " + q(m.Username) +
				", password_file: " + q(m.PasswordFile) + ", ack_timeout: 2s, reconnect_max: 200ms}"
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

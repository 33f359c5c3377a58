package hub

import (
	"context"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/trapnet/trapnet/agent/mqttpub"
	"github.com/trapnet/trapnet/hub/hubtest"
	"github.com/trapnet/trapnet/internal/brokertest"
)

// TestIngestTLS: the hub reads its broker, CA, user and password file from
// the mqtt keys as the agent does, and ingests over TLS with a password
// (Debian's mosquitto); a wrong password is reported, not stored.
func TestIngestTLS(t *testing.T) {
	m := brokertest.StartMosquitto(t)
	cfg := DefaultConfig()
	cfg.UsersFile = "unused"
	cfg.MQTT = MQTT{Broker: m.URL, ClientID: "hub-tls", Root: "trapnet", Username: m.Username, PasswordFile: m.PasswordFile, CAFile: m.CAFile}
	opt, err := cfg.IngestOptions()
	if err != nil {
		t.Fatal(err)
	}
	if opt.TLS == nil || opt.Password != m.Password {
		t.Fatalf("options without TLS or password: %+v", opt)
	}
	s := openTest(t)
	opt.Logger = quietLogger()
	g := NewIngester(s, opt)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go g.Run(ctx)
	tlsCfg, err := mqttpub.TLSConfig(m.CAFile, "", "")
	if err != nil {
		t.Fatal(err)
	}
	pub := hubtest.NewPublisher(t, m.URL, func(o *paho.ClientOptions) {
		o.SetTLSConfig(tlsCfg).SetUsername(m.Username).SetPassword(m.Password)
	})
	waitSubscribed(t, s, pub)
	for _, msg := range hubtest.Fixture("trap-01", 20, 2) {
		pub.Publish(msg.Topic, msg.Payload, false)
	}
	waitCount(t, s, 20, 10*time.Second)

	// A wrong password: the ingester says why it is not connected.
	bad := opt
	bad.Password, bad.ClientID = "wrong", "hub-tls-bad"
	g2 := NewIngester(s, bad)
	go g2.Run(ctx)
	for end := time.Now().Add(10 * time.Second); g2.Stats().LastError == "" && time.Now().Before(end); {
		time.Sleep(50 * time.Millisecond)
	}
	if st := g2.Stats(); st.Connected || st.LastError == "" {
		t.Errorf("wrong password: %+v, want not connected with an error", st)
	}
}

package mqttpub

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/trapnet/trapnet/internal/brokertest"
)

// TestMosquittoTLSPassword publishes through Debian's mosquitto with TLS and
// a password file, and checks a wrong password is refused.
func TestMosquittoTLSPassword(t *testing.T) {
	m := brokertest.StartMosquitto(t)
	tlsCfg, err := TLSConfig(m.CAFile, "", "")
	if err != nil {
		t.Fatal(err)
	}
	pw, err := ReadPassword(m.PasswordFile)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []brokertest.Msg
	sub := paho.NewClient(paho.NewClientOptions().AddBroker(m.URL).SetClientID("checker").
		SetUsername(m.Username).SetPassword(pw).SetTLSConfig(tlsCfg))
	if tok := sub.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("checker connect: %v\n%s", tok.Error(), m.Log)
	}
	defer sub.Disconnect(50)
	sub.Subscribe(topic, 1, func(_ paho.Client, msg paho.Message) {
		mu.Lock()
		got = append(got, brokertest.Msg{Topic: msg.Topic(), Payload: msg.Payload()})
		mu.Unlock()
	}).Wait()

	r := start(t, Options{Broker: m.URL, Username: m.Username, Password: pw, TLS: tlsCfg})
	r.put(t, 0, 20)
	waitDepth(t, r.box, 0)
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n >= 20 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	checkAllInOrder(t, got, 20)
	mu.Unlock()

	bad := paho.NewClient(paho.NewClientOptions().AddBroker(m.URL).SetClientID("intruder").
		SetUsername(m.Username).SetPassword("wrong").SetTLSConfig(tlsCfg))
	if tok := bad.Connect(); tok.WaitTimeout(5*time.Second) && tok.Error() == nil {
		t.Fatal("wrong password accepted")
	}

	// The listener requiring a client certificate: refused without, accepted with.
	if tok := paho.NewClient(paho.NewClientOptions().AddBroker(m.MTLSURL).SetClientID("nocert").
		SetUsername(m.Username).SetPassword(pw).SetTLSConfig(tlsCfg).SetConnectTimeout(3 * time.Second)).Connect(); tok.WaitTimeout(5*time.Second) && tok.Error() == nil {
		t.Fatal("connection without client certificate accepted")
	}
	mtls, err := TLSConfig(m.CAFile, m.ClientCert, m.ClientKey)
	if err != nil {
		t.Fatal(err)
	}
	withCert := paho.NewClient(paho.NewClientOptions().AddBroker(m.MTLSURL).SetClientID("withcert").
		SetUsername(m.Username).SetPassword(pw).SetTLSConfig(mtls))
	if tok := withCert.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("client certificate refused: %v\n%s", tok.Error(), m.Log)
	}
	withCert.Disconnect(50)

	// A publisher with a wrong password keeps retrying and reports why.
	r2 := start(t, Options{Broker: m.URL, ClientID: "trapnet-t2", Username: m.Username, Password: "wrong", TLS: tlsCfg})
	deadline = time.Now().Add(5 * time.Second)
	for r2.pub.Stats().LastConnectError == "" && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if st := r2.pub.Stats(); st.Connected || !strings.Contains(strings.ToLower(st.LastConnectError), "password") && !strings.Contains(strings.ToLower(st.LastConnectError), "authori") {
		t.Fatalf("wrong password: stats %+v", st)
	}
}

func TestCredentialErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	notPEM := filepath.Join(dir, "ca.pem")
	os.WriteFile(notPEM, []byte("hello"), 0o644)
	secret := filepath.Join(dir, "pw")
	os.WriteFile(secret, []byte("hunter2\r\nsecond line"), 0o600)
	if pw, err := ReadPassword(secret); err != nil || pw != "hunter2" {
		t.Fatalf("ReadPassword = %q, %v", pw, err)
	}
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"missing password file", second(ReadPassword(filepath.Join(dir, "nope"))), "password_file"},
		{"empty password", second(ReadPassword(empty)), "empty first line"},
		{"ca not PEM", second(TLSConfig(notPEM, "", "")), "no PEM certificate"},
		{"missing ca", second(TLSConfig(filepath.Join(dir, "nope.pem"), "", "")), "ca_file"},
		{"bad key pair", second(TLSConfig("", notPEM, notPEM)), "cert_file/key_file"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, c.err, c.want)
		}
		if c.err != nil && strings.Contains(c.err.Error(), "hunter2") {
			t.Errorf("%s: error leaks the password", c.name)
		}
	}
}

func second[T any](_ T, err error) error { return err }

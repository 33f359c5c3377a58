package brokertest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Mosquitto is a mosquitto subprocess listening with TLS on 127.0.0.1 and
// requiring a username and password.
type Mosquitto struct {
	URL string // ssl://127.0.0.1:port
	// MTLSURL is a second listener that also requires a client
	// certificate signed by the CA (ClientCert, ClientKey).
	MTLSURL               string
	ClientCert, ClientKey string
	CAFile                string // PEM of the CA that signed the server certificate
	Username, Password    string
	PasswordFile          string // the password, for the client (one line)
	Log                   *bytes.Buffer
}

// StartMosquitto starts mosquitto or skips the test when it is not installed.
func StartMosquitto(t testing.TB) *Mosquitto {
	t.Helper()
	bin, err := exec.LookPath("mosquitto")
	if err != nil {
		if _, err2 := os.Stat("/usr/sbin/mosquitto"); err2 != nil {
			t.Skip("mosquitto not installed (apt-get install mosquitto); skipping the mosquitto TLS test")
		}
		bin = "/usr/sbin/mosquitto"
	}
	passwd, err := exec.LookPath("mosquitto_passwd")
	if err != nil {
		t.Skip("mosquitto_passwd not installed; skipping the mosquitto TLS test")
	}
	dir := t.TempDir()
	// As root mosquitto drops to user mosquitto: it must reach the files.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ca, srvCert, srvKey, cliCert, cliKey := writeCerts(t, dir)
	m := &Mosquitto{CAFile: ca, ClientCert: cliCert, ClientKey: cliKey, Username: "trap", Password: "s3cret-pw", Log: new(bytes.Buffer)}
	pwf := filepath.Join(dir, "passwd")
	if out, err := exec.Command(passwd, "-b", "-c", pwf, m.Username, m.Password).CombinedOutput(); err != nil {
		t.Fatalf("mosquitto_passwd: %v: %s", err, out)
	}
	for _, f := range []string{pwf, srvCert, srvKey, ca, cliCert, cliKey} {
		os.Chmod(f, 0o644)
	}
	m.PasswordFile = filepath.Join(dir, "client.password")
	os.WriteFile(m.PasswordFile, []byte(m.Password+"\n"), 0o600)
	// Another process may take a chosen port before mosquitto binds it:
	// then mosquitto exits at once and is started again on fresh ports.
	var addr, addr2 string
	for try := 1; ; try++ {
		ports := FreePorts(t, 2)
		addr, addr2 = ports[0], ports[1]
		err := m.listen(t, bin, dir, pwf, ca, srvCert, srvKey, addr, addr2)
		if err == nil {
			break
		}
		if try == 3 || !strings.Contains(m.Log.String(), "Address already in use") {
			t.Fatalf("mosquitto did not listen on %s and %s: %v\n%s", addr, addr2, err, m.Log)
		}
		m.Log.Reset()
	}
	m.URL, m.MTLSURL = "ssl://"+addr, "ssl://"+addr2
	return m
}

// listen writes the configuration for two TLS listeners and starts
// mosquitto, waiting until both listen. It returns an error, mosquitto
// stopped, when mosquitto exits or does not listen within 5 s.
func (m *Mosquitto) listen(t testing.TB, bin, dir, pwf, ca, srvCert, srvKey, addr, addr2 string) error {
	t.Helper()
	_, port, _ := net.SplitHostPort(addr)
	_, port2, _ := net.SplitHostPort(addr2)
	conf := fmt.Sprintf("per_listener_settings false\nallow_anonymous false\npassword_file %[1]s\npersistence false\nlog_dest stderr\n"+
		"listener %[2]s 127.0.0.1\ncafile %[3]s\ncertfile %[4]s\nkeyfile %[5]s\n"+
		"listener %[6]s 127.0.0.1\ncafile %[3]s\ncertfile %[4]s\nkeyfile %[5]s\nrequire_certificate true\n", pwf, port, ca, srvCert, srvKey, port2)
	cf := filepath.Join(dir, "mosquitto.conf")
	if err := os.WriteFile(cf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-c", cf)
	cmd.Stdout, cmd.Stderr = m.Log, m.Log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mosquitto: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Kill()
		<-exited
	}
	for end := time.Now().Add(5 * time.Second); ; {
		select {
		case err := <-exited:
			return fmt.Errorf("mosquitto exited: %v", err)
		default:
		}
		if dialable(addr) && dialable(addr2) {
			t.Cleanup(stop)
			return nil
		}
		if time.Now().After(end) {
			stop()
			return fmt.Errorf("not listening after 5 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// dialable reports whether a TCP connection to addr opens.
func dialable(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// writeCerts makes a CA, a server certificate for IP 127.0.0.1 and a client
// certificate.
func writeCerts(t testing.TB, dir string) (caFile, certFile, keyFile, cliCert, cliKey string) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "trapnet test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	caFile, certFile, keyFile = filepath.Join(dir, "ca.pem"), filepath.Join(dir, "server.pem"), filepath.Join(dir, "server.key")
	write := func(path, typ string, b []byte) {
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(caFile, "CERTIFICATE", caDER)
	write(certFile, "CERTIFICATE", der)
	write(keyFile, "EC PRIVATE KEY", keyDER)

	ckey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ctmpl := &x509.Certificate{
		SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "trap"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	cder, err := x509.CreateCertificate(rand.Reader, ctmpl, caCert, &ckey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ckeyDER, _ := x509.MarshalECPrivateKey(ckey)
	cliCert, cliKey = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key")
	write(cliCert, "CERTIFICATE", cder)
	write(cliKey, "EC PRIVATE KEY", ckeyDER)
	return
}

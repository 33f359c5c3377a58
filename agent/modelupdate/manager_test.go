package modelupdate

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/agent/model"
	"github.com/trapnet/trapnet/agent/model/testmodel"
)

type rig struct {
	mgr    *Manager[*model.Model]
	path   string
	active *model.Model
	priv   []byte
}

func newRig(t *testing.T) *rig {
	t.Helper()
	privPEM, pubPEM, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ParsePublicKey(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r := &rig{path: filepath.Join(dir, "model.tflite"), priv: privPEM}
	if err := os.WriteFile(r.path, testmodel.Build(testmodel.Options{Version: "v1"}), 0o644); err != nil {
		t.Fatal(err)
	}
	r.active, err = model.Load(r.path)
	if err != nil {
		t.Fatal(err)
	}
	r.mgr = &Manager[*model.Model]{Path: r.path, PublicKey: pub, MaxBytes: 1 << 20, Load: model.Load, Install: func(m *model.Model) { r.active = m }}
	return r
}

func (r *rig) sign(t *testing.T, data []byte) string {
	t.Helper()
	priv, err := ParsePrivateKey(r.priv)
	if err != nil {
		t.Fatal(err)
	}
	return Sign(priv, data)
}

func TestApplyGoodUpdates(t *testing.T) {
	r := newRig(t)
	v2 := testmodel.Build(testmodel.Options{Version: "v2"})
	p, _ := NewPayload(v2, r.sign(t, v2), "")
	if err := r.mgr.Apply(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if r.active.Version() != "v2" {
		t.Fatalf("active version %s", r.active.Version())
	}
	if prev, err := model.Load(r.path + ".prev"); err != nil || prev.Version() != "v1" {
		t.Fatalf("previous model not kept: %v", err)
	}
	// By file path and by HTTP.
	v3 := testmodel.Build(testmodel.Options{Version: "v3"})
	f := filepath.Join(t.TempDir(), "v3.tflite")
	os.WriteFile(f, v3, 0o644)
	p, _ = NewPayload(v3, r.sign(t, v3), f)
	if err := r.mgr.Apply(context.Background(), p); err != nil || r.active.Version() != "v3" {
		t.Fatalf("file update: %v, active %s", err, r.active.Version())
	}
	v4 := testmodel.Build(testmodel.Options{Version: "v4"})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(v4) }))
	defer srv.Close()
	p, _ = NewPayload(v4, r.sign(t, v4), srv.URL+"/m.tflite")
	if err := r.mgr.Apply(context.Background(), p); err != nil || r.active.Version() != "v4" {
		t.Fatalf("http update: %v, active %s", err, r.active.Version())
	}
	if s := r.mgr.Stats(); s.Applied != 3 || s.Refused != 0 || s.Failed != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestRefusedUpdates(t *testing.T) {
	r := newRig(t)
	v2 := testmodel.Build(testmodel.Options{Version: "v2"})
	good := r.sign(t, v2)
	sum := sha256.Sum256(v2)
	hexSum := hex.EncodeToString(sum[:])
	b64 := base64.StdEncoding.EncodeToString(v2)
	otherPriv, _, _ := GenerateKey()
	ok, _ := ParsePrivateKey(otherPriv)
	tampered := append([]byte(nil), v2...)
	tampered[len(tampered)/2] ^= 1
	tsum := sha256.Sum256(tampered)
	broken := testmodel.Build(testmodel.Options{Broken: true})
	bsum := sha256.Sum256(broken)
	cases := []struct {
		name    string
		payload string
		refused bool   // else failed
		want    string // in the error
	}{
		{"not json", `model please`, true, "not the model/set JSON"},
		{"unknown field", `{"uri":"x","sha256":"` + hexSum + `","signature":"` + good + `"}`, true, "unknown field"},
		{"neither url nor data", `{"sha256":"` + hexSum + `","signature":"` + good + `"}`, true, "exactly one of url and data"},
		{"both", `{"url":"/x","data":"` + b64 + `","sha256":"` + hexSum + `","signature":"` + good + `"}`, true, "exactly one"},
		{"bad sha", `{"data":"` + b64 + `","sha256":"abc","signature":"` + good + `"}`, true, "64 hex digits"},
		{"unsigned", `{"data":"` + b64 + `","sha256":"` + hexSum + `"}`, true, "unsigned"},
		{"signature not base64", `{"data":"` + b64 + `","sha256":"` + hexSum + `","signature":"%%%"}`, true, "not base64"},
		{"wrong key", `{"data":"` + b64 + `","sha256":"` + hexSum + `","signature":"` + Sign(ok, v2) + `"}`, true, "signature does not match"},
		{"tampered file", `{"data":"` + base64.StdEncoding.EncodeToString(tampered) + `","sha256":"` + hexSum + `","signature":"` + good + `"}`, true, "sha256 mismatch"},
		{"tampered file and hash", `{"data":"` + base64.StdEncoding.EncodeToString(tampered) + `","sha256":"` + hex.EncodeToString(tsum[:]) + `","signature":"` + good + `"}`, true, "signature does not match"},
		{"bad scheme", `{"url":"ftp://x/m","sha256":"` + hexSum + `","signature":"` + good + `"}`, true, "want http(s)"},
		{"missing file", `{"url":"/nonexistent/m.tflite","sha256":"` + hexSum + `","signature":"` + good + `"}`, false, "no such file"},
		{"signed but broken model", `{"data":"` + base64.StdEncoding.EncodeToString(broken) + `","sha256":"` + hex.EncodeToString(bsum[:]) + `","signature":"` + r.sign(t, broken) + `"}`, false, "self-test"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := r.mgr.Stats()
			err := r.mgr.Apply(context.Background(), []byte(c.payload))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
			if errors.Is(err, Refused) != c.refused {
				t.Fatalf("refused = %v, want %v (%v)", errors.Is(err, Refused), c.refused, err)
			}
			after := r.mgr.Stats()
			if after.Refused+after.Failed != before.Refused+before.Failed+1 || after.LastError == "" {
				t.Fatalf("not counted: %+v", after)
			}
			if r.active.Version() != "v1" {
				t.Fatalf("active model changed to %s", r.active.Version())
			}
			if _, err := os.Stat(r.path + ".new"); !os.IsNotExist(err) {
				t.Fatal("candidate file left behind")
			}
		})
	}
	if s := r.mgr.Stats(); s.Applied != 0 || s.Failed != 2 {
		t.Fatalf("stats %+v", s)
	}
}

func TestLoadActiveRollsBack(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.tflite")
	os.WriteFile(path, []byte("corrupt after a bad flash"), 0o644)
	os.WriteFile(path+".prev", testmodel.Build(testmodel.Options{Version: "v1"}), 0o644)
	m, err := LoadActive(path, model.Load)
	if err != nil || m.Version() != "v1" {
		t.Fatalf("rollback: %v", err)
	}
	if again, err := model.Load(path); err != nil || again.Version() != "v1" {
		t.Fatalf("rolled-back file not in place: %v", err)
	}
	if _, err := os.Stat(path + ".bad"); err != nil {
		t.Fatal("broken model not kept as .bad")
	}
	if _, err := LoadActive(filepath.Join(dir, "none.tflite"), model.Load); err == nil {
		t.Fatal("missing model without .prev loaded")
	}
}

func TestSignRoundTrip(t *testing.T) {
	privPEM, pubPEM, _ := GenerateKey()
	priv, _ := ParsePrivateKey(privPEM)
	pub, _ := ParsePublicKey(pubPEM)
	data := []byte("model bytes")
	sig := Sign(priv, data)
	if err := Verify(pub, data, sig+"\n"); err != nil {
		t.Fatal(err)
	}
	if err := Verify(pub, []byte("model bytez"), sig); err == nil {
		t.Fatal("tampered data verified")
	}
	if _, err := ParsePublicKey(privPEM); err == nil {
		t.Fatal("private key accepted as public")
	}
}

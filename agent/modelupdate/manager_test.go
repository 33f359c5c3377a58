package modelupdate

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent/model"
	"github.com/trapnet/trapnet/agent/model/testmodel"
)

type rig struct {
	mgr    *Manager[*model.Model]
	path   string
	active *model.Model
	priv   []byte
	dir    string // model.update_dir
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
	r := &rig{path: filepath.Join(dir, "model.tflite"), priv: privPEM, dir: filepath.Join(dir, "updates")}
	os.Mkdir(r.dir, 0o755)
	if err := os.WriteFile(r.path, testmodel.Build(testmodel.Options{Version: "v1"}), 0o644); err != nil {
		t.Fatal(err)
	}
	r.active, err = model.Load(r.path)
	if err != nil {
		t.Fatal(err)
	}
	r.mgr = &Manager[*model.Model]{Path: r.path, PublicKey: pub, MaxBytes: 1 << 20, Dir: r.dir, Load: model.Load, Install: func(m *model.Model) { r.active = m }}
	return r
}

func (r *rig) key(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	priv, err := ParsePrivateKey(r.priv)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func (r *rig) sign(t *testing.T, data []byte, version uint64) string {
	t.Helper()
	return Sign(r.key(t), data, version)
}

// payload is a signed payload of data with version, inline or by url.
func (r *rig) payload(t *testing.T, data []byte, version uint64, url string) []byte {
	t.Helper()
	p, err := NewPayload(data, version, r.sign(t, data, version), url)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestApplyGoodUpdates(t *testing.T) {
	r := newRig(t)
	v2 := testmodel.Build(testmodel.Options{Version: "v2"})
	if err := r.mgr.Apply(context.Background(), r.payload(t, v2, 2, "")); err != nil {
		t.Fatal(err)
	}
	if r.active.Version() != "v2" {
		t.Fatalf("active version %s", r.active.Version())
	}
	if prev, err := model.Load(r.path + ".prev"); err != nil || prev.Version() != "v1" {
		t.Fatalf("previous model not kept: %v", err)
	}
	// By file path under model.update_dir (plain and file://) and by https.
	v3 := testmodel.Build(testmodel.Options{Version: "v3"})
	f := filepath.Join(r.dir, "v3.tflite")
	os.WriteFile(f, v3, 0o644)
	if err := r.mgr.Apply(context.Background(), r.payload(t, v3, 3, f)); err != nil || r.active.Version() != "v3" {
		t.Fatalf("file update: %v, active %s", err, r.active.Version())
	}
	v4 := testmodel.Build(testmodel.Options{Version: "v4"})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(v4) }))
	defer srv.Close()
	r.mgr.Client = srv.Client()
	if err := r.mgr.Apply(context.Background(), r.payload(t, v4, 4, srv.URL+"/m.tflite")); err != nil || r.active.Version() != "v4" {
		t.Fatalf("https update: %v, active %s", err, r.active.Version())
	}
	v5 := testmodel.Build(testmodel.Options{Version: "v5"})
	os.WriteFile(filepath.Join(r.dir, "v5.tflite"), v5, 0o644)
	if err := r.mgr.Apply(context.Background(), r.payload(t, v5, 9, "file://"+filepath.Join(r.dir, "v5.tflite"))); err != nil || r.active.Version() != "v5" {
		t.Fatalf("file:// update: %v, active %s", err, r.active.Version())
	}
	if s := r.mgr.Stats(); s.Applied != 4 || s.Refused != 0 || s.Failed != 0 || s.Version != 9 {
		t.Fatalf("stats %+v", s)
	}
}

func TestRefusedUpdates(t *testing.T) {
	r := newRig(t)
	v2 := testmodel.Build(testmodel.Options{Version: "v2"})
	good := r.sign(t, v2, 2)
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
	outside := filepath.Join(t.TempDir(), "v2.tflite")
	os.WriteFile(outside, v2, 0o644)
	link := filepath.Join(r.dir, "link.tflite")
	os.Symlink(outside, link)
	pl := func(fields string) string { return `{` + fields + `,"version":2}` }
	cases := []struct {
		name    string
		payload string
		refused bool   // else failed
		want    string // in the error
	}{
		{"not json", `model please`, true, "not the model/set JSON"},
		{"unknown field", pl(`"uri":"x","sha256":"` + hexSum + `","signature":"` + good + `"`), true, "unknown field"},
		{"neither url nor data", pl(`"sha256":"` + hexSum + `","signature":"` + good + `"`), true, "exactly one of url and data"},
		{"both", pl(`"url":"/x","data":"` + b64 + `","sha256":"` + hexSum + `","signature":"` + good + `"`), true, "exactly one"},
		{"bad sha", pl(`"data":"` + b64 + `","sha256":"abc","signature":"` + good + `"`), true, "64 hex digits"},
		{"unsigned", pl(`"data":"` + b64 + `","sha256":"` + hexSum + `"`), true, "unsigned"},
		{"no version", `{"data":"` + b64 + `","sha256":"` + hexSum + `","signature":"` + good + `"}`, true, "no version"},
		{"other version", `{"data":"` + b64 + `","sha256":"` + hexSum + `","signature":"` + good + `","version":3}`, true, "signature does not match"},
		{"signature not base64", pl(`"data":"` + b64 + `","sha256":"` + hexSum + `","signature":"%%%"`), true, "not base64"},
		{"wrong key", pl(`"data":"` + b64 + `","sha256":"` + hexSum + `","signature":"` + Sign(ok, v2, 2) + `"`), true, "signature does not match"},
		{"tampered file", pl(`"data":"` + base64.StdEncoding.EncodeToString(tampered) + `","sha256":"` + hexSum + `","signature":"` + good + `"`), true, "does not match the signed sha256"},
		{"tampered file and hash", pl(`"data":"` + base64.StdEncoding.EncodeToString(tampered) + `","sha256":"` + hex.EncodeToString(tsum[:]) + `","signature":"` + good + `"`), true, "signature does not match"},
		{"bad scheme", pl(`"url":"ftp://x/m","sha256":"` + hexSum + `","signature":"` + good + `"`), true, "want https://"},
		{"plain http", pl(`"url":"http://127.0.0.1:1/m","sha256":"` + hexSum + `","signature":"` + good + `"`), true, "want https://"},
		{"file outside update_dir", pl(`"url":"` + outside + `","sha256":"` + hexSum + `","signature":"` + good + `"`), true, "outside model.update_dir"},
		{"symlink out of update_dir", pl(`"url":"` + link + `","sha256":"` + hexSum + `","signature":"` + good + `"`), true, "outside model.update_dir"},
		{"missing file", pl(`"url":"` + filepath.Join(r.dir, "none.tflite") + `","sha256":"` + hexSum + `","signature":"` + good + `"`), false, "no such file"},
		{"signed but broken model", pl(`"data":"` + base64.StdEncoding.EncodeToString(broken) + `","sha256":"` + hex.EncodeToString(bsum[:]) + `","signature":"` + r.sign(t, broken, 2) + `"`), false, "self-test"},
		{"rollback unsigned", `{"rollback":true,"version":5}`, true, "unsigned"},
		{"rollback with url", `{"rollback":true,"url":"/x","version":5,"signature":"` + good + `"}`, true, "only version and signature"},
		{"rollback wrong signature", `{"rollback":true,"version":2,"signature":"` + good + `"}`, true, "signature does not match"},
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
			if strings.Contains(err.Error(), hex.EncodeToString(tsum[:4])) {
				t.Fatalf("error echoes the hash of an unverified file: %v", err)
			}
		})
	}
	if s := r.mgr.Stats(); s.Applied != 0 || s.Failed != 2 {
		t.Fatalf("stats %+v", s)
	}
}

// A model that fails to load, or hangs (the self-test time limit), is
// replaced at start-up by the previous one, with a warning.
func TestLoadActiveRollsBack(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	for _, broken := range []string{"corrupt after a bad flash", "hangs the interpreter"} {
		dir := t.TempDir()
		path := filepath.Join(dir, "model.tflite")
		os.WriteFile(path, []byte(broken), 0o644)
		os.WriteFile(path+".prev", testmodel.Build(testmodel.Options{Version: "v1"}), 0o644)
		load := func(p string) (*model.Model, error) {
			if b, _ := os.ReadFile(p); string(b) == "hangs the interpreter" {
				<-hang
			}
			return model.Load(p)
		}
		var logBuf strings.Builder
		log := slog.New(slog.NewTextHandler(&logBuf, nil))
		m, err := LoadActive(path, load, LoadOptions{Log: log, Timeout: 300 * time.Millisecond})
		if err != nil || m.Version() != "v1" {
			t.Fatalf("%s: rollback: %v", broken, err)
		}
		if again, err := model.Load(path); err != nil || again.Version() != "v1" {
			t.Fatalf("%s: rolled-back file not in place: %v", broken, err)
		}
		if _, err := os.Stat(path + ".bad"); err != nil {
			t.Fatalf("%s: broken model not kept as .bad", broken)
		}
		if !strings.Contains(logBuf.String(), "rolled back") {
			t.Fatalf("%s: start-up rollback not logged: %q", broken, logBuf.String())
		}
		if _, err := LoadActive(filepath.Join(dir, "none.tflite"), model.Load, LoadOptions{}); err == nil {
			t.Fatal("missing model without .prev loaded")
		}
	}
}

func TestSignRoundTrip(t *testing.T) {
	privPEM, pubPEM, _ := GenerateKey()
	priv, _ := ParsePrivateKey(privPEM)
	pub, _ := ParsePublicKey(pubPEM)
	data := []byte("model bytes")
	sum := sha256.Sum256(data)
	sig := Sign(priv, data, 7)
	if err := Verify(pub, sum[:], 7, sig+"\n"); err != nil {
		t.Fatal(err)
	}
	other := sha256.Sum256([]byte("model bytez"))
	if err := Verify(pub, other[:], 7, sig); err == nil {
		t.Fatal("tampered data verified")
	}
	if err := Verify(pub, sum[:], 8, sig); err == nil {
		t.Fatal("other version verified")
	}
	if err := VerifyRollback(pub, 7, sig); err == nil {
		t.Fatal("an update signature verified as a rollback")
	}
	if err := VerifyRollback(pub, 7, SignRollback(priv, 7)); err != nil {
		t.Fatal(err)
	}
	if _, err := ParsePublicKey(privPEM); err == nil {
		t.Fatal("private key accepted as public")
	}
}

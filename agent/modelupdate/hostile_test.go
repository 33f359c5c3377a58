package modelupdate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent/model"
	"github.com/trapnet/trapnet/agent/model/testmodel"
)

// A payload that is unsigned or wrongly signed makes the agent read no
// file and send no request, and its error tells nothing about the file
// (neither whether it exists nor its hash).
func TestNoReadOrRequestBeforeSignature(t *testing.T) {
	r := newRig(t)
	secret := filepath.Join(r.dir, "mqtt.password")
	os.WriteFile(secret, []byte("hunter2\n"), 0o600)
	sum := sha256.Sum256([]byte("hunter2\n"))
	var requests atomic.Int64
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { requests.Add(1) }))
	defer srv.Close()
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { requests.Add(1) }))
	defer plain.Close()
	r.mgr.Client = srv.Client()
	zeros := strings.Repeat("0", 64)
	msgs := map[string]bool{}
	for _, url := range []string{secret, filepath.Join(r.dir, "missing"), srv.URL + "/x", plain.URL + "/x"} {
		for _, sig := range []string{`"signature":"AAAA"`, `"signature":"` + r.sign(t, []byte("other"), 5) + `"`} {
			p := `{"url":"` + url + `","sha256":"` + zeros + `","version":5,` + sig + `}`
			err := r.mgr.Apply(context.Background(), []byte(p))
			if !errors.Is(err, Refused) {
				t.Fatalf("%s: err %v, want refused", url, err)
			}
			msg := strings.ReplaceAll(err.Error(), url, "URL")
			msgs[sig+msg] = true
			if strings.Contains(err.Error(), hex.EncodeToString(sum[:])[:16]) || strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("error echoes the file: %v", err)
			}
		}
	}
	if n := requests.Load(); n != 0 {
		t.Fatalf("%d requests made for unsigned payloads", n)
	}
	if len(msgs) != 2 {
		t.Fatalf("errors differ by url (existence oracle): %v", msgs)
	}
	if h := r.mgr.Stats().LastError; strings.Contains(h, hex.EncodeToString(sum[:])[:16]) {
		t.Fatalf("last_error echoes the file hash: %s", h)
	}
}

// An older or re-published signed payload is refused; only a signed
// rollback goes back, and .prev is not overwritten by a replay.
func TestReplayDowngradeRollback(t *testing.T) {
	r := newRig(t)
	v2 := testmodel.Build(testmodel.Options{Version: "v2"})
	v3 := testmodel.Build(testmodel.Options{Version: "v3"})
	p2, p3 := r.payload(t, v2, 10, ""), r.payload(t, v3, 11, "")
	for _, p := range [][]byte{p2, p3} {
		if err := r.mgr.Apply(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	for name, p := range map[string][]byte{"downgrade": p2, "replay": p3} {
		err := r.mgr.Apply(context.Background(), p)
		if !errors.Is(err, Refused) || !strings.Contains(err.Error(), "not newer") {
			t.Fatalf("%s: err %v", name, err)
		}
	}
	if r.active.Version() != "v3" {
		t.Fatalf("active %s", r.active.Version())
	}
	if prev, _ := model.Load(r.path + ".prev"); prev == nil || prev.Version() != "v2" {
		t.Fatal(".prev overwritten by a replay")
	}
	// The accepted version survives a restart (a new Manager).
	mgr2 := &Manager[*model.Model]{Path: r.path, PublicKey: r.mgr.PublicKey, MaxBytes: r.mgr.MaxBytes, Load: model.Load, Install: r.mgr.Install}
	if err := mgr2.Apply(context.Background(), p2); !errors.Is(err, Refused) {
		t.Fatalf("downgrade after restart: %v", err)
	}
	rb, _ := NewRollbackPayload(12, SignRollback(r.key(t), 12))
	if err := r.mgr.Apply(context.Background(), rb); err != nil || r.active.Version() != "v2" {
		t.Fatalf("rollback: %v, active %s", err, r.active.Version())
	}
	if err := r.mgr.Apply(context.Background(), rb); !errors.Is(err, Refused) {
		t.Fatalf("replayed rollback: %v", err)
	}
	if cur, _ := model.Load(r.path); cur.Version() != "v2" {
		t.Fatalf("file after rollback is %s", cur.Version())
	}
}

// A payload too large to hold an allowed model is refused before it is
// decoded (no copy of it is made).
func TestPayloadCapBeforeDecode(t *testing.T) {
	r := newRig(t)
	r.mgr.MaxBytes = 1 << 20
	huge := []byte(`{"data":"` + strings.Repeat("A", 16<<20) + `","sha256":"` + strings.Repeat("0", 64) + `","version":3,"signature":"AAAA"}`)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := r.mgr.Apply(context.Background(), huge)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, Refused) || !strings.Contains(err.Error(), "exceeds") {
		t.Fatalf("err %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Fatalf("refusing a 16 MB payload allocated %d bytes", alloc)
	}
	// Within the cap but wrongly signed: the data is never copied.
	r.mgr.MaxBytes = 16 << 20
	runtime.ReadMemStats(&before)
	err = r.mgr.Apply(context.Background(), huge)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, Refused) || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("err %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Fatalf("refusing a wrongly signed 16 MB payload allocated %d bytes", alloc)
	}
}

// Fetches and self-tests have time limits: a FIFO, a server that never
// answers and a model whose self-test hangs all fail, keeping the model.
func TestTimeLimits(t *testing.T) {
	r := newRig(t)
	fifo := filepath.Join(r.dir, "fifo.tflite")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	v2 := testmodel.Build(testmodel.Options{Version: "v2"})
	start := time.Now()
	err := r.mgr.Apply(context.Background(), r.payload(t, v2, 2, fifo))
	if err == nil || !strings.Contains(err.Error(), "not a regular file") || time.Since(start) > 5*time.Second {
		t.Fatalf("fifo: %v after %v", err, time.Since(start))
	}
	block := make(chan struct{})
	defer close(block)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		w.Write([]byte("x"))
		w.(http.Flusher).Flush()
		select {
		case <-block:
		case <-req.Context().Done():
		}
	}))
	defer srv.Close()
	r.mgr.Client, r.mgr.FetchTimeout = srv.Client(), 300*time.Millisecond
	start = time.Now()
	err = r.mgr.Apply(context.Background(), r.payload(t, v2, 3, srv.URL+"/slow"))
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("stalled download: %v after %v", err, time.Since(start))
	}
	hang := make(chan struct{})
	defer close(hang)
	r.mgr.SelfTestTimeout = 300 * time.Millisecond
	r.mgr.Load = func(string) (*model.Model, error) { <-hang; return nil, errors.New("unreachable") }
	start = time.Now()
	err = r.mgr.Apply(context.Background(), r.payload(t, v2, 4, ""))
	if err == nil || !strings.Contains(err.Error(), "did not finish") || time.Since(start) > 5*time.Second {
		t.Fatalf("hanging self-test: %v after %v", err, time.Since(start))
	}
	if r.active.Version() != "v1" {
		t.Fatalf("active %s", r.active.Version())
	}
	// A hang does not block later updates.
	r.mgr.Load = model.Load
	if err := r.mgr.Apply(context.Background(), r.payload(t, v2, 5, "")); err != nil || r.active.Version() != "v2" {
		t.Fatalf("update after a hang: %v", err)
	}
}

// Payloads arriving faster than MinInterval are refused unread; a
// successful update clears last_error.
func TestRateLimitAndLastError(t *testing.T) {
	r := newRig(t)
	r.mgr.Apply(context.Background(), []byte("junk"))
	if r.mgr.Stats().LastError == "" {
		t.Fatal("no last_error")
	}
	v2 := testmodel.Build(testmodel.Options{Version: "v2"})
	if err := r.mgr.Apply(context.Background(), r.payload(t, v2, 2, "")); err != nil {
		t.Fatal(err)
	}
	if s := r.mgr.Stats(); s.LastError != "" {
		t.Fatalf("last_error survived a successful update: %q", s.LastError)
	}
	r.mgr.MinInterval = time.Hour
	results := 0
	r.mgr.OnResult = func(error) { results++ }
	v3 := testmodel.Build(testmodel.Options{Version: "v3"})
	for i := 0; i < 50; i++ {
		err := r.mgr.Apply(context.Background(), r.payload(t, v3, 3, ""))
		if !errors.Is(err, Refused) || !strings.Contains(err.Error(), "rate limit") || r.active.Version() != "v2" {
			t.Fatalf("update within MinInterval: %v", err)
		}
	}
	// Refused unread, counted, but neither reported one by one nor hiding
	// the last real outcome (the successful update).
	if s := r.mgr.Stats(); results != 0 || s.Refused != 51 || s.LastError != "" {
		t.Fatalf("flood: %d results reported, stats %+v", results, s)
	}
}

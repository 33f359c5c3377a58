package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/hub"
	"github.com/trapnet/trapnet/hub/hubtest"
	"github.com/trapnet/trapnet/hub/web"
)

func TestSetUser(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users")
	for _, u := range []struct{ name, pw string }{{"alice", "password-1"}, {"bob", "password-2"}, {"alice", "password-3"}} {
		line, err := web.HashPassword(u.name, u.pw)
		if err != nil {
			t.Fatal(err)
		}
		if err := setUser(path, u.name, line); err != nil {
			t.Fatal(err)
		}
	}
	users, err := web.LoadUsers(path)
	if err != nil || len(users) != 2 {
		t.Fatalf("users %v %v", users, err)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("users file mode %v, want 0600", info.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if strings.Count(string(b), "alice:") != 1 {
		t.Errorf("alice twice:\n%s", b)
	}
}

// TestExport runs `hub export dwca` and `hub export csv` on a stored trap.
func TestExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	s, err := hub.OpenSQLite(db)
	if err != nil {
		t.Fatal(err)
	}
	var recs []hub.Record
	for _, m := range hubtest.Fixture("trap-01", 300, 0) {
		r, err := hub.Parse(m.Topic, m.Payload)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if _, err := s.Apply(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	s.Close()
	cfg := filepath.Join(dir, "hub.yaml")
	os.WriteFile(cfg, []byte("database: {driver: sqlite, path: "+db+"}\nusers_file: "+filepath.Join(dir, "users")+"\n"), 0o644)
	for _, tc := range []struct{ kind, check string }{{"dwca", "meta.xml"}, {"csv", "counted_label"}} {
		out := filepath.Join(dir, "out."+tc.kind)
		rootCmd.SetArgs([]string{"export", tc.kind, "--config", cfg, "--out", out})
		if err := rootCmd.Execute(); err != nil {
			t.Fatalf("export %s: %v", tc.kind, err)
		}
		b, err := os.ReadFile(out)
		if err != nil || !bytes.Contains(b, []byte(tc.check)) {
			t.Errorf("export %s: %d bytes without %q (%v)", tc.kind, len(b), tc.check, err)
		}
	}
	rootCmd.SetArgs([]string{"export", "xml", "--config", cfg})
	if err := rootCmd.Execute(); err == nil || !strings.Contains(err.Error(), "unknown export") {
		t.Errorf("export xml: %v", err)
	}
}

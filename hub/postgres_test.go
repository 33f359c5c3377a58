package hub

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/trapnet/trapnet/internal/brokertest"
)

// startPostgres starts Debian's PostgreSQL server in a temporary folder,
// listening on 127.0.0.1 only, and returns a DSN of a fresh database. It
// skips the test when the server is not installed, except in CI (where
// scripts/deps.sh test installs it).
func startPostgres(t *testing.T) string {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("PostgreSQL is not installed (scripts/deps.sh test installs the postgresql package)")
		}
		t.Skip("PostgreSQL server not installed (apt-get install postgresql): skipping the PostgreSQL store test")
	}
	sort.Strings(bins)
	bin := filepath.Dir(bins[len(bins)-1])
	dir := t.TempDir()
	// PostgreSQL refuses to run as root: run it as the postgres user.
	var cred *syscall.Credential
	if os.Getuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root and no postgres user to run the server as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		os.Chmod(filepath.Dir(dir), 0o755)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	run := func(name string, args ...string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = dir
		if cred != nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			t.Fatalf("%s %s: %v\n%s\n%s", name, strings.Join(args, " "), err, out, log)
		}
	}
	data := filepath.Join(dir, "data")
	run("initdb", "-D", data, "-U", "trapnet", "--auth=trust", "-E", "UTF8", "--no-sync")
	_, port, _ := strings.Cut(brokertest.FreePort(t), ":")
	run("pg_ctl", "-D", data, "-w", "-l", filepath.Join(dir, "log"), "-o",
		fmt.Sprintf("-p %s -h 127.0.0.1 -k %s -c fsync=off", port, dir), "start")
	t.Cleanup(func() { run("pg_ctl", "-D", data, "-m", "immediate", "stop") })
	return fmt.Sprintf("postgres://trapnet@127.0.0.1:%s/postgres?sslmode=disable", port)
}

// TestPostgres runs the store's tests against a real PostgreSQL server.
func TestPostgres(t *testing.T) {
	dsn := startPostgres(t)
	open := func(t *testing.T) *Store {
		s, err := OpenPostgres(dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		for _, tbl := range []string{"detections", "frames", "alerts", "health", "crops", "traps"} {
			if _, err := s.DB().Exec("DELETE FROM " + tbl); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	t.Run("idempotent", func(t *testing.T) { testApplyIdempotent(t, open(t)) })
	t.Run("frame nights", func(t *testing.T) { testFrameNights(t, open(t)) })
	t.Run("exports", func(t *testing.T) {
		s := open(t)
		fillFixture(t, s)
		ctx := context.Background()
		var b bytes.Buffer
		if err := s.WriteDwCA(ctx, &b, DefaultConfig().Dataset); err != nil {
			t.Fatal(err)
		}
		if probs := CheckDwCA(bytes.NewReader(b.Bytes()), int64(b.Len())); len(probs) > 0 {
			t.Fatalf("DwC-A: %v", probs)
		}
		b.Reset()
		if n, err := s.WriteReviewed(ctx, &b); err != nil || n != fixtureConfirmed+fixtureCorrected {
			t.Fatalf("reviewed: %d %v", n, err)
		}
		rows, total, err := s.Detections(ctx, Filter{HasCrop: true, Uncertain: "yes", Reviewed: "no", Limit: 5})
		if err != nil || total != 20-fixtureConfirmed || len(rows) != 5 || !rows[0].HasCrop {
			t.Fatalf("filtered detections: %d of %d %v", len(rows), total, err)
		}
		if c, err := s.Crop(ctx, rows[0].ID); err != nil || !bytes.HasPrefix(c, []byte{0xff, 0xd8}) {
			t.Fatalf("crop from BYTEA: %v", err)
		}
	})
	t.Run("reopen", func(t *testing.T) {
		s := open(t)
		fillFixture(t, s)
		s.Close()
		s2, err := OpenPostgres(dsn) // the schema statements are idempotent
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close()
		traps, err := s2.Traps(context.Background())
		if err != nil || len(traps) != 1 || traps[0].Detections != fixtureDets {
			t.Fatalf("after reopening: %+v %v", traps, err)
		}
	})
}

package runner

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trapnet/trapnet/camera"
)

func TestSnapshotSource(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "snapshot.png")
	s := &Snapshot{Path: path}
	ctx := context.Background()
	if _, err := s.Next(ctx); err == nil {
		t.Fatal("missing snapshot gave a frame")
	}
	writeImage(t, path, red)
	f, err := s.Next(ctx)
	if err != nil || f.Image == nil || !strings.HasPrefix(f.ID, "snapshot.png@") {
		t.Fatalf("frame %+v, %v", f, err)
	}
	if _, err := s.Next(ctx); err == nil || !strings.Contains(err.Error(), "not updated") {
		t.Fatalf("stale snapshot: %v", err)
	}
	os.Chtimes(path, time.Now().Add(time.Second), time.Now().Add(time.Second))
	if _, err := s.Next(ctx); err != nil {
		t.Fatalf("updated snapshot: %v", err)
	}
	os.WriteFile(path, []byte("half-written"), 0o644)
	os.Chtimes(path, time.Now().Add(2*time.Second), time.Now().Add(2*time.Second))
	if _, err := s.Next(ctx); err == nil {
		t.Fatal("corrupt snapshot gave a frame")
	}
}

func TestImmediateTicker(t *testing.T) {
	tick, stop := immediateTicker(time.Hour)
	defer stop()
	select {
	case <-tick:
	case <-time.After(time.Second):
		t.Fatal("no immediate tick")
	}
	stop() // idempotent
}

// Case 8 of issue 13: a snapshot whose modification time went back (clock
// reset) is fresh, and so is one rewritten with the same time and size but
// other pixels; an unchanged one is stale.
func TestSnapshotClockJumps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "snapshot.png")
	s := &Snapshot{Path: path}
	ctx := context.Background()
	t0 := time.Now()
	writeImage(t, path, red)
	os.Chtimes(path, t0, t0)
	if _, err := s.Next(ctx); err != nil {
		t.Fatal(err)
	}
	back := t0.Add(-time.Hour)
	writeImage(t, path, green)
	os.Chtimes(path, back, back)
	if _, err := s.Next(ctx); err != nil {
		t.Fatalf("snapshot after the clock went back: %v", err)
	}
	// Same name, time and size, other pixels.
	a, _ := os.ReadFile(path)
	writeImage(t, path, red)
	b, _ := os.ReadFile(path)
	n := max(len(a), len(b))
	b = append(b, make([]byte, n-len(b))...) // PNG decoders stop at IEND
	if len(a) < n {
		// Make the previous read the same size too: re-read it padded.
		os.WriteFile(path, append(a, make([]byte, n-len(a))...), 0o644)
		os.Chtimes(path, back.Add(time.Minute), back.Add(time.Minute))
		if _, err := s.Next(ctx); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(path, b, 0o644)
	st, _ := os.Stat(path)
	prev := s.last.ModTime()
	os.Chtimes(path, prev, prev)
	if st.Size() != s.last.Size() {
		t.Fatalf("sizes %d and %d", st.Size(), s.last.Size())
	}
	if _, err := s.Next(ctx); err != nil {
		t.Fatalf("rewritten snapshot with the same time and size: %v", err)
	}
	if _, err := s.Next(ctx); err == nil || !strings.Contains(err.Error(), "not updated for") {
		t.Fatalf("unchanged snapshot: %v", err)
	}
}

// A snapshot frame whose commit failed comes back at the next tick.
func TestSnapshotRetry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snapshot.png")
	writeImage(t, path, red)
	s := &Snapshot{Path: path}
	f, err := s.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var _ camera.Retrier = s
	s.Retry(f, time.Second)
	again, err := s.Next(context.Background())
	if err != nil || again.ID != f.ID || again.Image != f.Image {
		t.Fatalf("retried frame %q, %v", again.ID, err)
	}
	if _, err := s.Next(context.Background()); err == nil {
		t.Fatal("retried frame handed out twice")
	}
}

package runner

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

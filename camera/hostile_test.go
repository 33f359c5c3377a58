package camera

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Case 5 of issue 13: a huge non-image file is never read whole: over the
// cap it is refused from its size, under it from its first bytes.
func TestHugeFileNotReadWhole(t *testing.T) {
	dir := t.TempDir()
	sparse := func(name string, size int64) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Truncate(size); err != nil {
			t.Skip("no sparse files:", err)
		}
		return p
	}
	for _, c := range []struct {
		name string
		size int64
		want string
	}{
		{"1gb.bin", 1 << 30, "exceeds"},
		{"200mb.jpg", 200 << 20, "not a readable image"},
	} {
		p := sparse(c.name, c.size)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := DecodeFile(p, 0)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("%s: err %v, want %q", c.name, err, c.want)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
			t.Fatalf("%s: refusing it allocated %d bytes", c.name, alloc)
		}
	}
}

// Case 7 of issue 13: a file uploaded in parts with pauses longer than the
// settle time is taken once complete, not rejected half-written.
func TestSlowUploadNotRejected(t *testing.T) {
	dir := t.TempDir()
	var mu sync.Mutex
	var rejected []string
	f := fastFolder(t, dir, func(r Rejection) { mu.Lock(); rejected = append(rejected, r.Reason.Error()); mu.Unlock() })
	defer f.Close()
	data := jpegBytes(t)
	p := filepath.Join(dir, "slow.jpg")
	go func() {
		parts := [][]byte{data[:len(data)/3], data[len(data)/3 : 2*len(data)/3], data[2*len(data)/3:]}
		for i, part := range parts {
			if i > 0 {
				time.Sleep(50 * time.Millisecond) // 2.5x StableFor
			}
			w, _ := os.OpenFile(p, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
			w.Write(part)
			w.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fr, err := f.Next(ctx)
	if err != nil || fr.ID != "slow.jpg" {
		t.Fatalf("frame %q, err %v, rejected %v", fr.ID, err, rejected)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(rejected) != 0 {
		t.Fatalf("rejected while uploading: %v", rejected)
	}
}

// Case 10 of issue 13: symbolic links, FIFOs and files that never settle
// are reported once each, left in place and never read.
func TestSpecialFilesReported(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "target.jpg", jpegBytes(t))
	os.Rename(filepath.Join(dir, "target.jpg"), filepath.Join(t.TempDir(), "target.jpg"))
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "link.jpg")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.jpg"), 0o644); err != nil {
		t.Skip("no FIFOs:", err)
	}
	var mu sync.Mutex
	warned := map[string]int{}
	f, err := NewFolder(dir, FolderOptions{Poll: 5 * time.Millisecond, StableFor: 20 * time.Millisecond, MaxSettle: 60 * time.Millisecond,
		OnWarn: func(r Rejection) { mu.Lock(); warned[filepath.Base(r.Path)]++; mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stop := make(chan struct{})
	go func() { // a file that keeps growing
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				w, _ := os.OpenFile(filepath.Join(dir, "growing.jpg"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
				w.Write([]byte("x"))
				w.Close()
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	if fr, err := f.Next(ctx); err == nil {
		t.Fatalf("took %s", fr.ID)
	}
	close(stop)
	mu.Lock()
	defer mu.Unlock()
	for _, name := range []string{"link.jpg", "pipe.jpg", "growing.jpg"} {
		if warned[name] != 1 {
			t.Errorf("%s reported %d times, want once (%v)", name, warned[name], warned)
		}
		if _, err := os.Lstat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s moved: %v", name, err)
		}
	}
}

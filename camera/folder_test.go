package camera

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

func fastFolder(t *testing.T, dir string, onReject func(Rejection)) *Folder {
	t.Helper()
	f, err := NewFolder(dir, FolderOptions{
		Options:   Options{OnReject: onReject},
		Poll:      5 * time.Millisecond,
		StableFor: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}

func TestFolderRejectsAndMovesDone(t *testing.T) {
	dir := t.TempDir()
	j := jpegBytes(t)
	files := []struct {
		name string
		data []byte
		good bool
	}{
		{"frame1.jpg", j, true},
		{"truncated.jpg", j[:len(j)/3], false},
		{"empty.png", nil, false},
		{"notes.txt", []byte("hello"), false},
		{"frame2.png", pngBytes(t), true},
	}
	for _, f := range files {
		writeFile(t, dir, f.name, f.data)
	}
	writeFile(t, dir, "upload.jpg.part", j[:10]) // still being written: ignored
	writeFile(t, dir, ".hidden.jpg", j)          // hidden: ignored
	var mu sync.Mutex
	reasons := map[string]string{}
	src := fastFolder(t, dir, func(r Rejection) {
		mu.Lock()
		reasons[filepath.Base(r.Path)] = r.Reason.Error()
		mu.Unlock()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var got []string
	for range 2 {
		fr, err := src.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(fr.Path); err != nil {
			t.Errorf("frame file must stay in the folder while processed: %v", err)
		}
		got = append(got, fr.ID)
	}
	sort.Strings(got)
	if strings.Join(got, ",") != "frame1.jpg,frame2.png" {
		t.Errorf("frames %v", got)
	}
	// No more frames: Next waits until the context ends.
	short, cancelShort := context.WithTimeout(ctx, 80*time.Millisecond)
	defer cancelShort()
	if _, err := src.Next(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("idle Next: %v, want deadline exceeded", err)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Next(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
	if d := listDir(t, filepath.Join(dir, "done")); strings.Join(d, ",") != "frame1.jpg,frame2.png" {
		t.Errorf("done/ holds %v", d)
	}
	rej := listDir(t, filepath.Join(dir, "rejected"))
	want := "empty.png,empty.png.reason.txt,notes.txt,notes.txt.reason.txt,truncated.jpg,truncated.jpg.reason.txt"
	if strings.Join(rej, ",") != want {
		t.Errorf("rejected/ holds %v, want %s", rej, want)
	}
	reason, err := os.ReadFile(filepath.Join(dir, "rejected", "truncated.jpg.reason.txt"))
	if err != nil || !strings.Contains(string(reason), "truncated") {
		t.Errorf("reason file %q (%v)", reason, err)
	}
	if len(reasons) != 3 {
		t.Errorf("OnReject saw %v", reasons)
	}
	if left := listDir(t, dir); strings.Join(left, ",") != ".hidden.jpg,upload.jpg.part" {
		t.Errorf("folder still holds %v", left)
	}
}

// TestFolderWaitsForStableSize grows a file in steps faster than StableFor
// and checks it is only taken once complete.
func TestFolderWaitsForStableSize(t *testing.T) {
	dir := t.TempDir()
	src := fastFolder(t, dir, nil)
	defer src.Close()
	data := pngBytes(t)
	p := filepath.Join(dir, "slow.png")
	done := make(chan error, 1)
	go func() {
		fh, err := os.Create(p)
		if err != nil {
			done <- err
			return
		}
		defer fh.Close()
		step := len(data)/5 + 1
		for i := 0; i < len(data); i += step {
			if _, err := fh.Write(data[i:min(i+step, len(data))]); err != nil {
				done <- err
				return
			}
			time.Sleep(8 * time.Millisecond) // < StableFor
		}
		done <- nil
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	fr, err := src.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if fr.ID != "slow.png" || fr.Image.Bounds().Dx() != 64 {
		t.Errorf("got %s %v", fr.ID, fr.Image.Bounds())
	}
}

func TestFolderSameNameTwice(t *testing.T) {
	dir := t.TempDir()
	src := fastFolder(t, dir, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	png2 := pngBytes(t)
	writeFile(t, dir, "cam.jpg", jpegBytes(t))
	if _, err := src.Next(ctx); err != nil {
		t.Fatal(err)
	}
	// A second file of the same name arrives after the first was processed
	// (it is moved to done/ when Next is called again).
	go func() {
		time.Sleep(50 * time.Millisecond)
		if err := os.WriteFile(filepath.Join(dir, "cam.jpg"), png2, 0o644); err != nil {
			t.Error(err)
		}
	}()
	fr, err := src.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fr.ID != "cam.jpg" {
		t.Errorf("second frame %s", fr.ID)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if d := listDir(t, filepath.Join(dir, "done")); strings.Join(d, ",") != "cam-1.jpg,cam.jpg" {
		t.Errorf("done/ holds %v", d)
	}
}

func TestNewFolderErrors(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "x", []byte("x"))
	tests := []struct {
		name, dir string
	}{
		{"missing", filepath.Join(dir, "nope")},
		{"not a directory", file},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewFolder(tc.dir, FolderOptions{}); err == nil || !strings.Contains(err.Error(), tc.dir) {
				t.Errorf("err = %v, want one naming %s", err, tc.dir)
			}
		})
	}
}

// TestFolderReplacedWhileProcessing overwrites the frame's file while the
// agent processes it: the new content must be read, not moved unread.
func TestFolderReplacedWhileProcessing(t *testing.T) {
	dir := t.TempDir()
	src := fastFolder(t, dir, nil)
	defer src.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	writeFile(t, dir, "cam.jpg", jpegBytes(t))
	if _, err := src.Next(ctx); err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, dir, "cam.jpg", pngBytes(t)) // a new snapshot, same name
	future := time.Now().Add(2 * time.Second)
	if err := os.Chtimes(p, future, future); err != nil {
		t.Fatal(err)
	}
	fr, err := src.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !fr.Time.Equal(future) {
		t.Errorf("second frame time %v, want the replacement's %v", fr.Time, future)
	}
	if d := listDir(t, filepath.Join(dir, "done")); len(d) != 0 {
		t.Errorf("done/ holds %v before the replacement was processed", d)
	}
}

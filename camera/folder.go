package camera

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// FolderOptions configures a Folder watcher.
type FolderOptions struct {
	Options
	// Poll is the interval between directory scans. 0 means 500ms.
	Poll time.Duration
	// StableFor is how long a file's size and modification time must stay
	// unchanged before it is read (so half-written files are not taken).
	// 0 means 1s.
	StableFor time.Duration
	// DoneDir and RejectedDir default to DIR/done and DIR/rejected.
	DoneDir, RejectedDir string
	// MaxSettle: a file still changing after this long is reported once
	// through OnWarn (it stays and is taken once it settles). 0 means 10
	// minutes.
	MaxSettle time.Duration
	// OnWarn, if set, is called once per name for entries that are left in
	// the folder: symbolic links, FIFOs, sockets and devices (never read),
	// and files that did not settle within MaxSettle.
	OnWarn func(Rejection)
}

// Folder is a Source that watches a directory by polling. New regular files
// are taken oldest first (modification time, then name) once their size is
// stable. Hidden files and names ending in .part, .tmp, .partial, .crdownload
// or ~ are ignored (files still being written). A frame's file is moved to
// the done directory when Next is called again or on Close, so a crash while
// the agent processes a frame leaves it in place for the next run (a file
// replaced under the same name meanwhile is not moved but read again as a
// new frame). Files
// that cannot be decoded are moved to the rejected directory with a
// NAME.reason.txt file next to them. Subdirectories are not watched.
type Folder struct {
	dir     string
	opts    FolderOptions
	seen    map[string]fileState
	skip    map[string]bool // names taken but still in the folder (not retaken)
	pending string          // inbox path of the frame last returned
	pendSt  fileState       // its size and modification time when read
	closed  bool
	now     func() time.Time
	// holdUntil: no file is taken before (a Retry back-off); retries
	// counts Retry calls per name.
	holdUntil time.Time
	retries   map[string]int
	// truncated counts reads of a name that found the image cut short
	// (an upload in progress); warned holds names reported via OnWarn.
	truncated map[string]truncation
	warned    map[string]bool
}

type fileState struct {
	size    int64
	mod     time.Time
	stableT time.Time // when this size/mod was first observed
	first   time.Time // when the name was first observed
}

// NewFolder watches dir, creating the done and rejected directories.
func NewFolder(dir string, opts FolderOptions) (*Folder, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("camera: watch folder: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("camera: watch folder %s: not a directory", dir)
	}
	if opts.Poll <= 0 {
		opts.Poll = 500 * time.Millisecond
	}
	if opts.StableFor <= 0 {
		opts.StableFor = time.Second
	}
	if opts.MaxSettle <= 0 {
		opts.MaxSettle = 10 * time.Minute
	}
	if opts.DoneDir == "" {
		opts.DoneDir = filepath.Join(dir, "done")
	}
	if opts.RejectedDir == "" {
		opts.RejectedDir = filepath.Join(dir, "rejected")
	}
	for _, d := range []string{opts.DoneDir, opts.RejectedDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("camera: watch folder %s: %w", dir, err)
		}
	}
	return &Folder{dir: dir, opts: opts, seen: map[string]fileState{}, skip: map[string]bool{}, now: time.Now, retries: map[string]int{},
		truncated: map[string]truncation{}, warned: map[string]bool{}}, nil
}

// Next waits for the next stable, decodable file and returns it.
func (f *Folder) Next(ctx context.Context) (Frame, error) {
	if f.closed {
		return Frame{}, ErrClosed
	}
	if err := f.finishPending(); err != nil {
		return Frame{}, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return Frame{}, err
		}
		ready, err := f.scan()
		if err != nil {
			return Frame{}, err
		}
		for _, name := range ready {
			p := filepath.Join(f.dir, name)
			fi, serr := os.Stat(p)
			img, err := DecodeFileLimit(p, f.opts.maxPixels(), f.opts.MaxBytes)
			f.skip[name] = true
			delete(f.seen, name)
			if serr != nil {
				continue // vanished between scan and read
			}
			if err != nil && f.stillArriving(name, err) {
				continue
			}
			if err != nil {
				f.reject(name, err)
				continue
			}
			delete(f.truncated, name)
			f.pending, f.pendSt = p, fileState{size: fi.Size(), mod: fi.ModTime()}
			t, tsrc := captureTime(p, fi.ModTime(), f.opts.Location)
			return Frame{ID: name, Image: img, Path: p, Time: t, TimeSource: tsrc}, nil
		}
		t := time.NewTimer(f.opts.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return Frame{}, ctx.Err()
		case <-t.C:
		}
	}
}

// Close moves the last returned frame's file to the done directory and ends
// the source.
func (f *Folder) Close() error {
	if f.closed {
		return nil
	}
	f.closed = true
	return f.finishPending()
}

func (f *Folder) finishPending() error {
	if f.pending == "" {
		return nil
	}
	p := f.pending
	f.pending = ""
	fi, err := os.Stat(p)
	if err != nil {
		delete(f.skip, filepath.Base(p))
		return nil // removed by someone else: nothing to move
	}
	if fi.Size() != f.pendSt.size || !fi.ModTime().Equal(f.pendSt.mod) {
		// Replaced by a new file of the same name while being processed:
		// leave it to be read as a new frame.
		delete(f.skip, filepath.Base(p))
		return nil
	}
	if _, err := moveUnique(p, f.opts.DoneDir); err != nil {
		return fmt.Errorf("camera: move %s to done: %w", p, err)
	}
	delete(f.skip, filepath.Base(p)) // a later file of the same name is new
	delete(f.retries, filepath.Base(p))
	return nil
}

// ignored reports names that are hidden or look like in-progress writes.
func ignored(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
		return true
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".part", ".tmp", ".partial", ".crdownload":
		return true
	}
	return strings.HasSuffix(name, ".reason.txt")
}

// scan lists the directory and returns the names that are ready (stable),
// oldest first.
func (f *Folder) scan() ([]string, error) {
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		return nil, fmt.Errorf("camera: watch folder %s: %w", f.dir, err)
	}
	now := f.now()
	type cand struct {
		name string
		mod  time.Time
	}
	var ready []cand
	present := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || ignored(name) || f.skip[name] {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // vanished
		}
		present[name] = true
		if !fi.Mode().IsRegular() {
			f.warn(name, fmt.Errorf("%v is not a regular file: left in place, never read", fi.Mode().Type()))
			continue
		}
		st, ok := f.seen[name]
		if !ok || st.size != fi.Size() || !st.mod.Equal(fi.ModTime()) {
			first := now
			if ok {
				first = st.first
			}
			f.seen[name] = fileState{size: fi.Size(), mod: fi.ModTime(), stableT: now, first: first}
			if now.Sub(first) > f.opts.MaxSettle {
				f.warn(name, fmt.Errorf("still changing after %v: not taken until it settles for %v", f.opts.MaxSettle, f.opts.StableFor))
			}
			continue
		}
		if now.Sub(st.stableT) >= f.opts.StableFor {
			ready = append(ready, cand{name, fi.ModTime()})
		}
	}
	for name := range f.seen {
		if !present[name] {
			delete(f.seen, name)
			delete(f.truncated, name)
		}
	}
	for name := range f.warned {
		if !present[name] {
			delete(f.warned, name)
		}
	}
	if now.Before(f.holdUntil) {
		return nil, nil // a retried frame's back-off: nothing overtakes it
	}
	sort.Slice(ready, func(i, j int) bool {
		if !ready[i].mod.Equal(ready[j].mod) {
			return ready[i].mod.Before(ready[j].mod)
		}
		return ready[i].name < ready[j].name
	})
	names := make([]string, len(ready))
	for i, c := range ready {
		names[i] = c.name
	}
	return names, nil
}

// reject moves name to the rejected directory, writes the reason next to it
// and reports it. Failures to move are reported too; the name stays skipped.
func (f *Folder) reject(name string, reason error) {
	src := filepath.Join(f.dir, name)
	dst, err := moveUnique(src, f.opts.RejectedDir)
	if err == nil {
		delete(f.skip, name)
		msg := fmt.Sprintf("%s\nrejected %s\n", reason, f.now().UTC().Format(time.RFC3339))
		if werr := os.WriteFile(dst+".reason.txt", []byte(msg), 0o644); werr != nil {
			reason = errors.Join(reason, werr)
		}
	} else {
		reason = errors.Join(reason, fmt.Errorf("move to rejected: %w", err))
	}
	if f.opts.OnReject != nil {
		f.opts.OnReject(Rejection{Path: src, Reason: reason})
	}
}

// moveUnique renames src into dir, adding -1, -2, ... before the extension if
// the name is taken. It returns the new path.
func moveUnique(src, dir string) (string, error) {
	base := filepath.Base(src)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	dst := filepath.Join(dir, base)
	for i := 1; ; i++ {
		if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
			break
		}
		if i > 10000 {
			return "", fmt.Errorf("no free name for %s in %s", base, dir)
		}
		dst = filepath.Join(dir, fmt.Sprintf("%s-%d%s", stem, i, ext))
	}
	if err := os.Rename(src, dst); err != nil {
		return "", err
	}
	return dst, nil
}

package camera

import (
	"path/filepath"
	"time"
)

// Retrier is a Source that can keep the frame it returned last (instead of
// finishing it) and hand it out again after a delay, e.g. when its results
// could not be stored. Frames behind it wait, so order is kept.
type Retrier interface {
	Retry(f Frame, after time.Duration)
}

// Retry implements Retrier: the file of the last returned frame stays in
// the folder (not moved to done/) and no file is taken for at least after;
// then it is read again (once stable) before any newer file.
func (f *Folder) Retry(fr Frame, after time.Duration) {
	if f.pending == "" || f.pending != fr.Path {
		return
	}
	name := filepath.Base(f.pending)
	f.pending = ""
	delete(f.skip, name)
	f.holdUntil = f.now().Add(after)
	f.retries[name]++
}

// Retries returns how many times the file name was handed back by Retry.
func (f *Folder) Retries(name string) int { return f.retries[name] }

var _ Retrier = (*Folder)(nil)

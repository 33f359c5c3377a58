package camera

import (
	"errors"
	"io"
	"os"
	"path/filepath"
)

// truncatedRetries is how many times an image found cut short is read
// again (each after it stayed unchanged for StableFor) before it is
// rejected: a slow upload that pauses longer than the settle time is not
// rejected for good while it is still arriving.
const truncatedRetries = 3

// truncation is the size of a file when its read found the image cut
// short, and how many such reads in a row found that same size.
type truncation struct {
	size int64
	n    int
}

// stillArriving reports whether name, whose read failed with err, should be
// watched again instead of rejected: the image is cut short and the file
// either grew since the last such read or was not yet read
// truncatedRetries times at this size.
func (f *Folder) stillArriving(name string, err error) bool {
	if !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false
	}
	fi, serr := os.Stat(filepath.Join(f.dir, name))
	if serr != nil {
		return false
	}
	tr := f.truncated[name]
	if tr.size != fi.Size() {
		tr = truncation{size: fi.Size()}
	}
	tr.n++
	if tr.n > truncatedRetries {
		delete(f.truncated, name)
		return false
	}
	f.truncated[name] = tr
	delete(f.skip, name)
	now := f.now()
	f.seen[name] = fileState{size: fi.Size(), mod: fi.ModTime(), stableT: now, first: now}
	return true
}

// warn reports a name left in the folder once (until it disappears).
func (f *Folder) warn(name string, reason error) {
	if f.warned[name] {
		return
	}
	f.warned[name] = true
	if f.opts.OnWarn != nil {
		f.opts.OnWarn(Rejection{Path: filepath.Join(f.dir, name), Reason: reason})
	}
}

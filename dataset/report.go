package dataset

import (
	"fmt"
	"io"
	"sort"
	"sync"
)

// Kind classifies a reported problem.
type Kind string

// The problem kinds.
const (
	// BadRow: a CSV row that cannot be used (wrong column count, CSV syntax
	// error, no image path); the row is skipped.
	BadRow Kind = "bad_row"
	// BadValue: a value that cannot be used (e.g. non-numeric coordinates);
	// the value is blanked (encoded as missing) and the row kept.
	BadValue Kind = "bad_value"
	// UnknownSplit: a row whose split is not a known split; skipped.
	UnknownSplit Kind = "unknown_split"
	// UnknownLabel: a val/test label not seen in train; the sample is kept
	// with Class -1.
	UnknownLabel Kind = "unknown_label"
	// RareClass: a sample of a class below MinPerClass dropped by RareDrop.
	RareClass Kind = "rare_class"
	// MissingImage: the image file does not exist.
	MissingImage Kind = "missing_image"
	// UnreadableImage: the image exists but cannot be decoded (empty,
	// truncated, corrupt, unsupported format).
	UnreadableImage Kind = "unreadable_image"
)

// Issue is one reported problem.
type Issue struct {
	Kind Kind
	// File is the CSV or image file concerned.
	File string
	// Line is the CSV line (0 when not about a row).
	Line int
	// Reason says what is wrong.
	Reason string
}

// String formats the issue as file:line: reason (or path: reason).
func (i Issue) String() string {
	if i.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", i.File, i.Line, i.Reason)
	}
	return fmt.Sprintf("%s: %s", i.File, i.Reason)
}

// Report counts the problems met while opening and loading a dataset and
// lists the first few of each kind. It is safe for concurrent use.
type Report struct {
	mu sync.Mutex
	// MaxListed caps the issues kept per kind (the rest are only counted).
	MaxListed int
	// RowsRead is the number of data rows read from the CSV.
	RowsRead int
	// Unlabelled counts, per split, rows with no label at the target rank.
	Unlabelled map[string]int
	// UnknownLabels counts, per split, labelled samples whose label is not
	// among the train classes.
	UnknownLabels map[string]int
	counts        map[Kind]int
	listed        map[Kind][]Issue
}

// NewReport returns an empty report listing at most maxListed issues per kind.
func NewReport(maxListed int) *Report {
	if maxListed <= 0 {
		maxListed = 20
	}
	return &Report{MaxListed: maxListed, Unlabelled: map[string]int{}, UnknownLabels: map[string]int{}, counts: map[Kind]int{}, listed: map[Kind][]Issue{}}
}

// Add records an issue.
func (r *Report) Add(is Issue) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.counts == nil {
		r.counts, r.listed = map[Kind]int{}, map[Kind][]Issue{}
	}
	r.counts[is.Kind]++
	if len(r.listed[is.Kind]) < r.MaxListed {
		r.listed[is.Kind] = append(r.listed[is.Kind], is)
	}
}

// Count returns the number of issues of kind k.
func (r *Report) Count(k Kind) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts[k]
}

// Issues returns the listed (first MaxListed) issues of kind k.
func (r *Report) Issues(k Kind) []Issue {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Issue(nil), r.listed[k]...)
}

// Kinds returns the kinds with at least one issue, sorted.
func (r *Report) Kinds() []Kind {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ks []Kind
	for k := range r.counts {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(a, b int) bool { return ks[a] < ks[b] })
	return ks
}

func (r *Report) addUnlabelled(split string) {
	r.mu.Lock()
	r.Unlabelled[split]++
	r.mu.Unlock()
}

// WriteTo prints the issue counts and listings, e.g. for `trainer data check`.
func (r *Report) WriteTo(w io.Writer) (int64, error) {
	var n int64
	p := func(format string, a ...any) {
		k, _ := fmt.Fprintf(w, format, a...)
		n += int64(k)
	}
	kinds := r.Kinds()
	if len(kinds) == 0 {
		p("no problems found\n")
	}
	for _, k := range kinds {
		c := r.Count(k)
		p("%s: %d\n", k, c)
		list := r.Issues(k)
		for _, is := range list {
			p("  %s\n", is)
		}
		if c > len(list) {
			p("  ... and %d more\n", c-len(list))
		}
	}
	return n, nil
}

func (r *Report) addUnknown(split string) {
	r.mu.Lock()
	if r.UnknownLabels == nil {
		r.UnknownLabels = map[string]int{}
	}
	r.UnknownLabels[split]++
	r.mu.Unlock()
}

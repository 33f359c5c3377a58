package dataset

import (
	"fmt"
	"sort"
	"strings"
)

// MapToLabels returns the labelled samples whose label is one of labels (a
// trained model's label map), with Class set to its index there, and counts
// the labelled samples whose label is not (by label). Unlabelled samples are
// left out.
func MapToLabels(samples []Sample, labels []string) (out []Sample, unknown map[string]int) {
	ids := make(map[string]int, len(labels))
	for i, l := range labels {
		ids[l] = i
	}
	unknown = map[string]int{}
	for _, s := range samples {
		if s.Label == "" {
			continue
		}
		id, ok := ids[s.Label]
		if !ok {
			unknown[s.Label]++
			continue
		}
		s.Class = id
		out = append(out, s)
	}
	return out, unknown
}

// DescribeCounts lists name (count) pairs sorted by name, at most max of
// them and then how many more.
func DescribeCounts(m map[string]int, max int) string {
	var names []string
	for l, n := range m {
		names = append(names, fmt.Sprintf("%q (%d)", l, n))
	}
	sort.Strings(names)
	if len(names) > max {
		names = append(names[:max], fmt.Sprintf("and %d more", len(names)-max))
	}
	return strings.Join(names, ", ")
}

// OpenPaths parses and opens dataset paths (folders or spec files) at rank
// (a rank not in Ranks, e.g. a generic CSV's label column recorded by an
// older model, means the default). See Open.
func OpenPaths(paths []string, rank string, opts Options) (*Dataset, error) {
	srcs, err := ParseSources(paths)
	if err != nil {
		return nil, err
	}
	if !contains(Ranks, rank) {
		rank = ""
	}
	opts.Rank = rank
	return Open(srcs, opts)
}

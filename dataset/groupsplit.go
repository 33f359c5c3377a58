package dataset

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"time"
)

// Ways a generic CSV without a split column is split (Spec.SplitBy).
const (
	// SplitByNone keeps every row in train.
	SplitByNone = "none"
	// SplitByTrapNight puts all crops of one trap and one night in the same
	// split, so near-identical crops of a specimen photographed frame after
	// frame never sit on both sides of a train/test boundary.
	SplitByTrapNight = "trap_night"
)

// Columns read by SplitByTrapNight (the agent's metadata row names).
const (
	ColTrapID   = "trap_id"
	ColDatetime = "datetime"
)

// Fractions of the crops SplitByTrapNight sends to val and test.
const (
	groupValFraction  = 0.15
	groupTestFraction = 0.15
)

// nightOf returns the night a local capture time belongs to: the date of the
// evening it started (times before noon belong to the previous night), or
// "" when v is not an RFC 3339 time.
func nightOf(v string) string {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
	if err != nil {
		return ""
	}
	return t.Add(-12 * time.Hour).Format("2006-01-02")
}

// groupKey is the trap-night group of s ("" when unknown).
func groupKey(s *Sample) string {
	trap, ok1 := s.Meta.Get(ColTrapID)
	dt, ok2 := s.Meta.Get(ColDatetime)
	night := nightOf(dt)
	if !ok1 || !ok2 || night == "" {
		return ""
	}
	return trap + "\x00" + night
}

// splitByGroup assigns the samples' splits by trap-night group: groups are
// ordered by a hash of their key and taken into test, then val, until each
// holds its fraction of the crops; the rest are train. Rows whose group is
// unknown (no trap id or no parsable datetime) stay in train and are
// reported. With fewer than 3 groups everything stays in train. It returns
// the number of groups per split.
func splitByGroup(samples []Sample, file string, rep *Report) map[string]int {
	sizes := map[string]int{}
	var keys []string
	for i := range samples {
		k := groupKey(&samples[i])
		if k == "" {
			rep.Add(Issue{Kind: BadValue, File: file, Line: samples[i].Line, Reason: fmt.Sprintf("no %s or no RFC 3339 %s: cannot tell the trap-night group (kept in train)", ColTrapID, ColDatetime)})
			continue
		}
		if sizes[k] == 0 {
			keys = append(keys, k)
		}
		sizes[k]++
	}
	hash := func(k string) uint64 {
		h := fnv.New64a()
		h.Write([]byte(k))
		return h.Sum64()
	}
	sort.Slice(keys, func(a, b int) bool { return hash(keys[a]) < hash(keys[b]) })
	split := map[string]string{}
	groups := map[string]int{}
	total := len(samples)
	if len(keys) >= 3 {
		var inTest, inVal int
		for i, k := range keys {
			left := len(keys) - i
			switch {
			case groups[SplitTest] == 0 || (float64(inTest) < groupTestFraction*float64(total) && left > 2):
				split[k], inTest = SplitTest, inTest+sizes[k]
			case groups[SplitVal] == 0 || (float64(inVal) < groupValFraction*float64(total) && left > 1):
				split[k], inVal = SplitVal, inVal+sizes[k]
			default:
				split[k] = SplitTrain
			}
			groups[split[k]]++
		}
	} else {
		groups[SplitTrain] = len(keys)
	}
	for i := range samples {
		if sp, ok := split[groupKey(&samples[i])]; ok {
			samples[i].Split = sp
		}
	}
	return groups
}

package dataset

import (
	"fmt"
	"os"
)

// builder collects the samples of one CSV and assigns class ids.
type builder struct {
	opts     Options
	file     string
	rep      *Report
	in       interner
	samples  []Sample
	metaCols *MetaColumns
	metaIdx  []int
	vals     []string
}

func newBuilder(opts Options, file string) *builder {
	return &builder{opts: opts, file: file, rep: NewReport(opts.MaxListed), in: interner{}}
}

// setMeta fixes the metadata columns (indices into the header).
func (b *builder) setMeta(h *header, idx []int) {
	cols := make(MetaColumns, len(idx))
	for i, j := range idx {
		cols[i] = h.names[j]
	}
	b.metaCols, b.metaIdx, b.vals = &cols, idx, make([]string, len(idx))
}

// meta validates and packs the metadata values of rec.
func (b *builder) meta(rec []string, line int) Meta {
	for i, j := range b.metaIdx {
		b.vals[i] = rec[j]
		if isMissing(b.vals[i]) {
			b.vals[i] = ""
		}
	}
	checkMeta(*b.metaCols, b.vals, b.file, line, b.rep)
	return packMeta(b.metaCols, b.vals)
}

// wanted reports whether samples of split are kept (train always is while
// reading, since it defines the classes).
func (b *builder) wanted(split string) bool {
	return split == SplitTrain || len(b.opts.Splits) == 0 || contains(b.opts.Splits, split)
}

// add keeps s unless it is unlabelled (counted) or its image is missing
// (with CheckImages).
func (b *builder) add(s Sample) {
	if s.Label == "" {
		b.rep.addUnlabelled(s.Split)
		if !b.opts.KeepUnlabelled {
			return
		}
	}
	if b.opts.CheckImages {
		if _, err := ResolveImage(s); err != nil {
			b.rep.Add(Issue{Kind: MissingImage, File: s.ImagePath, Line: 0, Reason: fmt.Sprintf("%v (row %s:%d)", err, b.file, s.Line)})
			return
		}
	}
	s.Label = b.in.get(s.Label)
	s.Split = b.in.get(s.Split)
	b.samples = append(b.samples, s)
}

// finish assigns class ids from the train split and returns the dataset.
func (b *builder) finish(root, rank string) *Dataset {
	counts := map[string]int{}
	for i := range b.samples {
		if s := &b.samples[i]; s.Split == SplitTrain && s.Label != "" {
			counts[s.Label]++
		}
	}
	classes, ids := classIDs(counts, max(b.opts.MinPerClass, 1), b.opts.RareMode == RareOther)
	kept := b.samples[:0]
	for _, s := range b.samples {
		if b.opts.deferClasses { // train defines the classes: Open filters the splits
			s.Class = -1
			kept = append(kept, s)
			continue
		}
		if len(b.opts.Splits) > 0 && !contains(b.opts.Splits, s.Split) {
			continue
		}
		s.Class = -1
		if s.Label != "" {
			if id, ok := ids[s.Label]; ok {
				s.Class = id
			} else if counts[s.Label] > 0 {
				b.rep.Add(Issue{Kind: RareClass, File: b.file, Line: s.Line, Reason: fmt.Sprintf("class %q has %d train samples < min %d (dropped)", s.Label, counts[s.Label], b.opts.MinPerClass)})
				continue
			} else {
				b.rep.addUnknown(s.Split)
				if openWorld(s.Split) {
					// Species unseen in train are what these splits are for:
					// counted per split, not reported as a problem.
					kept = append(kept, s)
					continue
				}
				b.rep.Add(Issue{Kind: UnknownLabel, File: b.file, Line: s.Line, Reason: fmt.Sprintf("%s label %q not in train (split %s; kept with class -1)", rank, s.Label, s.Split)})
			}
		}
		kept = append(kept, s)
	}
	clear(b.samples[len(kept):])
	if cap(kept) > len(kept)+len(kept)/8+64 { // give back append's slack
		kept = append(make([]Sample, 0, len(kept)), kept...)
	}
	b.samples = nil
	return &Dataset{Root: root, Rank: rank, Classes: classes, Samples: kept[:len(kept):len(kept)], Report: b.rep}
}

// openFile opens a dataset file with an error naming it.
func openFile(path, what string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("dataset: %s %s does not exist", what, path)
		}
		return nil, fmt.Errorf("dataset: %s: %w", what, err)
	}
	return f, nil
}

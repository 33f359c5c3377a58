package dataset

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Dataset formats a Source can have.
const (
	FormatBIOSCAN = "bioscan"
	FormatCSV     = "csv"
)

// SpecFile is the name of a generic CSV dataset's spec inside its folder
// (the agent's uncertain folder and `trainer import` write it); spec.yaml is
// accepted too.
const SpecFile = "dataset.yaml"

// Source names one dataset to open: a folder (BIOSCAN-5M layout when it
// holds BIOSCANMetadataFile, else a generic CSV folder with SpecFile or
// spec.yaml, else a folder of labelled photos in class folders: OpenFolder)
// or a generic CSV spec file.
type Source struct {
	// Path is the folder or spec file as given.
	Path string
	// Format is FormatBIOSCAN, FormatCSV or FormatFolder.
	Format string
	// Spec is the CSV spec (FormatCSV only).
	Spec Spec
}

// ParseSource finds out what path is: a BIOSCAN-5M folder, a generic CSV
// folder, a folder of labelled photos, or a spec file. The error names the path and what was looked for.
func ParseSource(path string) (Source, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Source{}, fmt.Errorf("dataset %s: does not exist", path)
		}
		return Source{}, fmt.Errorf("dataset %s: %w", path, err)
	}
	if !fi.IsDir() {
		spec, err := LoadSpec(path)
		if err != nil {
			return Source{}, err
		}
		return Source{Path: path, Format: FormatCSV, Spec: spec}, nil
	}
	if _, err := os.Stat(filepath.Join(path, BIOSCANMetadataFile)); err == nil {
		return Source{Path: path, Format: FormatBIOSCAN}, nil
	}
	for _, name := range []string{SpecFile, "spec.yaml"} {
		if _, err := os.Stat(filepath.Join(path, name)); err == nil {
			spec, err := LoadSpec(filepath.Join(path, name))
			if err != nil {
				return Source{}, err
			}
			return Source{Path: path, Format: FormatCSV, Spec: spec}, nil
		}
	}
	if isFolderDataset(path) {
		return Source{Path: path, Format: FormatFolder}, nil
	}
	return Source{}, fmt.Errorf("dataset %s: neither %s (BIOSCAN-5M layout) nor %s / spec.yaml (generic CSV) nor class folders of photos (DIR/LABEL/photo.jpg) found", path, BIOSCANMetadataFile, SpecFile)
}

// ParseSources parses every path (see ParseSource).
func ParseSources(paths []string) ([]Source, error) {
	if len(paths) == 0 {
		return nil, errors.New("dataset: no data given (--data DIR or --spec FILE)")
	}
	out := make([]Source, 0, len(paths))
	for _, p := range paths {
		s, err := ParseSource(p)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// AllBIOSCAN reports whether every source is in the BIOSCAN-5M layout
// (whose published normalisation statistics then apply).
func AllBIOSCAN(srcs []Source) bool {
	for _, s := range srcs {
		if s.Format != FormatBIOSCAN {
			return false
		}
	}
	return len(srcs) > 0
}

// SourceSummary says what one source contributed to an opened dataset.
type SourceSummary struct {
	Path   string `json:"path"`
	Format string `json:"format"`
	// RowsRead counts the data rows of its CSV (a folder dataset's
	// photos).
	RowsRead int `json:"rows_read"`
	// Samples counts its kept samples per split.
	Samples map[string]int `json:"samples"`
	// Unlabelled counts, per split, its rows left out for having no label.
	Unlabelled map[string]int `json:"unlabelled,omitempty"`
	// Classes are the train labels it has (sorted); NewClasses those no
	// earlier source has in train.
	Classes    []string `json:"classes"`
	NewClasses []string `json:"new_classes,omitempty"`
	// Groups counts its trap-night groups per split (field crops; see
	// Spec.SplitBy).
	Groups map[string]int `json:"groups,omitempty"`
	// Report holds its skipped and repaired rows.
	Report *Report `json:"-"`
}

// Open opens one or more sources as one dataset. The class set is the union
// of the sources' train labels at opts.Rank (a generic CSV's label column is
// taken to be at that rank), with MinPerClass applied to the union; rows
// without a label are left out and counted per source (unless
// KeepUnlabelled). Dataset.Sources says what came from where;
// Dataset.Report gathers every source's issues.
func Open(srcs []Source, opts Options) (*Dataset, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(srcs) == 0 {
		return nil, errors.New("dataset: no source to open")
	}
	per := opts
	per.deferClasses = true // class ids over the union, below
	merged := &Dataset{Rank: opts.Rank, Report: NewReport(opts.MaxListed)}
	seen := map[string]bool{}
	counts := map[string]int{}
	for _, src := range srcs {
		var d *Dataset
		switch src.Format {
		case FormatBIOSCAN:
			d, err = OpenBIOSCAN(src.Path, per)
		case FormatCSV:
			d, err = OpenCSV(src.Spec, per)
		case FormatFolder:
			d, err = OpenFolder(src.Path, per)
		default:
			err = fmt.Errorf("dataset %s: unknown format %q", src.Path, src.Format)
		}
		if err != nil {
			return nil, err
		}
		if merged.Root == "" {
			merged.Root = d.Root
		}
		sum := SourceSummary{Path: src.Path, Format: src.Format, RowsRead: d.Report.RowsRead, Samples: map[string]int{},
			Unlabelled: d.Report.Unlabelled, Groups: d.Groups, Report: d.Report}
		for sp, n := range d.SplitSizes() {
			if len(opts.Splits) == 0 || contains(opts.Splits, sp) {
				sum.Samples[sp] = n
			}
		}
		has := map[string]bool{}
		for i := range d.Samples {
			if s := &d.Samples[i]; s.Split == SplitTrain && s.Label != "" {
				counts[s.Label]++
				has[s.Label] = true
			}
		}
		for l := range has {
			sum.Classes = append(sum.Classes, l)
			if !seen[l] {
				sum.NewClasses = append(sum.NewClasses, l)
			}
		}
		for l := range has {
			seen[l] = true
		}
		sort.Strings(sum.Classes)
		sort.Strings(sum.NewClasses)
		merged.Sources = append(merged.Sources, sum)
		if merged.Samples == nil { // one source (BIOSCAN-5M: millions of rows) is not copied
			merged.Samples = d.Samples
		} else {
			merged.Samples = append(merged.Samples, d.Samples...)
		}
		merged.Report.merge(d.Report)
	}
	classes, ids := classIDs(counts, max(opts.MinPerClass, 1), opts.RareMode == RareOther)
	merged.Classes = classes
	merged.relabel(ids, counts, opts)
	return merged, nil
}

// relabel assigns class ids by label name (counts: train samples per
// label over all sources): samples of rare classes left out of ids
// (RareDrop) are dropped and reported; labels absent from every source's
// train split keep Class -1 and are counted (and reported, except in the
// open-world splits, which hold such labels by design).
func (d *Dataset) relabel(ids, counts map[string]int, opts Options) {
	kept := d.Samples[:0]
	for _, s := range d.Samples {
		if len(opts.Splits) > 0 && !contains(opts.Splits, s.Split) {
			continue // read for the classes only
		}
		s.Class = -1
		if s.Label != "" {
			if id, ok := ids[s.Label]; ok {
				s.Class = id
			} else if counts[s.Label] > 0 {
				d.Report.Add(Issue{Kind: RareClass, File: s.ImagePath, Reason: fmt.Sprintf("class %q has %d train samples < min %d (dropped)", s.Label, counts[s.Label], opts.MinPerClass)})
				continue
			} else {
				d.Report.addUnknown(s.Split)
				if !openWorld(s.Split) {
					d.Report.Add(Issue{Kind: UnknownLabel, File: s.ImagePath, Reason: fmt.Sprintf("%s label %q not in any train split (split %s; kept with class -1)", d.Rank, s.Label, s.Split)})
				}
			}
		}
		kept = append(kept, s)
	}
	d.Samples = kept
}

// merge adds o's counts and listed issues to r.
func (r *Report) merge(o *Report) {
	o.mu.Lock()
	defer o.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.RowsRead += o.RowsRead
	for k, n := range o.Unlabelled {
		r.Unlabelled[k] += n
	}
	for k, n := range o.UnknownLabels {
		r.UnknownLabels[k] += n
	}
	for k, n := range o.counts {
		r.counts[k] += n
		room := r.MaxListed - len(r.listed[k])
		if room > 0 {
			r.listed[k] = append(r.listed[k], o.listed[k][:min(room, len(o.listed[k]))]...)
		}
	}
}

// Describe is a one-line account of a source, e.g. for command output.
func (s SourceSummary) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %d rows read", s.Path, s.Format, s.RowsRead)
	for _, sp := range Splits {
		if n := s.Samples[sp]; n > 0 {
			fmt.Fprintf(&b, ", %s %d", sp, n)
		}
	}
	un := 0
	for _, n := range s.Unlabelled {
		un += n
	}
	fmt.Fprintf(&b, "; %d unlabelled left out; classes: %d", un, len(s.Classes))
	if len(s.NewClasses) > 0 && len(s.NewClasses) < len(s.Classes) {
		fmt.Fprintf(&b, " (new: %s)", strings.Join(s.NewClasses, ", "))
	}
	if len(s.Groups) > 0 {
		fmt.Fprintf(&b, "; trap-night groups train %d, val %d, test %d", s.Groups[SplitTrain], s.Groups[SplitVal], s.Groups[SplitTest])
	}
	return b.String()
}

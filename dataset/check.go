package dataset

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
)

// VerifyImages checks the image of every sample with a bounded pool of
// workers: with decode it fully decodes each image, otherwise it checks the
// file's header and end marker (CheckImageFile: names empty, truncated and
// non-image files without decoding pixels). Problems are added to rep
// (MissingImage / UnreadableImage, naming the path, the row and the
// reason); the samples whose image is fine are returned in input order.
// progress, if not nil, is called now and then with the number checked.
func VerifyImages(ctx context.Context, samples []Sample, decode bool, workers int, rep *Report, progress func(done int)) []Sample {
	workers = max(workers, 1)
	ok := make([]bool, len(samples))
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(samples) {
					return
				}
				s := samples[i]
				kind, path, err := checkImage(s, decode)
				if err != nil {
					rep.Add(Issue{Kind: kind, File: path, Reason: fmt.Sprintf("%v (row %d, %s)", err, s.Line, s.ProcessID)})
				} else {
					ok[i] = true
				}
				if n := done.Add(1); progress != nil && n%256 == 0 {
					progress(int(n))
				}
			}
		}()
	}
	wg.Wait()
	if progress != nil {
		progress(int(done.Load()))
	}
	var out []Sample
	for i, good := range ok {
		if good {
			out = append(out, samples[i])
		}
	}
	return out
}

func checkImage(s Sample, decode bool) (Kind, string, error) {
	if decode {
		_, path, kind, err := DecodeImage(s)
		return kind, path, err
	}
	path, err := ResolveImage(s)
	if err != nil {
		return MissingImage, s.ImagePath, err
	}
	if err := CheckImageFile(path); err != nil {
		return UnreadableImage, path, err
	}
	return "", path, nil
}

// SplitSummary counts one split's samples.
type SplitSummary struct {
	Name string
	// Samples kept; Labelled of them have a class id.
	Samples, Labelled int
	// Unlabelled rows left out; UnknownLabels kept with class -1.
	Unlabelled, UnknownLabels int
}

// ClassSummary counts one class's samples per split.
type ClassSummary struct {
	Name  string
	Count map[string]int
}

// Summary describes an opened dataset for `trainer data check` and for the
// model's data summary.
type Summary struct {
	Rank      string
	Splits    []SplitSummary
	Classes   []ClassSummary // sorted by train count, most frequent first
	Imbalance float64        // train: largest class count / smallest
	// LabelledTrain is the number of train samples with a class id.
	LabelledTrain int
}

// Summarize counts d's samples per split and class.
func Summarize(d *Dataset) Summary {
	sum := Summary{Rank: d.Rank}
	bySplit := map[string]*SplitSummary{}
	names := map[string]bool{}
	classes := make([]ClassSummary, len(d.Classes))
	for i, c := range d.Classes {
		classes[i] = ClassSummary{Name: c, Count: map[string]int{}}
	}
	get := func(name string) *SplitSummary {
		if s, ok := bySplit[name]; ok {
			return s
		}
		s := &SplitSummary{Name: name}
		bySplit[name] = s
		names[name] = true
		return s
	}
	for i := range d.Samples {
		s := &d.Samples[i]
		sp := get(s.Split)
		sp.Samples++
		if s.Class >= 0 && s.Class < len(classes) {
			sp.Labelled++
			classes[s.Class].Count[s.Split]++
		}
	}
	for name, n := range d.Report.Unlabelled {
		get(name).Unlabelled = n
	}
	for name, n := range d.Report.UnknownLabels {
		get(name).UnknownLabels = n
	}
	for _, name := range Splits {
		if names[name] {
			sum.Splits = append(sum.Splits, *bySplit[name])
		}
	}
	sort.SliceStable(classes, func(a, b int) bool { return classes[a].Count[SplitTrain] > classes[b].Count[SplitTrain] })
	sum.Classes = classes
	sum.Imbalance = ImbalanceRatio(d.ClassCounts(SplitTrain))
	if s, ok := bySplit[SplitTrain]; ok {
		sum.LabelledTrain = s.Labelled
	}
	return sum
}

// Write prints the summary as text, listing at most maxClasses classes (the
// most and least frequent halves) and a count of the rest.
func (s Summary) Write(w io.Writer, maxClasses int) {
	fmt.Fprintf(w, "rank: %s, %d classes, %d labelled train samples, train imbalance ratio %.1f\n", s.Rank, len(s.Classes), s.LabelledTrain, s.Imbalance)
	fmt.Fprintf(w, "%-14s %9s %9s %11s %14s\n", "split", "samples", "labelled", "unlabelled", "unknown-label")
	for _, sp := range s.Splits {
		fmt.Fprintf(w, "%-14s %9d %9d %11d %14d\n", sp.Name, sp.Samples, sp.Labelled, sp.Unlabelled, sp.UnknownLabels)
	}
	cols := []string{SplitTrain, SplitVal, SplitTest}
	fmt.Fprintf(w, "%-40s %8s %8s %8s\n", "class", cols[0], cols[1], cols[2])
	row := func(c ClassSummary) {
		fmt.Fprintf(w, "%-40s %8d %8d %8d\n", c.Name, c.Count[cols[0]], c.Count[cols[1]], c.Count[cols[2]])
	}
	if maxClasses <= 0 || len(s.Classes) <= maxClasses {
		for _, c := range s.Classes {
			row(c)
		}
		return
	}
	head := (maxClasses + 1) / 2
	for _, c := range s.Classes[:head] {
		row(c)
	}
	fmt.Fprintf(w, "... %d more classes ...\n", len(s.Classes)-maxClasses)
	for _, c := range s.Classes[len(s.Classes)-(maxClasses-head):] {
		row(c)
	}
}

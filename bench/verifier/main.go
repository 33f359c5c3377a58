// Command verifier builds and scores the sticky cards' learned verifier
// (detect.Verifier): a small net, trained by our own trainer, that tells
// insects from junk among a card's detections of 5 mm or more. run.sh
// drives it:
//
//	go run ./bench/verifier crops -real ../shared/realframes -out OUT
//
// writes, for each day of card photos (the date their names begin with),
// OUT/DAY/{train,val,test}/{insect,junk}/ as class folders for `trainer
// train --data`: that day's cards are the test split, every fifth crop of
// the other days val, the rest train; OUT/all/ holds every day (train and
// val). A crop is detect.VerifierCrop of a judged row of
// bench/detect/sticky-large.tsv (insect or junk; unsure rows are left out)
// or of a detection under 40 px centred in an annotated whitefly's box
// (up to -whiteflies per card, insects: a verifier must not learn that a
// small pale speck is junk).
//
//	go run ./bench/verifier score -real ../shared/realframes -runs OUT
//
// runs the detector on each day's cards with the verifier OUT/DAY/model.tflite
// (trained without that day) and without one, and prints the judged rows
// kept and the whitefly recall of both: what the verifier does on cards
// it has not seen; -curve 0.9,0.98 adds the judged rows kept at other
// junk probabilities.
package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/trapnet/trapnet/agent/model"
	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/detect"
	"github.com/trapnet/trapnet/detect/realeval"
)

func main() {
	if len(os.Args) < 2 || (os.Args[1] != "crops" && os.Args[1] != "score") {
		fmt.Fprintln(os.Stderr, "usage: verifier crops|score -real DIR [-out OUT | -runs OUT] (see the package doc)")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	real := fs.String("real", "../shared/realframes", "real frames with annotations")
	judgedPath := fs.String("judged", "bench/detect/sticky-large.tsv", "judged card detections")
	out := fs.String("out", "", "crops: output folder")
	runs := fs.String("runs", "", "score: folder of DAY/model.tflite")
	whiteflies := fs.Int("whiteflies", 25, "crops: small whitefly detections per card")
	reject := fs.Float64("reject", detect.DefaultVerifierReject, "score: junk probability over which a specimen is dropped")
	verbose := fs.Bool("v", false, "score: list the judged insects the verifier drops")
	curve := fs.String("curve", "", "score: also the judged rows kept at these other junk probabilities (comma-separated, e.g. 0.9,0.98,0.995)")
	_ = fs.Parse(os.Args[2:])
	frames, judged, err := load(*real, *judgedPath)
	if err == nil {
		if os.Args[1] == "crops" {
			err = crops(frames, judged, *out, *whiteflies)
		} else {
			err = score(frames, judged, *runs, *reject, *verbose)
			if err == nil && *curve != "" {
				err = scoreCurve(frames, judged, *runs, *curve)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "verifier:", err)
		os.Exit(1)
	}
}

// load returns the sticky frames under dir and the judged rows.
func load(dir, judgedPath string) ([]realeval.Frame, []realeval.Judged, error) {
	all, problems, err := realeval.FindFrames(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "skipped:", p)
	}
	var frames []realeval.Frame
	for _, f := range all {
		if f.Sticky {
			frames = append(frames, f)
		}
	}
	if len(frames) == 0 {
		return nil, nil, fmt.Errorf("no sticky-card frames under %s", dir)
	}
	judged, problems, err := realeval.LoadJudged(judgedPath)
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "skipped:", p)
	}
	return frames, judged, err
}

// day is the group a card photo is held out with: the date its name
// begins with (YYYYMMDD_...), else its whole name.
func day(f realeval.Frame) string {
	base := filepath.Base(f.Path)
	d, _, _ := strings.Cut(base, "_")
	return d
}

// days lists the frames' days in order.
func days(frames []realeval.Frame) []string {
	var ds []string
	for _, f := range frames {
		if d := day(f); !slices.Contains(ds, d) {
			ds = append(ds, d)
		}
	}
	slices.Sort(ds)
	return ds
}

// sample is one crop's source.
type sample struct {
	box   image.Rectangle
	label string // realeval.JudgedInsect or JudgedJunk
}

// samples are a frame's judged rows and small whitefly detections.
func samples(f realeval.Frame, img image.Image, judged []realeval.Judged, whiteflies int) ([]sample, error) {
	var out []sample
	for _, j := range judged {
		if j.Frame == filepath.Base(f.Path) && (j.Label == realeval.JudgedInsect || j.Label == realeval.JudgedJunk) {
			out = append(out, sample{j.Box, j.Label})
		}
	}
	found, err := detect.Detect(img, detect.DefaultOptions(f.Scale()))
	if err != nil {
		return nil, err
	}
	n := 0
	for _, s := range found {
		c := s.Box.Min.Add(s.Box.Max).Div(2)
		if n >= whiteflies || realeval.LongestSide(s.Box) >= realeval.MinSidePx {
			continue
		}
		for _, a := range f.Ann.Insects() {
			if c.In(a) {
				out = append(out, sample{s.Box, realeval.JudgedInsect})
				n++
				break
			}
		}
	}
	return out, nil
}

// crops writes the class folders (see the package doc).
func crops(frames []realeval.Frame, judged []realeval.Judged, out string, whiteflies int) error {
	if out == "" {
		return errors.New("crops needs -out")
	}
	ds := days(frames)
	for _, f := range frames {
		img, err := camera.DecodeFile(f.Path, 0)
		if err != nil {
			return err
		}
		ss, err := samples(f, img, judged, whiteflies)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Path, err)
		}
		name := strings.TrimSuffix(filepath.Base(f.Path), filepath.Ext(f.Path))
		for i, s := range ss {
			c := detect.VerifierCrop(img, s.box)
			val := i%5 == 0
			for _, fold := range append(ds, "all") {
				split := "train"
				switch {
				case fold == day(f):
					split = "test"
				case val:
					split = "val"
				}
				if err := writePNG(filepath.Join(out, fold, split, s.label, fmt.Sprintf("%s_%d.png", name, i)), c); err != nil {
					return err
				}
			}
		}
		fmt.Fprintf(os.Stderr, "%s: %d crops\n", f.Path, len(ss))
	}
	fmt.Println(strings.Join(append(ds, "all"), " "))
	return nil
}

func writePNG(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// score prints, per held-out day and in all, the judged rows kept and the
// whitefly recall without and with that day's verifier.
func score(frames []realeval.Frame, judged []realeval.Judged, runs string, reject float64, verbose bool) error {
	if runs == "" {
		return errors.New("score needs -runs")
	}
	var base, with realeval.JudgedScore
	var wfBase, wfWith realeval.Score
	fmt.Println("| held-out day | cards | judged insects kept (without / with) | judged junk kept | precision | whitefly recall (centred) |")
	fmt.Println("|---|--:|--:|--:|--:|--:|")
	for _, d := range days(frames) {
		fs := dayFrames(frames, d)
		v, err := model.LoadVerifier(filepath.Join(runs, d, "model.tflite"))
		if err != nil {
			return fmt.Errorf("day %s: %w", d, err)
		}
		r0 := realeval.Evaluate(fs, realeval.DetectBoxes, nil)
		r1 := realeval.Evaluate(fs, realeval.VerifiedDetector(v, reject), nil)
		j0, j1 := r0.Judge(judged), r1.Judge(judged)
		w0, w1 := sticky(r0), sticky(r1)
		fmt.Printf("| %s | %d | %d / %d of %d | %d / %d of %d | %.2f / %.2f | %.3f (%.3f) / %.3f (%.3f) |\n", d, len(fs),
			j0.Kept[realeval.JudgedInsect], j1.Kept[realeval.JudgedInsect], j0.Judged[realeval.JudgedInsect],
			j0.Kept[realeval.JudgedJunk], j1.Kept[realeval.JudgedJunk], j0.Judged[realeval.JudgedJunk],
			j0.Precision(), j1.Precision(), w0.Recall(), w0.CentredRecall(), w1.Recall(), w1.CentredRecall())
		if verbose {
			for _, j := range lost(r0, r1, judged) {
				fmt.Printf("lost: %s %v %s\n", j.Frame, j.Box, j.Note)
			}
		}
		add(&base, j0)
		add(&with, j1)
		wfBase.Add(w0)
		wfWith.Add(w1)
	}
	fmt.Printf("| all | %d | %d / %d of %d | %d / %d of %d | %.2f / %.2f | %.3f (%.3f) / %.3f (%.3f) |\n", len(frames),
		base.Kept[realeval.JudgedInsect], with.Kept[realeval.JudgedInsect], base.Judged[realeval.JudgedInsect],
		base.Kept[realeval.JudgedJunk], with.Kept[realeval.JudgedJunk], base.Judged[realeval.JudgedJunk],
		base.Precision(), with.Precision(), wfBase.Recall(), wfBase.CentredRecall(), wfWith.Recall(), wfWith.CentredRecall())
	return nil
}

// scoreCurve prints, for each junk probability of the comma-separated list,
// the judged rows the held-out days' verifiers keep over all days.
func scoreCurve(frames []realeval.Frame, judged []realeval.Judged, runs, list string) error {
	fmt.Println("\n| junk probability to drop | judged insects kept | judged junk kept | precision |")
	fmt.Println("|--:|--:|--:|--:|")
	for _, f := range strings.Split(list, ",") {
		reject, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || reject <= 0 || reject > 1 {
			return fmt.Errorf("-curve: %q is not a probability in (0, 1]", f)
		}
		var sum realeval.JudgedScore
		for _, d := range days(frames) {
			v, err := model.LoadVerifier(filepath.Join(runs, d, "model.tflite"))
			if err != nil {
				return fmt.Errorf("day %s: %w", d, err)
			}
			add(&sum, realeval.Evaluate(dayFrames(frames, d), realeval.VerifiedDetector(v, reject), nil).Judge(judged))
		}
		fmt.Printf("| %g | %d of %d | %d of %d | %.2f |\n", reject, sum.Kept[realeval.JudgedInsect], sum.Judged[realeval.JudgedInsect],
			sum.Kept[realeval.JudgedJunk], sum.Judged[realeval.JudgedJunk], sum.Precision())
	}
	return nil
}

// dayFrames returns the frames of day d.
func dayFrames(frames []realeval.Frame, d string) []realeval.Frame {
	var fs []realeval.Frame
	for _, f := range frames {
		if day(f) == d {
			fs = append(fs, f)
		}
	}
	return fs
}

// sticky sums a report's whitefly scores.
func sticky(r realeval.Report) realeval.Score {
	var s realeval.Score
	for _, row := range r.Rows {
		s.Add(row.Score)
	}
	return s
}

// add sums judged scores.
func add(dst *realeval.JudgedScore, s realeval.JudgedScore) {
	if dst.Judged == nil {
		dst.Judged, dst.Kept = map[string]int{}, map[string]int{}
	}
	for k, v := range s.Judged {
		dst.Judged[k] += v
	}
	for k, v := range s.Kept {
		dst.Kept[k] += v
	}
	dst.Unjudged += s.Unjudged
}

// lost lists the judged insects a detection of r0 pairs with and none of r1
// does (Report.Judge's pairing, one frame at a time).
func lost(r0, r1 realeval.Report, judged []realeval.Judged) []realeval.Judged {
	var out []realeval.Judged
	for _, j := range judged {
		if j.Label != realeval.JudgedInsect {
			continue
		}
		one := []realeval.Judged{j}
		k0, k1 := 0, 0
		for i := range r0.Rows {
			k0 += realeval.Report{Rows: r0.Rows[i : i+1]}.Judge(one).Kept[realeval.JudgedInsect]
			k1 += realeval.Report{Rows: r1.Rows[i : i+1]}.Judge(one).Kept[realeval.JudgedInsect]
		}
		if k0 > 0 && k1 == 0 {
			out = append(out, j)
		}
	}
	return out
}

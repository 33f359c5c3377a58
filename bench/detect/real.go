package main

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/model"
	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/detect"
	"github.com/trapnet/trapnet/detect/overlay"
	"github.com/trapnet/trapnet/detect/realeval"
)

// runReal scores the detector on the annotated real frames under dir
// (detect/realeval) and prints Markdown tables for bench/REPORT.md. With a
// model, each frame also goes through the agent's finder (crops, sizes) as a
// trap's first frame and its new specimens are classified as the agent
// does (at most model.max_new_per_frame of them, model.threads crops at a
// time; config defaults); the classify column is that time.
func runReal(dir, modelPath, verifierPath, annotate string) error {
	frames, err := findFrames(dir)
	if err != nil {
		return err
	}
	var ver detect.Verifier
	if verifierPath != "" {
		if ver, err = model.LoadVerifier(verifierPath); err != nil {
			return fmt.Errorf("-verifier: %w", err)
		}
	}
	det, cls := realeval.Detector(realeval.DetectBoxes), realeval.Classifier(nil)
	what := "detect.Detect, DefaultOptions"
	if ver != nil {
		det, what = realeval.VerifiedDetector(ver, 0), what+" and the card verifier "+filepath.Base(verifierPath)
	}
	if modelPath != "" {
		if det, cls, err = agentSteps(modelPath, ver); err != nil {
			return err
		}
		what = "agent finder (detect + crops + sizes) and " + filepath.Base(modelPath)
		if ver != nil {
			what += " and the card verifier " + filepath.Base(verifierPath)
		}
	}
	var todo *os.File
	if judgeOut != "" { // made first: a path that cannot be written fails before the run
		if todo, err = os.Create(judgeOut); err != nil {
			return fmt.Errorf("-judge-out: %w", err)
		}
		defer todo.Close()
	}
	rep := realeval.Evaluate(frames, det, cls)
	fmt.Printf("Real frames in %s (%d frames; %s; px/mm per folder: realeval.PixelsPerMM):\n\n", dir, len(frames), what)
	if err := rep.WriteMarkdown(os.Stdout); err != nil {
		return err
	}
	if seq := realeval.EvaluateSequences(rep, realeval.NewAgentTracker); len(seq) > 0 {
		fmt.Printf("\nCounting over time on the sequences (realeval.SequenceFolders; the agent's tracker, detect.NewFrameTracker):\n\n")
		if err := realeval.WriteSequenceMarkdown(os.Stdout, seq); err != nil {
			return err
		}
	}
	if again {
		if err := printAgain(frames, rep); err != nil {
			return err
		}
	}
	if arriveTakes > 0 {
		if err := printArrivals(frames, arriveTakes); err != nil {
			return err
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		fmt.Printf("\npeak RSS: %.0f MB\n", float64(ru.Maxrss)/1024)
	}
	fails := rep.Check(realeval.IssueTargets)
	// Without the judged file every card's larger detections are unjudged
	// (the target then reads "not measured", not met).
	judged, problems, err := realeval.LoadJudged(judgedFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "judged boxes not read:", err)
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "skipped:", p)
	}
	js := rep.Judge(judged)
	if js.Cards > 0 {
		fmt.Printf("\nsticky cards, detections >= %d px judged by eye (%s): %v\n", realeval.MinSidePx, judgedFile, js)
	}
	fails = append(fails, js.Check(realeval.IssueJudged)...)
	if todo != nil {
		if err := writeToJudge(todo, rep.ToJudge(judged)); err != nil {
			return err
		}
	}
	if err := printCorrected(dir, frames, rep); err != nil {
		fmt.Fprintln(os.Stderr, "corrections not read:", err)
	}
	fmt.Printf("\nissue #11 targets (realeval.IssueTargets): %d not met\n", len(fails))
	for _, f := range fails {
		fmt.Println("- " + f)
	}
	if verbose {
		listMisses(rep)
	}
	if annotate != "" {
		if err := annotateReal(rep, annotate); err != nil {
			return err
		}
	}
	failed := 0
	for _, r := range rep.Rows {
		if r.Err != nil {
			failed++
		}
		if r.AsStored {
			fmt.Printf("%s: scored on its pixels as stored (its boxes ignore the Exif orientation the agent turns it by)\n", r.Frame.Path)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d frames could not be scored", failed, len(frames))
	}
	return nil
}

// findFrames returns the annotated frames under dir (realeval.FindFrames),
// printing the files skipped; none is an error.
func findFrames(dir string) ([]realeval.Frame, error) {
	frames, problems, err := realeval.FindFrames(dir)
	if err != nil {
		return nil, err
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "skipped:", p)
	}
	if len(frames) == 0 {
		return nil, fmt.Errorf("%s: no FRAME.boxes.json with its image", dir)
	}
	return frames, nil
}

// printCorrected prints the sheets' figures on the annotations as given
// and with the project's corrections (correctionsFile), for the traps they
// change.
func printCorrected(dir string, frames []realeval.Frame, rep realeval.Report) error {
	cs, problems, err := realeval.LoadCorrections(correctionsFile)
	if err != nil {
		return err
	}
	fixed, more := realeval.Correct(dir, frames, cs)
	for _, p := range append(problems, more...) {
		fmt.Fprintln(os.Stderr, "correction skipped:", p)
	}
	fmt.Printf("\nlight sheets on the annotations as given -> with the project's %d corrections (%s; the targets are checked on the former):\n\n", len(cs), correctionsFile)
	return rep.WriteCorrected(os.Stdout, rep.Rescored(fixed))
}

// correctionsFile holds the project's corrections to the real frames'
// annotations (run from the repository root, as make bench does).
var correctionsFile = filepath.Join("bench", "detect", "corrections.tsv")

// judgedFile holds the sticky cards' larger detections judged by eye (run
// from the repository root, as make bench does; -judged).
var judgedFile = filepath.Join("bench", "detect", "sticky-large.tsv")

// judgeOut, when set (-judge-out), receives the cards' larger detections
// no judged row names (realeval.WriteToJudge).
var judgeOut string

// writeToJudge writes rows to f for a person to label, and closes it.
func writeToJudge(f *os.File, rows []realeval.Judged) error {
	err := realeval.WriteToJudge(f, rows)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("-judge-out: %w", err)
	}
	fmt.Printf("%d detections to judge written to %s (label each, then add its rows to the -judged file)\n", len(rows), f.Name())
	return nil
}

// agentSteps returns a detector running the agent's finder (a fresh
// tracker per frame: frames are independent) and a classifier over its new
// specimens' crops.
func agentSteps(modelPath string, ver detect.Verifier) (realeval.Detector, realeval.Classifier, error) {
	cfg := config.Default()
	m, err := model.LoadN(modelPath, cfg.Model.Threads)
	if err != nil {
		return nil, nil, err
	}
	cfg.Trap.ID = "bench"
	var specs []agent.Specimen
	det := func(f realeval.Frame, img image.Image) ([]image.Rectangle, error) {
		// A fresh tracker per frame: each frame is a trap's first, all
		// its specimens are new, and at most model.max_new_per_frame of
		// them are cropped and classified now (the agent's rule).
		finder := agent.NewDetectFinder(f.Scale())
		finder.MaxNew = cfg.Model.MaxNewPerFrame
		finder.Options.Verifier = ver
		specs, err = finder.Find(img)
		if err != nil {
			return nil, err
		}
		boxes := make([]image.Rectangle, len(specs))
		for i, s := range specs {
			boxes[i] = s.Box
		}
		return boxes, nil
	}
	cls := func(f realeval.Frame, img image.Image, boxes []image.Rectangle) error {
		capture := time.Now()
		if fi, err := os.Stat(f.Path); err == nil {
			capture = fi.ModTime()
		}
		// As the agent does (model.threads crops at a time).
		errs := make([]error, len(specs))
		sem := make(chan struct{}, cfg.Model.Threads)
		var wg sync.WaitGroup
		for i, s := range specs {
			if !s.New {
				continue
			}
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				_, errs[i] = m.Classify(s.Crop, agent.MetaRow(&cfg, capture, s.Size))
			}()
		}
		wg.Wait()
		return errors.Join(errs...)
	}
	return det, cls, nil
}

// annotateReal writes DIR/TRAP_NAME.jpg for every scored frame: insect
// boxes blue, not_insect grey, detections red; misses and false positives
// thicker.
func annotateReal(rep realeval.Report, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, r := range rep.Rows {
		if r.Err != nil {
			continue
		}
		img, err := camera.DecodeFile(r.Frame.Path, 0)
		if err != nil {
			return err
		}
		ins, missed, fp := r.Frame.Ann.Insects(), map[int]bool{}, map[int]bool{}
		for _, i := range r.Score.Missed {
			missed[i] = true
		}
		for _, j := range r.Score.FalseIdx {
			fp[j] = true
		}
		var marks []overlay.Mark
		for _, b := range r.Frame.Ann.NotInsects() {
			marks = append(marks, overlay.Mark{Box: b, Color: color.RGBA{128, 128, 128, 255}, Width: 2})
		}
		for i, b := range ins {
			marks = append(marks, overlay.Mark{Box: b, Color: color.RGBA{0, 60, 255, 255}, Width: thick(missed[i])})
		}
		for j, b := range r.Boxes {
			marks = append(marks, overlay.Mark{Box: b, Color: color.RGBA{255, 0, 0, 255}, Width: thick(fp[j])})
		}
		name := r.Frame.Trap + "_" + strings.TrimSuffix(filepath.Base(r.Frame.Path), filepath.Ext(r.Frame.Path)) + ".jpg"
		if err := overlay.WriteJPEG(filepath.Join(dir, name), overlay.Draw(img, marks)); err != nil {
			return err
		}
	}
	return nil
}

// listMisses prints each frame's missed insects and false positives.
func listMisses(rep realeval.Report) {
	for _, r := range rep.Rows {
		if r.Err != nil {
			continue
		}
		ins := r.Frame.Ann.Insects()
		for _, i := range r.Score.Missed {
			fmt.Printf("  %s: miss %v (%d px), best IoU %.2f\n", r.Frame.Path, ins[i], realeval.LongestSide(ins[i]), bestIoU(ins[i], r.Boxes))
		}
		for _, j := range r.Score.FalseIdx {
			fmt.Printf("  %s: false positive %v (%d px)\n", r.Frame.Path, r.Boxes[j], realeval.LongestSide(r.Boxes[j]))
		}
	}
}

// printAgain takes every frame again (realeval's retake) and prints, per
// trap, what the agent's tracker counts again on the second take.
func printAgain(frames []realeval.Frame, rep realeval.Report) error {
	retake, ok := realeval.PerturbationNamed("retake")
	if !ok {
		return errors.New("-again: no retake perturbation")
	}
	rows := realeval.TakenAgain(rep, realeval.Evaluate(frames, retake.Detector(), nil), realeval.NewAgentTracker)
	fmt.Printf("\nEvery frame taken again (realeval's retake: %s), the agent's tracker fed both takes (realeval.TakenAgain): specimens counted twice:\n\n", retake.Doc)
	return realeval.WriteAgainMarkdown(os.Stdout, rows)
}

// printArrivals takes every sticky card takes times while whiteflies
// arrive (realeval.CardArrivals, 5 a take) and prints, per card, what the
// agent's tracker (a card's walk and memory) counts, and a tracker with a
// sheet's.
func printArrivals(frames []realeval.Frame, takes int) error {
	const perTake = 5
	fmt.Printf("\nWhiteflies arriving on the sticky cards (realeval.CardArrivals: %d takes, fresh sensor noise and JPEG 90 each, %d of the card's own whiteflies pasted on bare card on every take from the second): arrivals counted and other new counts after the first take, by the agent's tracker (detect.CardWalkMM, detect.CardMaxAge) and by a sheet's (detect.WalkMM, detect.SheetMaxAge):\n\n", takes, perTake)
	fmt.Println("| card | arrivals | detected on their take | counted: card tracker | other new | counted: sheet tracker | other new |")
	fmt.Println("|---|--:|--:|--:|--:|--:|--:|")
	var sum [6]int
	var series []realeval.ArrivalSeries
	for _, f := range frames {
		if !f.Sticky {
			continue
		}
		img, err := camera.DecodeFile(f.Path, 0)
		if err != nil {
			return err
		}
		s, err := realeval.CardArrivals(f, img, takes, perTake, 1)
		if err != nil {
			fmt.Fprintln(os.Stderr, "skipped:", err)
			continue
		}
		series = append(series, s)
		card := s.Count(realeval.NewAgentTracker(f))
		sheet := s.Count(detect.NewFrameTracker(f.Scale()))
		fmt.Printf("| %s | %d | %d | %d | %d | %d | %d |\n", filepath.Base(f.Path), card.Arrivals, card.Detected, card.Counted, card.OtherNew, sheet.Counted, sheet.OtherNew)
		for k, v := range []int{card.Arrivals, card.Detected, card.Counted, card.OtherNew, sheet.Counted, sheet.OtherNew} {
			sum[k] += v
		}
	}
	fmt.Printf("| all | %d | %d | %d | %d | %d | %d |\n", sum[0], sum[1], sum[2], sum[3], sum[4], sum[5])
	printSwaps(series)
	printMoved(series)
	return nil
}

// printMoved feeds the agent's tracker each card's series moved from its
// sixth take on (realeval.Moved: shifted, or turned about the frame's
// middle, as a card swinging on its hanger or a knocked camera moves it)
// and prints the arrivals counted and the other new counts, with and
// without the new-surface rule (which looks for the card's motion), and
// how many takes it took for a new card.
func printMoved(series []realeval.ArrivalSeries) {
	moves := []struct {
		name    string
		mm, deg float64
	}{{"not moved", 0, 0}, {"shifted 1 mm", 1, 0}, {"shifted 4 mm", 4, 0}, {"turned 1 degree", 0, 1}, {"turned 3 degrees", 0, 3}}
	fmt.Printf("\nEach card's series moved from its sixth take on (realeval.Moved; shifted right and half as much down, or turned about the frame's middle): over the 18 cards, arrivals counted / other new counts after the first take, by the agent's tracker and by it without the new-surface rule, and the takes it took for a new card:\n\n")
	fmt.Println("| the card | agent's tracker | without the rule | takes told a new card |")
	fmt.Println("|---|--:|--:|--:|")
	for _, mv := range moves {
		var with, without realeval.ArrivalCount
		told := 0
		for _, s := range series {
			m := realeval.Moved(s, 5, mv.mm, mv.deg)
			c := m.Count(realeval.NewAgentTracker(s.Frame))
			o := m.Count(withoutNewCard(s.Frame))
			with.Counted, with.OtherNew = with.Counted+c.Counted, with.OtherNew+c.OtherNew
			without.Counted, without.OtherNew = without.Counted+o.Counted, without.OtherNew+o.OtherNew
			tr := realeval.NewAgentTracker(s.Frame)
			for _, boxes := range m.Takes {
				if tr.Update(boxes); tr.Replaced() {
					told++
				}
			}
		}
		fmt.Printf("| %s | %d / %d | %d / %d | %d |\n", mv.name, with.Counted, with.OtherNew, without.Counted, without.OtherNew, told)
	}
}

// printSwaps feeds the agent's tracker each card's series followed by the
// next card's (a used card swapped for another), and by the next card
// filling up as a fresh one would (realeval.Filling, 5 specks a take),
// and prints on which take it told the new card (detect.Tracker.Replaced)
// and how many of the second card's boxes it called new, against a fresh
// tracker and against the agent's tracker without the new-surface rule.
func printSwaps(series []realeval.ArrivalSeries) {
	if len(series) < 2 {
		return
	}
	fmt.Printf("\nEach card's series followed by the next card's (a used card swapped for another), and by the next card filling up 5 specks a take (a fresh card, realeval.Filling): the take of the second card on which the agent's tracker told a new card (detect.NewSurfaceShare), takes of the first on which it did, and the boxes called new on the second card's takes, by it / by a fresh tracker / by the agent's tracker without the rule:\n\n")
	fmt.Println("| first card | second card | used: told on take | told on the first | new | fresh card: told on take | new |")
	fmt.Println("|---|---|--:|--:|--:|--:|--:|")
	var sum [6]int
	for i, a := range series {
		b := series[(i+1)%len(series)]
		used, usedOld := realeval.Swap(a, b, realeval.NewAgentTracker), realeval.Swap(a, b, withoutNewCard)
		fill := realeval.Filling(b, 5, 1)
		fresh, freshOld := realeval.Swap(a, fill, realeval.NewAgentTracker), realeval.Swap(a, fill, withoutNewCard)
		fmt.Printf("| %s | %s | %d | %d | %d / %d / %d | %d | %d / %d / %d |\n", filepath.Base(a.Frame.Path), filepath.Base(b.Frame.Path),
			used.Told, used.FalseTold, used.After, used.Alone, usedOld.After, fresh.Told, fresh.After, fresh.Alone, freshOld.After)
		for k, v := range []int{used.After, used.Alone, usedOld.After, fresh.After, fresh.Alone, freshOld.After} {
			sum[k] += v
		}
	}
	fmt.Printf("| all | | | | %d / %d / %d | | %d / %d / %d |\n", sum[0], sum[1], sum[2], sum[3], sum[4], sum[5])
}

// withoutNewCard is the agent's tracker without the new-surface rule
// (detect.Tracker.NewSurfaceShare 0), the peer the rule is measured against.
func withoutNewCard(f realeval.Frame) *detect.Tracker {
	tr := realeval.NewAgentTracker(f)
	tr.NewSurfaceShare = 0
	return tr
}

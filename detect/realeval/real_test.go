package realeval

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realFramesDir finds ../shared/realframes beside the repository root (the
// folder holding go.mod), or $TRAPNET_REALFRAMES when set.
func realFramesDir(t *testing.T) string {
	if d := os.Getenv("TRAPNET_REALFRAMES"); d != "" {
		return d
	}
	return filepath.Join(repoRoot(t), "..", "shared", "realframes")
}

// realFramesOrSkip returns realFramesDir, skipping t when it is absent or
// in -short mode (the real-frame tests decode and detect 4K frames).
func realFramesOrSkip(t *testing.T) string {
	dir := realFramesDir(t)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real frames not available (%v): they live in ../shared/realframes beside the repository, see its README", err)
	}
	if testing.Short() {
		t.Skip("real frames skipped in -short mode (decodes and detects 4K frames)")
	}
	return dir
}

// repoRoot returns the folder holding go.mod above the test's folder.
func repoRoot(t *testing.T) string {
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = up
	}
}

// TestRealFrames runs the agent's detector (DetectBoxes) and tracker on
// every annotated real frame, logs the per-frame and per-trap numbers and
// the issue's targets not met yet (IssueTargets), and asserts Floors (the
// light-sheet targets, and the measured level of the others) and that no
// insect of a sequence is counted twice.
func TestRealFrames(t *testing.T) {
	dir := realFramesOrSkip(t)
	frames, problems, err := FindFrames(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) == 0 {
		t.Fatalf("%s: no FRAME.boxes.json with its image", dir)
	}
	// A bad object is skipped and its frame kept (logged); a frame lost
	// is an error.
	files := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, SuffixBoxes) {
			files++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	report := t.Logf
	if len(frames) < files {
		report = t.Errorf
	}
	for _, p := range problems {
		report("annotation: %v", p)
	}
	rep := Evaluate(frames, DetectBoxes, nil)
	var md bytes.Buffer
	rep.WriteMarkdown(&md)
	t.Logf("real frames in %s, current detector:\n%s", dir, md.String())
	seq := EvaluateSequences(rep, NewAgentTracker)
	md.Reset()
	WriteSequenceMarkdown(&md, seq)
	t.Logf("counting over time (tracker as the agent's):\n%s", md.String())
	for _, f := range rep.Check(IssueTargets) {
		t.Logf("issue #11 target not met yet: %s", f)
	}
	for _, f := range rep.Check(Floors) {
		t.Errorf("below the floor (Floors): %s", f)
	}
	// The sticky cards' larger detections, judged by eye.
	judged, problems, err := LoadJudged(filepath.Join(repoRoot(t), "bench", "detect", "sticky-large.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("judged boxes: %v", p)
	}
	js := rep.Judge(judged)
	t.Logf("sticky cards, detections >= %d px judged by eye: %v", MinSidePx, js)
	for _, f := range js.Check(IssueJudged) {
		t.Logf("issue #11 target not met yet: %s", f)
	}
	for _, f := range js.Check(FloorJudged) {
		t.Errorf("below the floor (FloorJudged): %s", f)
	}
	// The project's corrections to the annotations apply cleanly; the
	// figures on them are logged beside the ones above.
	cs, problems, err := LoadCorrections(filepath.Join(repoRoot(t), "bench", "detect", "corrections.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	fixed, more := Correct(dir, frames, cs)
	for _, p := range append(problems, more...) {
		t.Errorf("corrections: %v", p)
	}
	md.Reset()
	if err := rep.WriteCorrected(&md, rep.Rescored(fixed)); err != nil {
		t.Fatal(err)
	}
	t.Logf("light sheets as annotated -> with the project's %d corrections:\n%s", len(cs), md.String())
	// On the cards, one object boxed twice (two parts of a whitefly each
	// filled as all of it) is counted twice: 41 pairs overlapping by IoU
	// 0.5 or more before the pale fill, 31 with it (184 without its
	// overlap test, detect/card.go).
	twice := 0
	for _, row := range rep.Rows {
		if row.Frame.Sticky {
			twice += Overlapping(row.Boxes, 0.5)
		}
	}
	t.Logf("sticky cards: %d pairs of detections overlapping by IoU 0.5 or more", twice)
	if twice > MaxCardOverlaps {
		t.Errorf("sticky cards: %d pairs of detections overlap by IoU 0.5 or more (one object boxed twice), floor %d", twice, MaxCardOverlaps)
	}
	for _, r := range seq {
		if r.Recounted > 0 {
			t.Errorf("%s: %d insects already on the previous frame counted again", r.Frame.Path, r.Recounted)
		}
	}
}

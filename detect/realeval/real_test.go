package realeval

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// realFramesDir finds ../shared/realframes beside the repository root (the
// folder holding go.mod), or $TRAPNET_REALFRAMES when set.
func realFramesDir(t *testing.T) string {
	if d := os.Getenv("TRAPNET_REALFRAMES"); d != "" {
		return d
	}
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "realframes")
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = up
	}
}

// TestRealFrames runs the agent's detector (DetectBoxes) on every annotated
// real frame, always logs the per-frame and per-trap numbers, and asserts
// IssueTargets when TRAPNET_REAL_TARGETS=1 (issue #11; the current
// detector misses them: switch the gate to always-on when the new one lands).
func TestRealFrames(t *testing.T) {
	dir := realFramesDir(t)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real frames not available (%v): they live in ../shared/realframes beside the repository, see its README", err)
	}
	if testing.Short() {
		t.Skip("real frames skipped in -short mode (decodes and detects about 30 frames)")
	}
	frames, problems, err := FindFrames(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("annotation: %v", p)
	}
	if len(frames) == 0 {
		t.Fatalf("%s: no FRAME.boxes.json with its image", dir)
	}
	rep := Evaluate(frames, DetectBoxes, nil)
	var md bytes.Buffer
	rep.WriteMarkdown(&md)
	t.Logf("real frames in %s, current detector:\n%s", dir, md.String())
	fails := rep.Check(IssueTargets)
	for _, f := range fails {
		t.Logf("target not met: %s", f)
	}
	if os.Getenv("TRAPNET_REAL_TARGETS") != "1" {
		t.Logf("%d targets not met; asserting them is off until the new detector lands (TRAPNET_REAL_TARGETS=1 turns it on)", len(fails))
		return
	}
	if len(fails) > 0 {
		t.Errorf("%d of issue #11's targets (IssueTargets) not met on real frames", len(fails))
	}
}

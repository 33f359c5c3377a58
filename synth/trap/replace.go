package trap

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/trapnet/trapnet/synth"
)

// Re-running Generate into a directory it wrote before would leave stale
// frames of a longer earlier run next to the new ones, so Generate refuses
// such a directory unless told to overwrite, and then removes only the
// frames and ground truth, and only when the ground truth shows that synth
// wrote them.

// frameFile matches the names Generate gives its frames.
var frameFile = regexp.MustCompile(`^frame_[0-9]{4,}\.jpg$`)

// framesToReplace lists the outputs of an earlier Generate in dir
// (frame_NNNN.jpg files and ground_truth.json). It is an error to find
// any without overwrite, or with overwrite when ground_truth.json is not
// synth's.
func framesToReplace(dir string, overwrite bool) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("synth frames: %w", err)
	}
	var old []string
	gt := false
	for _, e := range ents {
		if e.Name() == GroundTruthFile || frameFile.MatchString(e.Name()) && e.Type().IsRegular() {
			old = append(old, filepath.Join(dir, e.Name()))
			gt = gt || e.Name() == GroundTruthFile
		}
	}
	if len(old) == 0 {
		return nil, nil
	}
	what := fmt.Sprintf("%d frames", len(old))
	if gt {
		what = fmt.Sprintf("%d frames and %s", len(old)-1, GroundTruthFile)
	}
	if !overwrite {
		return nil, fmt.Errorf("synth frames: %s already holds %s from an earlier run; stale frames would remain next to the new ones: use another --out, or --force (trap.Options.Overwrite) to replace them", dir, what)
	}
	if !gt || !synth.WrittenBySynth(filepath.Join(dir, GroundTruthFile)) {
		return nil, fmt.Errorf("synth frames: %s holds %s but no synth %s, so they are not synth's output: not replacing them, even with --force; remove them or use another --out", dir, what, GroundTruthFile)
	}
	return old, nil
}

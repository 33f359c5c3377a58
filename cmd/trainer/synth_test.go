package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/synth"
	"github.com/trapnet/trapnet/synth/trap"
)

// runSynth runs `trainer synth args...` in-process, with every synth flag
// back at its default first (cobra keeps parsed values between Execute
// calls).
func runSynth(t *testing.T, args ...string) error {
	t.Helper()
	return runTrainer(t, append([]string{"synth"}, args...)...)
}

// tinySynth is a small, fast set: few images, small frames.
var tinySynth = []string{"--species", "4", "--images", "60", "--size", "24", "--imbalance", "2", "--workers", "2",
	"--frames", "2", "--frame-width", "256", "--frame-height", "192", "--frame-ppm", "8", "--frame-min", "2", "--frame-max", "4"}

func readTruth(t *testing.T, dir string) trap.GroundTruth {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, trap.FramesDir, trap.GroundTruthFile))
	if err != nil {
		t.Fatal(err)
	}
	var gt trap.GroundTruth
	if err := json.Unmarshal(b, &gt); err != nil {
		t.Fatal(err)
	}
	return gt
}

func TestSynthCommand(t *testing.T) {
	dir := t.TempDir()
	if err := runSynth(t, append([]string{"--out", dir}, tinySynth...)...); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{synth.MetadataFile, synth.InfoFile, "images/cropped_256",
		"frames/frame_0001.jpg", "frames/frame_0002.jpg", "frames/" + trap.GroundTruthFile} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("missing output: %v", err)
		}
	}
	gt := readTruth(t, dir)
	if gt.Mode != trap.ModeSession || len(gt.Frames) != 2 || gt.Width != 256 {
		t.Fatalf("ground truth: mode %q, %d frames, width %d", gt.Mode, len(gt.Frames), gt.Width)
	}
	if f := gt.Frames; f[1].Lat != f[0].Lat || len(f[1].Specimens) != len(f[0].Specimens)+f[1].New {
		t.Errorf("frames are not one accumulating session: %+v", f)
	}

	// A second run into the same directory is refused, and replaced with --force.
	err := runSynth(t, append([]string{"--out", dir}, tinySynth...)...)
	if err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("second run without --force: err = %v", err)
	}
	if err := runSynth(t, append([]string{"--out", dir, "--force", "--seed", "2"}, tinySynth...)...); err != nil {
		t.Fatal(err)
	}

	// Frames only, from the dataset's species: the region index refers to
	// its catalog; --frame-independent gives the old behaviour.
	info, _, err := synth.LoadInfo(filepath.Join(dir, synth.InfoFile))
	if err != nil {
		t.Fatal(err)
	}
	reg := info.Catalog.Regions[1]
	if err := runSynth(t, "--out", dir, "--force", "--frames", "3", "--frame-width", "128", "--frame-height", "96",
		"--frame-ppm", "6", "--frame-region", "1"); err != nil {
		t.Fatal(err)
	}
	gt = readTruth(t, dir)
	for _, f := range gt.Frames {
		if f.Country != reg.Country || f.Province != reg.Province {
			t.Errorf("%s at %s/%s, want region 1 %s/%s", f.File, f.Country, f.Province, reg.Country, reg.Province)
		}
	}
	if err := runSynth(t, "--out", dir, "--force", "--frames", "2", "--frame-width", "128", "--frame-height", "96",
		"--frame-ppm", "6", "--frame-independent"); err != nil {
		t.Fatal(err)
	}
	if gt = readTruth(t, dir); gt.Mode != trap.ModeIndependent || len(gt.Frames) != 2 {
		t.Errorf("--frame-independent: mode %q, %d frames", gt.Mode, len(gt.Frames))
	}
	if _, err := os.Stat(filepath.Join(dir, "frames/frame_0003.jpg")); err == nil {
		t.Error("stale frame_0003.jpg after --force with 2 frames")
	}
}

func TestSynthCommandErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--images", "10"}, "--out is required"},
		{[]string{"--out", "D", "--images", "0"}, "nothing to do"},
		{[]string{"--out", "D", "--species", "0"}, "--species must be >= 2"},
		{[]string{"--out", "D", "--frames", "2", "--species", "0"}, "--species must be >= 2"},
		{[]string{"--out", "D", "--images", "-3"}, "--images must be >= 0"},
		{[]string{"--out", "D", "--frames", "-1", "--images", "10"}, "--frames must be >= 0"},
		{[]string{"--out", "D", "--frames", "2", "--frame-min", "9", "--frame-max", "3"}, "--frame-min, --frame-max"},
		{[]string{"--out", "D", "--frames", "2", "--frame-new-min", "4", "--frame-new-max", "1"}, "--frame-new-min"},
		{[]string{"--out", "D", "--frames", "2", "--frame-region", "99"}, "--frame-region 99 is out of range"},
		{[]string{"--out", "D", "--frames", "2", "--frame-background", "grass"}, "background"},
		{[]string{"--out", "D", "--frames", "2", "--frame-width", "10"}, "frame size"},
		{[]string{"--out", "D", "--frames", "2", "--frame-independent", "--frame-new-max", "3"}, "--frame-independent"},
		{[]string{"--out", "D", "--frame-region", "1"}, "need --frames"},
		{[]string{"--out", "D", "--imbalance", "0.5"}, "--imbalance"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			dir := t.TempDir()
			args := append([]string{}, c.args...)
			for i := range args {
				if args[i] == "D" {
					args[i] = filepath.Join(dir, "out")
				}
			}
			err := runSynth(t, args...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
			// Flags are checked before anything is written.
			if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
				t.Errorf("%v wrote %s before failing", c.args, filepath.Join(dir, "out"))
			}
		})
	}
}

package realeval

import (
	"image"
	"path/filepath"
	"testing"

	"github.com/trapnet/trapnet/camera"
)

// Frames of a folder with "sequen" in its name are scored as a sequence,
// by folder (two folders of one name are two sequences) and in file-name
// order; other folders are not.
func TestEvaluateSequencesFolders(t *testing.T) {
	moth := Object{Box: [4]int{100, 100, 160, 150}, Kind: KindInsect}
	fly := Object{Box: [4]int{400, 400, 450, 440}, Kind: KindInsect}
	frame := func(path, trap string, objs ...Object) Row {
		f := Frame{Path: path, Trap: trap, Ann: Annotation{Width: 1000, Height: 800, Objects: objs}}
		var boxes []image.Rectangle
		for _, o := range objs {
			boxes = append(boxes, o.Rect())
		}
		return Row{Frame: f, Boxes: boxes}
	}
	rep := Report{Rows: []Row{
		frame("/d/a/Sequence-2/b.jpg", "Sequence-2", moth, fly),
		frame("/d/a/Sequence-2/a.jpg", "Sequence-2", moth),
		frame("/d/b/Sequence-2/a.jpg", "Sequence-2", fly),
		frame("/d/vermont/a.jpg", "vermont", moth),
	}}
	seq := EvaluateSequences(rep, NewAgentTracker)
	if len(seq) != 3 {
		t.Fatalf("%d sequence rows, want 3 (vermont is no sequence)", len(seq))
	}
	want := []struct {
		path           string
		truthNew, det  int
		recount, missd int
	}{
		{"/d/a/Sequence-2/a.jpg", 1, 1, 0, 0},
		{"/d/a/Sequence-2/b.jpg", 1, 1, 0, 0}, // the moth stays, the fly arrives
		{"/d/b/Sequence-2/a.jpg", 1, 1, 0, 0}, // another folder: a fresh tracker
	}
	for i, w := range want {
		s := seq[i]
		if s.Frame.Path != w.path || s.TruthNew != w.truthNew || s.DetNew != w.det || s.Recounted != w.recount || s.MissedArrivals != w.missd {
			t.Errorf("row %d: %s new %d/%d recounted %d missed %d; want %+v", i, s.Frame.Path, s.TruthNew, s.DetNew, s.Recounted, s.MissedArrivals, w)
		}
	}
}

// TestRealSheetsCountedAgain takes each light sheet twice: as taken, then
// as taken again with sensor noise, brighter or through a veil (realeval's
// noise, bright and haze), as a trap's camera takes the same insects a few
// seconds later; the agent's tracker must count none of them again (one
// allowed over the three). Before the tracker took a box lying within one
// it tracks (or holding ones it tracks) for a part of the same specimen
// (detect.Tracker.PartShare), 2, 5 and 5 were: a moth found whole on one
// take and in pieces on the other, each piece a new specimen.
func TestRealSheetsCountedAgain(t *testing.T) {
	sheets := realFramesWhere(t, "light-sheet", func(f Frame) bool { return !f.Sticky && !NotSheet[f.Trap] })
	var changes []Perturbation
	for _, p := range Perturbations {
		if p.Name == "noise" || p.Name == "bright" || p.Name == "haze" {
			changes = append(changes, p)
		}
	}
	if len(changes) != 3 {
		t.Fatalf("%d of the perturbations noise, bright and haze found", len(changes))
	}
	again := 0
	for _, f := range sheets {
		img, err := camera.DecodeFile(f.Path, 0)
		if err != nil {
			t.Fatal(err)
		}
		taken, err := DetectBoxes(f, img)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range changes {
			boxes, err := p.Detector()(f, img)
			if err != nil {
				t.Fatal(err)
			}
			if n := CountedAgain(f, taken, boxes, NewAgentTracker); n > 0 {
				t.Logf("%s, then %s: %d counted again", filepath.Base(f.Path), p.Name, n)
				again += n
			}
		}
	}
	if again > 1 {
		t.Errorf("%d specimens counted again over the %d sheets taken again three ways, want 1 at most", again, len(sheets))
	}
}

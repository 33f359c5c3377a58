package realeval

import (
	"image"
	"testing"
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

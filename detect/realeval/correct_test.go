package realeval

import (
	"image"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadCorrections(t *testing.T) {
	in := strings.Join([]string{
		"# comment",
		"a/f.jpg\tdrop\t1\t2\t3\t4\tinsect\tduplicate of another box",
		"a/f.jpg\tadd\t5\t6\t50\t60\tinsect\tleft out at 40 px",
		"a/f.jpg\tmove\t1\t2\t3\t4\tinsect\tx", // 4: bad action
		"a/f.jpg\tadd\t1\tb\t3\t4\tinsect\tx",  // 5: not an integer
		"a/f.jpg\tadd\t3\t2\t1\t4\tinsect\tx",  // 6: empty box
		"a/f.jpg\tadd\t1\t2\t3\t4\tbeetle\tx",  // 7: bad kind
		"a/f.jpg\tadd\t1\t2\t3\t4\tinsect\t",   // 8: no note
		"a/f.jpg\tadd\t1\t2\t3\t4",             // 9: too few fields
		"\tadd\t1\t2\t3\t4\tinsect\tx",         // 10: no frame
	}, "\n")
	rows, problems, err := ReadCorrections(strings.NewReader(in), "c.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Action != CorrectDrop || rows[1].Object.Box != [4]int{5, 6, 50, 60} || rows[1].Line != 3 || rows[1].File != "c.tsv" {
		t.Errorf("rows = %+v", rows)
	}
	want := []string{"c.tsv:4: action", "c.tsv:5: field 4 (y0)", "c.tsv:6: box", "c.tsv:7: kind", "c.tsv:8: no note", "c.tsv:9: 6 tab-separated", "c.tsv:10: empty frame"}
	if len(problems) != len(want) {
		t.Fatalf("problems = %v", problems)
	}
	for i, w := range want {
		if !strings.HasPrefix(problems[i].Error(), w) {
			t.Errorf("problem %d = %q, want prefix %q", i, problems[i], w)
		}
	}
}

func TestCorrectAndRescore(t *testing.T) {
	dir := filepath.Join("rf")
	ann := Annotation{Width: 200, Height: 200, Objects: []Object{
		{Box: [4]int{10, 10, 60, 60}, Kind: KindInsect},
		{Box: [4]int{12, 12, 58, 58}, Kind: KindInsect}, // the same insect again
		{Box: [4]int{100, 100, 150, 150}, Kind: KindNotInsect},
	}}
	frames := []Frame{{Path: filepath.Join(dir, "trap", "f.jpg"), Trap: "trap", Ann: ann}}
	cs := []Correction{
		{Frame: "trap/f.jpg", Action: CorrectDrop, Object: Object{Box: [4]int{12, 12, 58, 58}, Kind: KindInsect}, Line: 1},
		{Frame: "trap/f.jpg", Action: CorrectAdd, Object: Object{Box: [4]int{150, 10, 195, 40}, Kind: KindInsect, Note: "x"}, File: "c.tsv", Line: 2},
		{Frame: "trap/g.jpg", Action: CorrectAdd, Object: Object{Box: [4]int{1, 1, 2, 2}, Kind: KindInsect}, File: "c.tsv", Line: 3},
		{Frame: "trap/f.jpg", Action: CorrectDrop, Object: Object{Box: [4]int{1, 1, 2, 2}, Kind: KindInsect}, File: "c.tsv", Line: 4},
		{Frame: "trap/f.jpg", Action: CorrectAdd, Object: Object{Box: [4]int{190, 190, 250, 199}, Kind: KindInsect}, File: "c.tsv", Line: 5},
	}
	fixed, problems := Correct(dir, frames, cs)
	if len(problems) != 3 {
		t.Fatalf("problems = %v, want c.tsv lines 3, 4, 5", problems)
	}
	for i, w := range []string{"c.tsv:3: no annotated frame", "c.tsv:4: trap/f.jpg has no insect box", "c.tsv:5: box"} {
		if !strings.HasPrefix(problems[i].Error(), w) {
			t.Errorf("problem %d = %q, want prefix %q", i, problems[i], w)
		}
	}
	if len(frames[0].Ann.Objects) != 3 {
		t.Errorf("Correct changed its input: %v", frames[0].Ann.Objects)
	}
	if got := fixed[0].Ann.Insects(); len(got) != 2 || got[1] != image.Rect(150, 10, 195, 40) {
		t.Errorf("corrected insects = %v", got)
	}
	dets := []image.Rectangle{image.Rect(11, 11, 59, 59), image.Rect(150, 10, 196, 41)}
	rep := Report{Rows: []Row{{Frame: frames[0], Boxes: dets, Score: ScoreFrame(frames[0].Ann, dets, false)}}}
	before, after := rep.Rows[0].Score, rep.Rescored(fixed).Rows[0].Score
	// As given: 1 of 2 insects found (one detection per insect), the
	// second detection a false positive. Corrected: both found.
	if before.Found != 1 || before.Annotated != 2 || before.FalsePositives != 1 {
		t.Errorf("as given: %+v", before)
	}
	if after.Found != 2 || after.Annotated != 2 || after.FalsePositives != 0 {
		t.Errorf("corrected: %+v", after)
	}
	var md strings.Builder
	if err := rep.WriteCorrected(&md, rep.Rescored(fixed)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| trap | 2 -> 2 | 0.500 -> 1.000 | 0.500 -> 1.000 | 1 (0) -> 0 (0) |") {
		t.Errorf("WriteCorrected:\n%s", md.String())
	}
}

package realeval

import (
	"image"
	"strings"
	"testing"
)

func TestReadJudgedSkipsBadRows(t *testing.T) {
	in := "# comment\n" +
		"a.jpg\t0\t0\t50\t50\tinsect\tfly\n" +
		"a.jpg\t0\t0\t50\tfifty\tjunk\n" + // line 3: not an integer
		"a.jpg\t10\t10\t5\t50\tjunk\n" + // line 4: empty box
		"a.jpg\t0\t0\t50\t50\tbeetle\n" + // line 5: unknown label
		"a.jpg\t0\t0\t50\n" + // line 6: too few fields
		"\n" +
		"b.jpg\t100\t100\t160\t130\tjunk\tcard edge\twith a tab\n"
	rows, problems, err := ReadJudged(strings.NewReader(in), "x.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Label != JudgedInsect || rows[1].Note != "card edge with a tab" {
		t.Errorf("rows %+v", rows)
	}
	want := []string{"x.tsv:3: field 5 (y1)", "x.tsv:4: box", "x.tsv:5: label \"beetle\"", "x.tsv:6: 4 tab-separated fields"}
	if len(problems) != len(want) {
		t.Fatalf("problems %v, want %d", problems, len(want))
	}
	for i, p := range problems {
		if !strings.HasPrefix(p.Error(), want[i]) {
			t.Errorf("problem %d: %q, want prefix %q", i, p, want[i])
		}
	}
}

func TestJudge(t *testing.T) {
	judged := []Judged{
		{Frame: "c.jpg", Box: image.Rect(0, 0, 60, 60), Label: JudgedInsect},
		{Frame: "c.jpg", Box: image.Rect(100, 0, 200, 40), Label: JudgedJunk},
		{Frame: "c.jpg", Box: image.Rect(300, 300, 350, 350), Label: JudgedJunk},
		{Frame: "c.jpg", Box: image.Rect(400, 400, 450, 450), Label: JudgedUnsure},
		{Frame: "other.jpg", Box: image.Rect(0, 0, 60, 60), Label: JudgedInsect}, // not in the report
	}
	rep := Report{Rows: []Row{{
		Frame: Frame{Path: "/x/sticky/c.jpg", Sticky: true},
		Boxes: []image.Rectangle{
			image.Rect(2, 2, 62, 58),       // the insect
			image.Rect(0, 0, 58, 60),       // a second box on it: nothing left to pair
			image.Rect(100, 0, 200, 40),    // the first junk
			image.Rect(600, 600, 700, 700), // new
			image.Rect(410, 410, 440, 440), // under 40 px, on the unsure box: found
			image.Rect(900, 900, 920, 920), // under 40 px, on nothing: not counted
		},
	}}}
	s := rep.Judge(judged)
	if s.Judged[JudgedInsect] != 1 || s.Judged[JudgedJunk] != 2 || s.Judged[JudgedUnsure] != 1 {
		t.Errorf("judged %v", s.Judged)
	}
	if s.Kept[JudgedInsect] != 1 || s.Kept[JudgedJunk] != 1 || s.Kept[JudgedUnsure] != 1 || s.Unjudged != 2 {
		t.Errorf("kept %v, unjudged %d", s.Kept, s.Unjudged)
	}
	if p := s.Precision(); p != 0.5 {
		t.Errorf("precision %v, want 0.5", p)
	}
}

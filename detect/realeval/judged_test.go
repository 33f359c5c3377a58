package realeval

import (
	"image"
	"math"
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
			image.Rect(318, 318, 334, 334), // under 40 px at the second junk box's centre: still junk reported
			image.Rect(900, 900, 920, 920), // under 40 px, on nothing: not counted
		},
	}}}
	s := rep.Judge(judged)
	if s.Judged[JudgedInsect] != 1 || s.Judged[JudgedJunk] != 2 || s.Judged[JudgedUnsure] != 1 {
		t.Errorf("judged %v", s.Judged)
	}
	if s.Kept[JudgedInsect] != 1 || s.Kept[JudgedJunk] != 2 || s.Kept[JudgedUnsure] != 1 || s.Unjudged != 2 {
		t.Errorf("kept %v, unjudged %d", s.Kept, s.Unjudged)
	}
	if s.KeptSmall[JudgedInsect] != 0 || s.KeptSmall[JudgedJunk] != 1 || s.KeptSmall[JudgedUnsure] != 1 {
		t.Errorf("kept by detections under %d px %v", MinSidePx, s.KeptSmall)
	}
	if p := s.Precision(); math.Abs(p-1.0/3) > 1e-12 {
		t.Errorf("precision %v, want 1/3", p)
	}
}

// A card no judged row names (another photo: the held-back cards, a
// user's own) is not a precision of 1: its larger detections are counted
// as not judged, listed for judging, and the target says "not measured".
func TestJudgeCardsWithoutRows(t *testing.T) {
	judged := []Judged{{Frame: "c.jpg", Box: image.Rect(0, 0, 60, 60), Label: JudgedInsect}}
	newCard := Row{
		Frame: Frame{Path: "/x/sticky/new.jpg", Sticky: true},
		Boxes: []image.Rectangle{image.Rect(10, 10, 70, 40), image.Rect(100, 100, 110, 110), image.Rect(200, 200, 240, 230)},
	}
	sheet := Row{Frame: Frame{Path: "/x/vermont/s.jpg"}, Boxes: []image.Rectangle{image.Rect(0, 0, 90, 90)}}
	judgedCard := Row{Frame: Frame{Path: "/x/sticky/c.jpg", Sticky: true}, Boxes: []image.Rectangle{image.Rect(1, 1, 61, 61), image.Rect(300, 300, 350, 340)}}

	s := Report{Rows: []Row{newCard, sheet}}.Judge(judged)
	if s.Cards != 1 || s.CardsUnjudged != 1 || s.Unjudged != 2 {
		t.Errorf("cards %d, without rows %d, unjudged %d; want 1, 1, 2", s.Cards, s.CardsUnjudged, s.Unjudged)
	}
	fails := s.Check(IssueJudged)
	if len(fails) != 1 || !strings.Contains(fails[0], "not measured") {
		t.Errorf("Check %q, want one line saying not measured", fails)
	}
	if str := s.String(); !strings.Contains(str, "precision not measured") || strings.Contains(str, "1.000") {
		t.Errorf("String %q", str)
	}
	if fails := (Report{Rows: []Row{sheet}}).Judge(judged).Check(IssueJudged); len(fails) != 0 {
		t.Errorf("no card at all: Check %q, want nothing", fails)
	}

	both := Report{Rows: []Row{judgedCard, newCard}}
	s = both.Judge(judged)
	if s.Kept[JudgedInsect] != 1 || s.Unjudged != 3 || s.CardsUnjudged != 1 || !strings.Contains(s.String(), "1 of the 2 cards have no judged row") {
		t.Errorf("judged and new cards: %+v, %q", s, s)
	}

	// The rows to judge, written, labelled by a person, read back.
	rows := both.ToJudge(judged)
	want := []Judged{
		{Frame: "c.jpg", Box: image.Rect(300, 300, 350, 340)},
		{Frame: "new.jpg", Box: image.Rect(10, 10, 70, 40)},
		{Frame: "new.jpg", Box: image.Rect(200, 200, 240, 230)},
	}
	if len(rows) != len(want) {
		t.Fatalf("ToJudge %v, want %v", rows, want)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("ToJudge row %d %v, want %v", i, rows[i], want[i])
		}
	}
	var b strings.Builder
	if err := WriteToJudge(&b, rows); err != nil {
		t.Fatal(err)
	}
	got, problems, err := ReadJudged(strings.NewReader(b.String()), "todo.tsv")
	if err != nil || len(got) != 0 || len(problems) != 3 {
		t.Errorf("unlabelled: %d rows, problems %v, err %v; want 0 rows and 3 problems", len(got), problems, err)
	}
	labelled := strings.Replace(strings.Replace(b.String(), "\t?\t", "\tjunk\t", 1), "\t?\t", "\tinsect\tfly", 1)
	got, problems, _ = ReadJudged(strings.NewReader(labelled), "todo.tsv")
	if len(got) != 2 || got[0].Label != JudgedJunk || got[1].Note != "fly" || len(problems) != 1 {
		t.Errorf("labelled: rows %+v, problems %v", got, problems)
	}
	s = both.Judge(append(judged, got...))
	if s.Unjudged != 1 || s.Kept[JudgedJunk] != 1 || s.Kept[JudgedInsect] != 2 {
		t.Errorf("with the new rows: %+v", s)
	}
}

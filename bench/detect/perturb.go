package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/trapnet/trapnet/detect/realeval"
)

// runPerturb scores the detector on the annotated real frames under dir as
// taken and under each perturbation named in names (comma-separated, or
// "all": realeval.Perturbations), one Markdown row each: the light sheets'
// recall, precision, not_insect hits and worst trap, the cards' whitefly
// recall and the judged larger detections still reported.
func runPerturb(dir, names string) error {
	frames, err := findFrames(dir)
	if err != nil {
		return err
	}
	var chosen []realeval.Perturbation
	known := map[string]realeval.Perturbation{}
	var all []string
	for _, p := range realeval.Perturbations {
		known[p.Name], all = p, append(all, p.Name)
	}
	for _, n := range strings.Split(names, ",") {
		switch p, ok := known[strings.TrimSpace(n)]; {
		case strings.TrimSpace(n) == "all":
			chosen = realeval.Perturbations
		case ok:
			chosen = append(chosen, p)
		default:
			return fmt.Errorf("-perturb: no perturbation %q (known: all, %s)", n, strings.Join(all, ", "))
		}
	}
	judged, problems, err := realeval.LoadJudged(judgedFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "judged boxes not read:", err)
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "skipped:", p)
	}
	fmt.Printf("Real frames in %s under perturbations (realeval.Perturbations; detect.Detect, DefaultOptions at the frame's scale times the change's; boxes mapped back):\n\n", dir)
	fmt.Println("| change | what | sheets recall | precision | not_insect hits | worst trap (recall / precision) | whitefly recall (centred) | judged insects / junk still reported |")
	fmt.Println("|---|---|--:|--:|--:|---|--:|--:|")
	row := func(name, doc string, det realeval.Detector) {
		rep := realeval.Evaluate(frames, det, nil)
		cells := []string{name, doc, "-", "-", "-", "-", "-", "-"}
		worst, worstR := "", 2.0
		for _, g := range rep.Groups() {
			s := g.Score
			switch {
			case g.Name == realeval.TotalSheet && s.Frames > 0:
				cells[2], cells[3], cells[4] = fmt.Sprintf("%.3f", s.Recall()), fmt.Sprintf("%.3f", s.Precision()), fmt.Sprint(s.NotInsectHits)
			case g.Name == realeval.TotalSticky:
				cells[6] = fmt.Sprintf("%.3f (%.3f)", s.Recall(), s.CentredRecall())
			case g.Name == realeval.TotalAll || realeval.NotSheet[g.Name] || s.Annotated == 0 || g.Name == realeval.StickyFolder:
			case min(s.Recall(), s.Precision()) < worstR:
				worstR, worst = min(s.Recall(), s.Precision()), fmt.Sprintf("%s %.2f / %.2f", g.Name, s.Recall(), s.Precision())
			}
		}
		cells[5] = worst
		if judged != nil {
			js := rep.Judge(judged)
			cells[7] = fmt.Sprintf("%d of %d / %d of %d", js.Kept[realeval.JudgedInsect], js.Judged[realeval.JudgedInsect], js.Kept[realeval.JudgedJunk], js.Judged[realeval.JudgedJunk])
		}
		fmt.Println("| " + strings.Join(cells, " | ") + " |")
	}
	row("as taken", "", realeval.DetectBoxes)
	for _, p := range chosen {
		row(p.Name, p.Doc, p.Detector())
	}
	return nil
}

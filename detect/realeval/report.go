package realeval

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"time"
)

// Report is the outcome of Evaluate, one Row per frame.
type Report struct {
	Rows []Row
}

// Group is a summary over some of a report's frames.
type Group struct {
	// Name is the trap folder, or a total's name.
	Name string
	// Score sums the frames' scores.
	Score Score
	// MaxCountError is the largest per-frame CountError.
	MaxCountError float64
	// Failed counts frames that could not be scored.
	Failed int
	// Latencies are the scored frames' decode + detect + classify times,
	// and Detects their detect times (both sorted).
	Latencies, Detects []time.Duration
}

func (g *Group) add(r Row) {
	if r.Err != nil {
		g.Failed++
		return
	}
	g.Score.Add(r.Score)
	g.MaxCountError = max(g.MaxCountError, r.Score.CountError())
	g.Latencies = insertSorted(g.Latencies, r.Latency())
	g.Detects = insertSorted(g.Detects, r.Detect)
}

func insertSorted(s []time.Duration, d time.Duration) []time.Duration {
	i := sort.Search(len(s), func(i int) bool { return s[i] > d })
	s = append(s, 0)
	copy(s[i+1:], s[i:])
	s[i] = d
	return s
}

// Quantile returns the q-quantile (0..1, nearest rank) of sorted durations,
// 0 for none.
func Quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// Names of the totals returned by Groups.
const (
	TotalSheet  = "light sheets"
	TotalSticky = "sticky (whiteflies)"
	TotalAll    = "all frames"
)

// Groups returns one Group per trap folder (sorted by name), then the
// totals TotalSheet (every light-sheet frame: scored by the 40 px rules,
// NotSheet folders left out), TotalSticky
// (when there are sticky frames) and TotalAll (for latency; its Score mixes
// both kinds of frame).
func (r Report) Groups() []Group {
	byTrap := map[string]*Group{}
	sheet, sticky, all := &Group{Name: TotalSheet}, &Group{Name: TotalSticky}, &Group{Name: TotalAll}
	var names []string
	for _, row := range r.Rows {
		g := byTrap[row.Frame.Trap]
		if g == nil {
			g = &Group{Name: row.Frame.Trap}
			byTrap[row.Frame.Trap] = g
			names = append(names, row.Frame.Trap)
		}
		g.add(row)
		switch {
		case row.Frame.Sticky:
			sticky.add(row)
		case !NotSheet[row.Frame.Trap]:
			sheet.add(row)
		}
		all.add(row)
	}
	sort.Strings(names)
	var out []Group
	for _, n := range names {
		out = append(out, *byTrap[n])
	}
	out = append(out, *sheet)
	if sticky.Score.Frames+sticky.Failed > 0 {
		out = append(out, *sticky)
	}
	return append(out, *all)
}

// WriteMarkdown writes the per-frame and per-trap tables (GitHub Markdown,
// for bench/REPORT.md). Sticky frames show "-" for precision and count
// error (not measured) and their unmatched detections under "other".
func (r Report) WriteMarkdown(w io.Writer) error {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("| trap | frame | insects | found | recall | counted | FP | not_insect | ignored <40px | other >=40/<40 | precision | count err | decode ms | detect ms | classify ms |\n")
	p("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, row := range r.Rows {
		name := filepath.Base(row.Frame.Path)
		if row.Err != nil {
			p("| %s | %s | error: %v |||||||||||||\n", row.Frame.Trap, name, row.Err)
			continue
		}
		s := row.Score
		p("| %s | %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %.0f | %.0f |\n", row.Frame.Trap, name,
			s.Annotated, s.Found, recallText(s), sheetInt(s, s.Counted()), sheetInt(s, s.FalsePositives), sheetInt(s, s.NotInsectHits),
			sheetInt(s, s.Ignored), others(s), sheetRatio(s, s.Precision()), sheetRatio(s, s.CountError()),
			ms(row.Decode), ms(row.Detect), ms(row.Classify))
	}
	p("\n| trap | frames | insects | found | recall | precision | FP (not_insect) | max count err | other >=40/<40 | detect ms p50 / p99 | frame ms p50 / p99 |\n")
	p("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, g := range r.Groups() {
		s := g.Score
		frames := fmt.Sprint(s.Frames)
		if g.Failed > 0 {
			frames += fmt.Sprintf(" (+%d failed)", g.Failed)
		}
		mixed := g.Name == TotalAll
		prec, fp, cerr := "-", "-", "-"
		if !s.Sticky && !mixed {
			prec, fp, cerr = fmt.Sprintf("%.3f", s.Precision()), fmt.Sprintf("%d (%d)", s.FalsePositives, s.NotInsectHits), fmt.Sprintf("%.2f", g.MaxCountError)
		}
		recall := recallText(s)
		if mixed {
			recall = "-"
		}
		p("| %s | %s | %d | %d | %s | %s | %s | %s | %s | %.0f / %.0f | %.0f / %.0f |\n", g.Name, frames, s.Annotated, s.Found, recall, prec, fp, cerr, others(s),
			ms(Quantile(g.Detects, 0.5)), ms(Quantile(g.Detects, 0.99)), ms(Quantile(g.Latencies, 0.5)), ms(Quantile(g.Latencies, 0.99)))
	}
	return nil
}

// recallText is s's recall, on sticky frames with the centred recall and
// the annotated boxes' side over the detections' (Score.MedianSideRatio):
// where the boxes are drawn looser, the README's rule finds fewer of the
// whiteflies a detection is centred on.
func recallText(s Score) string {
	if !s.Sticky {
		return fmt.Sprintf("%.3f", s.Recall())
	}
	return fmt.Sprintf("%.3f (centred %.3f; box/detection side %.1f)", s.Recall(), s.CentredRecall(), s.MedianSideRatio())
}

func sheetInt(s Score, v int) string {
	if s.Sticky {
		return "-"
	}
	return fmt.Sprint(v)
}

func sheetRatio(s Score, v float64) string {
	if s.Sticky {
		return "-"
	}
	return fmt.Sprintf("%.3f", v)
}

func others(s Score) string {
	if s.OtherLarge+s.OtherSmall == 0 {
		return "-"
	}
	return fmt.Sprintf("%d / %d", s.OtherLarge, s.OtherSmall)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

package web

import (
	"fmt"
	"html/template"
	"sort"
	"strings"
	"time"

	"github.com/trapnet/trapnet/hub"
)

// chart is the flight curve of one trap: specimens per night for its most
// counted labels, drawn as an SVG rendered on the server.
type chart struct {
	Nights []string
	Series []series
	Max    int
}

// series is one label's counts, aligned with chart.Nights.
type series struct {
	Label, Color string
	Counts       []int
	Total        int
}

// palette is colour-blind-safe (Okabe-Ito).
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}

// buildChart keeps the top labels by total count; the nights run without
// gaps from the first to the last (a night without captures counts 0).
func buildChart(counts []hub.NightCount, top int) chart {
	var c chart
	if len(counts) == 0 {
		return c
	}
	first, last := counts[0].Night, counts[0].Night
	totals := map[string]int{}
	for _, n := range counts {
		first, last = min(first, n.Night), max(last, n.Night)
		totals[n.Label] += n.N
	}
	t0, err0 := time.Parse("2006-01-02", first)
	t1, err1 := time.Parse("2006-01-02", last)
	if err0 != nil || err1 != nil {
		return c
	}
	idx := map[string]int{}
	for t := t0; !t.After(t1) && len(c.Nights) < 3660; t = t.AddDate(0, 0, 1) {
		idx[t.Format("2006-01-02")] = len(c.Nights)
		c.Nights = append(c.Nights, t.Format("2006-01-02"))
	}
	labels := make([]string, 0, len(totals))
	for l := range totals {
		labels = append(labels, l)
	}
	sort.Slice(labels, func(i, j int) bool {
		if totals[labels[i]] != totals[labels[j]] {
			return totals[labels[i]] > totals[labels[j]]
		}
		return labels[i] < labels[j]
	})
	pos := map[string]int{}
	for i, l := range labels[:min(top, len(labels))] {
		pos[l] = i
		c.Series = append(c.Series, series{Label: l, Color: palette[i%len(palette)], Counts: make([]int, len(c.Nights)), Total: totals[l]})
	}
	for _, n := range counts {
		if i, ok := pos[n.Label]; ok {
			if j, ok := idx[n.Night]; ok {
				c.Series[i].Counts[j] = n.N
				c.Max = max(c.Max, n.N)
			}
		}
	}
	return c
}

// svg draws the chart: one polyline (and dots) per label, nights along x.
func (c chart) svg() template.HTML {
	if len(c.Nights) == 0 {
		return ""
	}
	const w, h, left, bottom, top, right = 900, 320, 50, 40, 10, 30
	pw, ph := float64(w-left-right), float64(h-top-bottom)
	ymax := niceMax(c.Max)
	x := func(i int) float64 {
		if len(c.Nights) == 1 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(len(c.Nights)-1)
	}
	y := func(v int) float64 { return top + ph - ph*float64(v)/float64(ymax) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="flight-curve" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="specimens per night">`, w, h)
	for k := 0; k <= 4; k++ { // horizontal grid and y labels
		v := ymax * k / 4
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" font-size="11" text-anchor="end">%d</text>`,
			left, w-right, y(v), y(v), left-6, y(v)+4, v)
	}
	step := max(1, len(c.Nights)/10)
	for i := 0; i < len(c.Nights); i += step {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11" text-anchor="middle">%s</text>`, x(i), h-bottom+16, c.Nights[i][5:])
	}
	for _, s := range c.Series {
		pts := make([]string, len(s.Counts))
		for i, v := range s.Counts {
			pts[i] = fmt.Sprintf("%.1f,%.1f", x(i), y(v))
		}
		fmt.Fprintf(&b, `<g class="series" data-label="%s"><title>%s</title><polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`,
			template.HTMLEscapeString(s.Label), template.HTMLEscapeString(s.Label), s.Color, strings.Join(pts, " "))
		for i, v := range s.Counts {
			if v > 0 {
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s %s: %d</title></circle>`,
					x(i), y(v), s.Color, c.Nights[i], template.HTMLEscapeString(s.Label), v)
			}
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// niceMax is the y axis' top: four grid steps of 1, 2 or 5 times a power
// of ten, covering m.
func niceMax(m int) int {
	need := max(1, (m+3)/4)
	for p := 1; ; p *= 10 {
		for _, k := range []int{1, 2, 5} {
			if k*p >= need {
				return 4 * k * p
			}
		}
	}
}

package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/trapnet/trapnet/hub"
)

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	"ago": func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		d := time.Since(t).Round(time.Second)
		switch {
		case d < 2*time.Minute:
			return fmt.Sprintf("%ds ago", int(d.Seconds()))
		case d < 2*time.Hour:
			return fmt.Sprintf("%dm ago", int(d.Minutes()))
		case d < 48*time.Hour:
			return fmt.Sprintf("%dh ago", int(d.Hours()))
		}
		return t.UTC().Format("2006-01-02")
	},
	"utc":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") },
	"pct":   func(x float64) string { return fmt.Sprintf("%.0f %%", 100*x) },
	"gib":   func(b uint64) string { return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30)) },
	"coord": func(p *float64) string { return fmtCoord(p) },
	"join":  strings.Join,
}

func fmtCoord(p *float64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatFloat(*p, 'f', 5, 64)
}

// overview: traps with health, the alert feed and the location list.
func (s *Server) overview(w http.ResponseWriter, r *http.Request, sess session) {
	traps, err := s.store.Traps(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	alerts, err := s.store.Alerts(r.Context(), 50)
	if err != nil {
		s.fail(w, err)
		return
	}
	s.render(w, "overview", map[string]any{"S": sess, "Traps": traps, "Alerts": alerts})
}

// counts: per-species counts per night of one trap as a chart and a table.
func (s *Server) counts(w http.ResponseWriter, r *http.Request, sess session) {
	traps, err := s.store.Traps(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	trap := r.URL.Query().Get("trap")
	if trap == "" && len(traps) > 0 {
		trap = traps[0].ID
	}
	counts, err := s.store.NightCounts(r.Context(), trap)
	if err != nil {
		s.fail(w, err)
		return
	}
	c := buildChart(counts, 8)
	s.render(w, "counts", map[string]any{"S": sess, "Traps": traps, "Trap": trap, "Chart": c, "SVG": c.svg()})
}

// filterFrom reads a detections filter from the query.
func filterFrom(q url.Values, defLimit int) hub.Filter {
	f := hub.Filter{Trap: q.Get("trap"), Label: q.Get("label"), From: q.Get("from"), To: q.Get("to"),
		Uncertain: q.Get("uncertain"), Reviewed: q.Get("reviewed"), HasCrop: q.Get("crops") == "yes", Limit: defLimit}
	if v, err := strconv.ParseFloat(q.Get("max_score"), 64); err == nil && v > 0 && v <= 1 {
		f.MaxScore = v
	}
	if v, err := strconv.Atoi(q.Get("limit")); err == nil && v > 0 {
		f.Limit = min(v, 10000)
	}
	if v, err := strconv.Atoi(q.Get("page")); err == nil && v > 1 {
		f.Offset = (v - 1) * f.Limit
	}
	return f
}

// pager describes the page links of a filtered list.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string
}

func newPager(q url.Values, f hub.Filter, total int) pager {
	p := pager{Page: f.Offset/f.Limit + 1, Pages: (total + f.Limit - 1) / f.Limit, Total: total}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return "?" + v.Encode()
	}
	if p.Page > 1 {
		p.Prev = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.Next = link(p.Page + 1)
	}
	return p
}

// detections: the filtered, paginated table.
func (s *Server) detections(w http.ResponseWriter, r *http.Request, sess session) {
	q := r.URL.Query()
	f := filterFrom(q, 100)
	rows, total, err := s.store.Detections(r.Context(), f)
	if err != nil {
		s.fail(w, err)
		return
	}
	s.render(w, "detections", map[string]any{"S": sess, "Table": detectionRows(rows), "F": f,
		"Pager": newPager(q, f, total), "Query": q.Encode()})
}

// crop serves a detection's crop JPEG.
func (s *Server) crop(w http.ResponseWriter, r *http.Request, _ session) {
	b, err := s.store.Crop(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, err)
		return
	}
	if b == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Write(b)
}

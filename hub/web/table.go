package web

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/trapnet/trapnet/hub"
)

// detectionRows renders the detections table's rows directly (escaping
// every value): a page of 10,000 rows must render in well under 200 ms,
// which html/template's reflection does not allow.
func detectionRows(rows []hub.DetRow) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 220)
	esc := template.HTMLEscapeString
	for _, r := range rows {
		if r.Uncertain {
			b.WriteString(`<tr class="uncertain"><td>`)
		} else {
			b.WriteString(`<tr><td>`)
		}
		b.WriteString(r.CaptureTime.UTC().Format("2006-01-02 15:04:05"))
		b.WriteString("</td><td>")
		if r.HasCrop {
			b.WriteString(`<a href="/crop/` + esc(url.PathEscape(r.ID)) + `">crop</a>`)
		}
		for _, v := range []string{esc(r.Night), esc(r.Trap), esc(r.Label), strconv.FormatFloat(r.Score, 'f', 2, 64),
			esc(r.ReviewLabel), esc(r.ModelVersion), esc(r.FrameID)} {
			b.WriteString("</td><td>")
			b.WriteString(v)
		}
		b.WriteString("</td></tr>\n")
	}
	return template.HTML(b.String())
}

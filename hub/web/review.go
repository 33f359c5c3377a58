package web

import (
	"net/http"
	"net/url"
	"strconv"
)

// reviewPage: crops to review (by default the unreviewed uncertain ones),
// with the labels known so far for the correction field.
func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, sess session) {
	q := r.URL.Query()
	if !q.Has("reviewed") {
		q.Set("reviewed", "no")
	}
	if !q.Has("uncertain") && !q.Has("max_score") {
		q.Set("uncertain", "yes")
	}
	q.Set("crops", "yes")
	f := filterFrom(q, 48)
	rows, total, err := s.store.Detections(r.Context(), f)
	if err != nil {
		s.fail(w, err)
		return
	}
	labels, err := s.store.Labels(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	s.render(w, "review", map[string]any{"S": sess, "Rows": rows, "F": f, "Pager": newPager(q, f, total),
		"Labels": labels, "Done": r.URL.Query().Get("done"), "Query": q.Encode()})
}

// review applies a bulk review: "confirm" sets each selected detection's
// reviewed label to the model's label, "set" to the label typed.
func (s *Server) review(w http.ResponseWriter, r *http.Request, sess session) {
	ids := r.PostForm["id"]
	if len(ids) == 0 {
		http.Error(w, "no detection selected", http.StatusBadRequest)
		return
	}
	n := 0
	switch r.PostFormValue("action") {
	case "confirm":
		k, err := s.store.Confirm(r.Context(), ids, sess.User)
		if err != nil {
			s.fail(w, err)
			return
		}
		n = k
	case "set":
		k, err := s.store.Review(r.Context(), ids, r.PostFormValue("label"), sess.User)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		n = k
	default:
		http.Error(w, "action must be confirm or set", http.StatusBadRequest)
		return
	}
	back, _ := url.ParseQuery(r.PostFormValue("query"))
	back.Set("done", strconv.Itoa(n))
	back.Del("page")
	http.Redirect(w, r, "/review?"+back.Encode(), http.StatusSeeOther)
}

package web

import (
	"fmt"
	"net/http"
	"time"
)

// attach names the download.
func attach(w http.ResponseWriter, ctype, name string) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
}

func stamp() string { return time.Now().UTC().Format("20060102T1504Z") }

// exportCSV: the detections the query's filter selects, as CSV.
func (s *Server) exportCSV(w http.ResponseWriter, r *http.Request, _ session) {
	f := filterFrom(r.URL.Query(), 0)
	attach(w, "text/csv; charset=utf-8", "trapnet-detections-"+stamp()+".csv")
	if err := s.store.WriteCSV(r.Context(), w, f); err != nil {
		s.log.Error("hub web: CSV export", "err", err) // the header is sent: only log
	}
}

// exportDwCA: the Darwin Core Archive of every trap-night.
func (s *Server) exportDwCA(w http.ResponseWriter, r *http.Request, _ session) {
	attach(w, "application/zip", "trapnet-dwca-"+stamp()+".zip")
	if err := s.store.WriteDwCA(r.Context(), w, s.info); err != nil {
		s.log.Error("hub web: DwC-A export", "err", err)
	}
}

// exportReviewed: the reviewed crops as a training dataset.
func (s *Server) exportReviewed(w http.ResponseWriter, r *http.Request, _ session) {
	attach(w, "application/zip", "trapnet-reviewed-"+stamp()+".zip")
	if _, err := s.store.WriteReviewed(r.Context(), w); err != nil {
		s.log.Error("hub web: reviewed export", "err", err)
	}
}

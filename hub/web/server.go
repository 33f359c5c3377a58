// Package web serves the hub's page: login, traps and their health, the
// alert feed, counts per species per night (flight curves), the detections
// table, the review of crops, the location list and the exports. Plain
// server-rendered HTML; the only script is the review view's keyboard
// helper, embedded.
package web

import (
	"embed"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/trapnet/trapnet/hub"
)

//go:embed templates/*.html static/*
var assets embed.FS

// Server is the hub's web page.
type Server struct {
	store *hub.Store
	users Users
	sess  *sessions
	lim   *limiter
	pages map[string]*template.Template
	mux   *http.ServeMux
	info  hub.DatasetInfo
	log   *slog.Logger
}

// Options configure a Server.
type Options struct {
	Store *hub.Store
	Users Users
	// Dataset describes the records in the Darwin Core Archive.
	Dataset hub.DatasetInfo
	// Registry receives the page's metrics (nil: none); /metrics serves it.
	Registry *prometheus.Registry
	// SessionTTL is how long a login lasts (default 12 h).
	SessionTTL time.Duration
	Logger     *slog.Logger
}

// New returns the page's server.
func New(o Options) (*Server, error) {
	if o.SessionTTL <= 0 {
		o.SessionTTL = 12 * time.Hour
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	s := &Server{store: o.Store, users: o.Users, sess: &sessions{m: map[string]session{}, ttl: o.SessionTTL}, lim: &limiter{fails: map[string][]time.Time{}},
		pages: map[string]*template.Template{}, mux: http.NewServeMux(), info: o.Dataset, log: o.Logger}
	for _, p := range []string{"login", "overview", "counts", "detections", "review"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/"+p+".html")
		if err != nil {
			return nil, err
		}
		s.pages[p] = t
	}
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("POST /login", s.login)
	s.mux.HandleFunc("POST /logout", s.auth(s.logout))
	s.mux.HandleFunc("GET /{$}", s.auth(s.overview))
	s.mux.HandleFunc("GET /counts", s.auth(s.counts))
	s.mux.HandleFunc("GET /detections", s.auth(s.detections))
	s.mux.HandleFunc("GET /review", s.auth(s.reviewPage))
	s.mux.HandleFunc("POST /review", s.auth(s.review))
	s.mux.HandleFunc("GET /crop/{id}", s.auth(s.crop))
	s.mux.HandleFunc("GET /export/detections.csv", s.auth(s.exportCSV))
	s.mux.HandleFunc("GET /export/dwca.zip", s.auth(s.exportDwCA))
	s.mux.HandleFunc("GET /export/reviewed.zip", s.auth(s.exportReviewed))
	s.mux.Handle("GET /static/", http.FileServerFS(assets))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	if o.Registry != nil {
		s.mux.Handle("GET /metrics", promhttp.HandlerFor(o.Registry, promhttp.HandlerOpts{}))
	}
	return s, nil
}

// ServeHTTP serves the page with security headers.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	s.mux.ServeHTTP(w, r)
}

// ctxUser carries the logged-in session into handlers.
type authed func(w http.ResponseWriter, r *http.Request, sess session)

// auth lets logged-in users through (redirecting others to /login) and
// checks the CSRF token of every POST.
func (s *Server) auth(next authed) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, ok := s.sess.get(r)
		if !ok {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+template.URLQueryEscaper(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Error(w, "not logged in", http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost && !validCSRF(r, sess) {
			http.Error(w, "bad or missing CSRF token: reload the page", http.StatusForbidden)
			return
		}
		next(w, r, sess)
	}
}

// render executes page with data, logging failures.
func (s *Server) render(w http.ResponseWriter, page string, data map[string]any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.pages[page].Execute(w, data); err != nil {
		s.log.Error("hub web: render", "page", page, "err", err)
	}
}

// fail answers a server-side error.
func (s *Server) fail(w http.ResponseWriter, err error) {
	s.log.Error("hub web", "err", err)
	http.Error(w, "internal error: "+err.Error(), http.StatusInternalServerError)
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, "login", map[string]any{"Next": safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	// Login CSRF: a cross-site form post carries another Origin.
	if o := r.Header.Get("Origin"); o != "" && o != "null" && !strings.HasSuffix(o, "://"+r.Host) {
		http.Error(w, "cross-origin login refused", http.StatusForbidden)
		return
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.lim.allowed(host) {
		http.Error(w, "too many failed logins from this address: wait 10 minutes", http.StatusTooManyRequests)
		return
	}
	name, pw := r.PostFormValue("user"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	if !s.users.check(name, pw) {
		s.lim.failed(host)
		s.log.Warn("hub web: failed login", "user", name, "remote", r.RemoteAddr)
		w.WriteHeader(http.StatusUnauthorized)
		s.render(w, "login", map[string]any{"Next": next, "Error": "wrong user or password"})
		return
	}
	s.sess.create(w, r, name)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, _ session) {
	s.sess.end(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps only local paths as a redirect target.
func safeNext(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.Contains(p, "\\") {
		return "/"
	}
	return p
}

package web

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Users are the page's accounts: name -> bcrypt hash.
type Users map[string][]byte

// LoadUsers reads a users file: one "name:bcrypt-hash" a line; blank lines
// and lines starting with # are skipped. Errors name the file and line.
func LoadUsers(path string) (Users, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("users_file: %w", err)
	}
	defer f.Close()
	u := Users{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		name, hash, ok := strings.Cut(s, ":")
		if !ok || name == "" {
			return nil, fmt.Errorf("%s:%d: want name:bcrypt-hash", path, line)
		}
		if _, err := bcrypt.Cost([]byte(hash)); err != nil {
			return nil, fmt.Errorf("%s:%d: user %s: not a bcrypt hash (use `hub passwd`)", path, line, name)
		}
		u[name] = []byte(hash)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(u) == 0 {
		return nil, fmt.Errorf("%s: no users (add one with `hub passwd`)", path)
	}
	return u, nil
}

// HashPassword returns the users-file line for name and password.
func HashPassword(name, password string) (string, error) {
	if name == "" || strings.ContainsAny(name, ": \t\n") {
		return "", errors.New("user name must be non-empty, without ':' or spaces")
	}
	if len(password) < 8 {
		return "", errors.New("password must have at least 8 characters")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", err
	}
	return name + ":" + string(h), nil
}

// check reports whether password is name's. Unknown names cost as much
// time as known ones.
func (u Users) check(name, password string) bool {
	h, ok := u[name]
	if !ok {
		h = dummyHash
	}
	return bcrypt.CompareHashAndPassword(h, []byte(password)) == nil && ok
}

var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password"), bcrypt.MinCost)

// session is a logged-in user.
type session struct {
	User, CSRF string
	expires    time.Time
}

// sessions are the live sessions, by cookie token.
type sessions struct {
	mu  sync.Mutex
	m   map[string]session
	ttl time.Duration
}

const cookieName = "trapnet_session"

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source failed: nothing is safe
	}
	return hex.EncodeToString(b)
}

// create starts a session for user and sets its cookie.
func (s *sessions) create(w http.ResponseWriter, r *http.Request, user string) {
	tok := randomToken()
	s.mu.Lock()
	now := time.Now()
	for k, v := range s.m { // drop expired ones
		if now.After(v.expires) {
			delete(s.m, k)
		}
	}
	s.m[tok] = session{User: user, CSRF: randomToken(), expires: now.Add(s.ttl)}
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: tok, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: int(s.ttl.Seconds())})
}

// get returns the request's session.
func (s *sessions) get(r *http.Request) (session, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return session{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[c.Value]
	if !ok || time.Now().After(v.expires) {
		delete(s.m, c.Value)
		return session{}, false
	}
	return v, true
}

// end removes the request's session and its cookie.
func (s *sessions) end(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(cookieName); err == nil {
		s.mu.Lock()
		delete(s.m, c.Value)
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
}

// validCSRF reports whether the form's csrf field is the session's token.
func validCSRF(r *http.Request, sess session) bool {
	return subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(sess.CSRF)) == 1
}

// limiter refuses logins from an address after maxFails failures within
// failWindow.
type limiter struct {
	mu    sync.Mutex
	fails map[string][]time.Time
}

const (
	maxFails   = 10
	failWindow = 10 * time.Minute
)

// allowed reports whether addr may try to log in now.
func (l *limiter) allowed(addr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.fails[addr][:0]
	for _, t := range l.fails[addr] {
		if time.Since(t) < failWindow {
			recent = append(recent, t)
		}
	}
	if len(recent) == 0 {
		delete(l.fails, addr)
	} else {
		l.fails[addr] = recent
	}
	return len(recent) < maxFails
}

// failed records a failed login from addr.
func (l *limiter) failed(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[addr] = append(l.fails[addr], time.Now())
}

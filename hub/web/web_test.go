package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/hub"
	"github.com/trapnet/trapnet/hub/hubtest"
)

// testUser and testPassword log in to the test servers.
const testUser, testPassword = "alice", "correct horse battery"

// newTestServer serves a store filled with hubtest.Fixture (dets
// detections, crops crops) on 127.0.0.1.
func newTestServer(t testing.TB, dets, crops int) (*httptest.Server, *hub.Store) {
	t.Helper()
	s, err := hub.OpenSQLite(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	fill(t, s, hubtest.Fixture("trap-01", dets, crops))
	line, err := HashPassword(testUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	name, hash, _ := strings.Cut(line, ":")
	reg := prometheus.NewRegistry()
	if err := hub.RegisterMetrics(reg, s, nil); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Options{Store: s, Users: Users{name: []byte(hash)}, Dataset: hub.DefaultConfig().Dataset,
		Registry: reg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts, s
}

// fill parses and stores msgs.
func fill(t testing.TB, s *hub.Store, msgs []hubtest.Msg) {
	t.Helper()
	recs := make([]hub.Record, 0, len(msgs))
	for _, m := range msgs {
		r, err := hub.Parse(m.Topic, m.Payload)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if _, err := s.Apply(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
}

// client is a browser-like client with cookies that does not follow
// redirects on its own.
func client(t testing.TB) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t testing.TB, c *http.Client, u string) (int, string, http.Header) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func post(t testing.TB, c *http.Client, u string, form url.Values) (int, string, http.Header) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

func login(t testing.TB, c *http.Client, base string) {
	t.Helper()
	code, _, h := post(t, c, base+"/login", url.Values{"user": {testUser}, "password": {testPassword}, "next": {"/"}})
	if code != http.StatusSeeOther || h.Get("Location") != "/" {
		t.Fatalf("login: %d %v", code, h)
	}
}

func TestLogin(t *testing.T) {
	ts, _ := newTestServer(t, 10, 0)
	c := client(t)
	if code, _, h := get(t, c, ts.URL+"/counts?trap=x"); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login?next=") {
		t.Fatalf("anonymous: %d %s", code, h.Get("Location"))
	}
	if code, body, _ := post(t, c, ts.URL+"/login", url.Values{"user": {testUser}, "password": {"wrong password"}}); code != http.StatusUnauthorized || !strings.Contains(body, "wrong user or password") {
		t.Fatalf("wrong password: %d", code)
	}
	if code, _, _ := post(t, c, ts.URL+"/login", url.Values{"user": {"mallory"}, "password": {testPassword}}); code != http.StatusUnauthorized {
		t.Fatalf("unknown user: %d", code)
	}
	// Open redirects are refused.
	code, _, h := post(t, c, ts.URL+"/login", url.Values{"user": {testUser}, "password": {testPassword}, "next": {"//evil.example/"}})
	if code != http.StatusSeeOther || h.Get("Location") != "/" {
		t.Fatalf("login with an outside next: %d %s", code, h.Get("Location"))
	}
	if code, body, _ := get(t, c, ts.URL+"/"); code != 200 || !strings.Contains(body, "trap-01") {
		t.Fatalf("overview after login: %d", code)
	}
	// Logout needs the CSRF token, then ends the session.
	if code, _, _ := post(t, c, ts.URL+"/logout", nil); code != http.StatusForbidden {
		t.Fatalf("logout without CSRF: %d", code)
	}
	_, body, _ := get(t, c, ts.URL+"/")
	tok := csrfRe.FindStringSubmatch(body)
	if code, _, _ := post(t, c, ts.URL+"/logout", url.Values{"csrf": {tok[1]}}); code != http.StatusSeeOther {
		t.Fatalf("logout: %d", code)
	}
	if code, _, _ := get(t, c, ts.URL+"/"); code != http.StatusSeeOther {
		t.Fatalf("after logout: %d", code)
	}
	// A cross-site login post is refused.
	req, _ := http.NewRequest("POST", ts.URL+"/login", strings.NewReader("user=alice&password=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := c.Do(req)
	if err != nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin login: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	// Ten failures from one address lock it out for a while, even with the
	// right password.
	for i := 0; i < maxFails; i++ {
		post(t, c, ts.URL+"/login", url.Values{"user": {testUser}, "password": {"guess"}})
	}
	if code, _, _ := post(t, c, ts.URL+"/login", url.Values{"user": {testUser}, "password": {testPassword}}); code != http.StatusTooManyRequests {
		t.Errorf("login after %d failures: %d, want 429", maxFails, code)
	}
}

func TestPages(t *testing.T) {
	ts, _ := newTestServer(t, 600, 60)
	c := client(t)
	login(t, c, ts.URL)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/", []string{`<td class="online">`, "spotted-lanternfly", "45.50000", "-73.57000", "8.0 GiB of 32.0 GiB", "v1"}},
		{"/counts?trap=trap-01", []string{`<svg id="flight-curve"`, `data-label="Lycorma delicatula"`, "<td>2026-05-31</td>", "<td>2026-06-02</td>"}},
		{"/detections?uncertain=yes", []string{"120 detections; page 1 of 2."}},
		{"/detections?label=Agrotis+ipsilon&limit=10&page=2", []string{"160 detections; page 2 of 16."}},
		{"/review", []string{"20 crops to review", `<img src="/crop/trap-01-`, `name="max_score"`}},
		{"/detections?crops=yes&limit=5", []string{`<a href="/crop/trap-01-`, "60 detections"}},
	} {
		code, body, _ := get(t, c, ts.URL+tc.path)
		if code != 200 {
			t.Errorf("%s: %d", tc.path, code)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tc.path, w)
			}
		}
	}
	_, body, _ := get(t, c, ts.URL+"/review")
	id := regexp.MustCompile(`<img src="/crop/([^"]+)"`).FindStringSubmatch(body)[1]
	if code, b, h := get(t, c, ts.URL+"/crop/"+id); code != 200 || h.Get("Content-Type") != "image/jpeg" || !bytes.HasPrefix([]byte(b), []byte{0xff, 0xd8}) {
		t.Errorf("crop: %d %s", code, h.Get("Content-Type"))
	}
	if code, _, _ := get(t, c, ts.URL+"/crop/no-such"); code != 404 {
		t.Errorf("missing crop: %d", code)
	}
	if code, b, _ := get(t, c, ts.URL+"/metrics"); code != 200 || !strings.Contains(b, `trapnet_trap_detections{trap="trap-01"} 600`) {
		t.Errorf("metrics: %d\n%s", code, b)
	}
}

// TestReview: bulk confirm and correct through the form; the counts and
// the reviewed export follow.
func TestReview(t *testing.T) {
	ts, s := newTestServer(t, 600, 60)
	c := client(t)
	login(t, c, ts.URL)
	_, body, _ := get(t, c, ts.URL+"/review")
	tok := csrfRe.FindStringSubmatch(body)[1]
	ids := regexp.MustCompile(`name="id" value="([^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(ids) != 20 {
		t.Fatalf("%d crops on the review page, want 20", len(ids))
	}
	form := url.Values{"csrf": {tok}, "action": {"set"}, "label": {"Noctua pronuba"}, "query": {"reviewed=no&uncertain=yes"}}
	for _, m := range ids[:5] {
		form.Add("id", m[1])
	}
	if code, _, _ := post(t, c, ts.URL+"/review", url.Values{"action": {"set"}, "id": {ids[0][1]}, "label": {"x"}}); code != http.StatusForbidden {
		t.Fatalf("review without CSRF: %d", code)
	}
	code, _, h := post(t, c, ts.URL+"/review", form)
	if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "done=5") {
		t.Fatalf("set label: %d %s", code, h.Get("Location"))
	}
	form = url.Values{"csrf": {tok}, "action": {"confirm"}}
	for _, m := range ids[5:8] {
		form.Add("id", m[1])
	}
	if code, _, h := post(t, c, ts.URL+"/review", form); code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "done=3") {
		t.Fatalf("confirm: %d %s", code, h.Get("Location"))
	}
	_, body, _ = get(t, c, ts.URL+"/review")
	if !strings.Contains(body, "12 crops to review") {
		t.Errorf("after reviewing 8 of 20, the page says: %s", regexp.MustCompile(`\d+ crops to review`).FindString(body))
	}
	_, body, _ = get(t, c, ts.URL+"/counts?trap=trap-01")
	if !strings.Contains(body, `data-label="Noctua pronuba"`) {
		t.Error("the corrected label is not on the chart")
	}
	var b bytes.Buffer
	if n, err := s.WriteReviewed(context.Background(), &b); err != nil || n != 8 {
		t.Errorf("reviewed export: %d crops, want 8 (%v)", n, err)
	}
	code, zb, _ := get(t, c, ts.URL+"/export/dwca.zip")
	if probs := hub.CheckDwCA(strings.NewReader(zb), int64(len(zb))); code != 200 || len(probs) > 0 {
		t.Errorf("DwC-A download: %d %v", code, probs)
	}
	if code, csv, _ := get(t, c, ts.URL+"/export/detections.csv?reviewed=yes"); code != 200 || strings.Count(csv, "\n") != 9 {
		t.Errorf("CSV download: %d, %d lines", code, strings.Count(csv, "\n"))
	}
}

// TestOverviewCardChanged: the traps table says when a trap's agent last
// took its sticky card for a new one (agent.FrameSummary.NewCard), and "-"
// for a trap whose card never changed.
func TestOverviewCardChanged(t *testing.T) {
	ts, s := newTestServer(t, 10, 0)
	at := time.Date(2026, 6, 1, 21, 30, 0, 0, time.UTC)
	payload, err := json.Marshal(agent.FrameSummary{ID: "trap-02-card", TrapID: "trap-02", FrameID: "f9", CaptureTime: at, NewCard: true})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s, []hubtest.Msg{{Topic: "trapnet/trap-02/frames", Payload: payload}})
	c := client(t)
	login(t, c, ts.URL)
	_, body, _ := get(t, c, ts.URL+"/")
	rows := regexp.MustCompile(`(?s)<tr>\s*<td><a href="/counts\?trap=(trap-0[12])">.*?</tr>`).FindAllStringSubmatch(body, -1)
	if len(rows) != 2 {
		t.Fatalf("%d trap rows in the overview:\n%s", len(rows), body)
	}
	for _, r := range rows {
		want := "<td>-</td>"
		if r[1] == "trap-02" {
			want = `title="2026-06-01 21:30:00 UTC"`
		}
		if !strings.Contains(r[0], want) {
			t.Errorf("%s's row lacks %s:\n%s", r[1], want, r[0])
		}
	}
}

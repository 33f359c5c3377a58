package hub

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent"
)

// openTest opens a fresh SQLite store.
func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := OpenSQLite(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestApplyIdempotent(t *testing.T) { testApplyIdempotent(t, openTest(t)) }

// testApplyIdempotent checks a store against any database: duplicates are
// counted once, status and health only move forward, reviews change counts.
func testApplyIdempotent(t *testing.T, s *Store) {
	ctx := context.Background()
	var recs []Record
	for i := 0; i < 600; i++ {
		recs = append(recs, detRecord(t, "trap-01", i))
	}
	n, err := s.Apply(ctx, recs)
	if err != nil || n != 600 {
		t.Fatalf("first apply: %d new, %v", n, err)
	}
	// Delivered again (at-least-once), mixed with 10 new ones.
	again := append(recs[100:300:300], detRecord(t, "trap-01", 600))
	if n, err = s.Apply(ctx, again); err != nil || n != 1 {
		t.Fatalf("re-delivery: %d new, want 1 (%v)", n, err)
	}
	counts, err := s.NightCounts(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range counts {
		total += c.N
	}
	if total != 601 {
		t.Fatalf("night counts sum to %d, want 601", total)
	}
	// 200 detections per night: ids 0..199 on the night of 2026-05-31.
	if counts[0].Night != "2026-05-31" {
		t.Errorf("first night %s, want 2026-05-31 (02:00 UTC at lon -73.6 is the evening before)", counts[0].Night)
	}

	newer := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	health := func(at time.Time, ver string) Record {
		r, err := Parse("trapnet/trap-01/health", mustJSON(t, agent.Health{TrapID: "trap-01", Time: at, ModelVersion: ver}))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if _, err := s.Apply(ctx, []Record{health(newer, "v2"), health(newer.Add(-time.Hour), "v1")}); err != nil {
		t.Fatal(err)
	}
	traps, err := s.Traps(ctx)
	if err != nil || len(traps) != 1 {
		t.Fatalf("traps %v %v", traps, err)
	}
	if tr := traps[0]; tr.ModelVersion != "v2" || !tr.HealthAt.Equal(newer) || tr.Detections != 601 || tr.Lat == nil || !tr.CardChanged.IsZero() {
		t.Errorf("trap row %+v: want the newer health (v2), 601 detections, a location and no card change", tr)
	}

	// Frames on which the agent took its sticky card for a new one: the
	// trap row says when the latest was taken (delivered twice, out of
	// order, among frames that were not).
	frame := func(id string, at time.Time, newCard bool) Record {
		r, err := Parse("trapnet/trap-01/frames", mustJSON(t, agent.FrameSummary{ID: id, TrapID: "trap-01", FrameID: id, CaptureTime: at, NewCard: newCard}))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	swapped := newer.Add(-48 * time.Hour)
	frames := []Record{frame("f3", swapped.Add(time.Minute), false), frame("f2", swapped, true), frame("f1", swapped.Add(-20*24*time.Hour), true)}
	for range 2 {
		if _, err := s.Apply(ctx, frames); err != nil {
			t.Fatal(err)
		}
	}
	if traps, err = s.Traps(ctx); err != nil || len(traps) != 1 || !traps[0].CardChanged.Equal(swapped) {
		t.Errorf("trap rows %+v (%v): want the card changed at %v", traps, err, swapped)
	}

	// Review: correct 3 uncertain detections to a species.
	ids := []string{recs[0].ID, recs[1].ID, "no-such-id"}
	if n, err := s.Review(ctx, ids, "Agrotis ipsilon", "alice"); err != nil || n != 2 {
		t.Fatalf("review: %d, %v", n, err)
	}
	rows, total2, err := s.Detections(ctx, Filter{Reviewed: "yes"})
	if err != nil || total2 != 2 || len(rows) != 2 || rows[0].ReviewLabel != "Agrotis ipsilon" || rows[0].ReviewedBy != "alice" {
		t.Fatalf("reviewed detections %+v (%d) %v", rows, total2, err)
	}
	if _, err := s.Review(ctx, ids, " ", "alice"); err == nil {
		t.Error("an empty review label was accepted")
	}
}

func TestDetectionsFilter(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var recs []Record
	for i := 0; i < 400; i++ {
		recs = append(recs, detRecord(t, "trap-01", i))
		recs = append(recs, detRecord(t, "trap-02", i))
	}
	if _, err := s.Apply(ctx, recs); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		f    Filter
		want int
	}{
		{"all", Filter{}, 800},
		{"trap", Filter{Trap: "trap-02"}, 400},
		{"night", Filter{From: "2026-06-01", To: "2026-06-01"}, 400},
		{"uncertain", Filter{Uncertain: "yes"}, 160},
		{"label", Filter{Trap: "trap-01", Label: "uncertain"}, 80},
		{"score", Filter{MaxScore: 0.55}, 96},
		{"crops", Filter{HasCrop: true}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, total, err := s.Detections(ctx, Filter{Limit: 50, Offset: 10, Trap: tc.f.Trap, Label: tc.f.Label,
				From: tc.f.From, To: tc.f.To, Uncertain: tc.f.Uncertain, MaxScore: tc.f.MaxScore, HasCrop: tc.f.HasCrop})
			if err != nil {
				t.Fatal(err)
			}
			if total != tc.want || len(rows) != min(50, max(0, tc.want-10)) {
				t.Errorf("total %d rows %d, want %d", total, len(rows), tc.want)
			}
			for i := 1; i < len(rows); i++ {
				if rows[i].CaptureTime.After(rows[i-1].CaptureTime) {
					t.Fatal("not newest first")
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	good := string(mustJSON(t, testDetection("trap-01", 1)))
	for _, tc := range []struct{ topic, payload, want string }{
		{"trapnet/t/status", "maybe", `status "maybe"`},
		{"trapnet/t/detections", "{", "not one valid UTF-8 JSON value"},
		{"trapnet/t/detections", good + " trailing", "not one valid UTF-8 JSON value"},
		{"trapnet/t/detections", strings.Replace(good, "Musca", "Mu\xffsca", 1), "not one valid UTF-8 JSON value"},
		{"trapnet/t/detections", strings.Replace(good, `"frame_id":"`, `"frame_id":"\u0000`, 1), "NUL"},
		{"trapnet/t/detections", "[1]", "bad JSON"},
		{"trapnet/t/detections", `{"id":"x","trap_id":"t","label":"a"}`, "capture_time"},
		{"trapnet/t/detections", strings.Replace(good, `"trap-01"`, `"bad trap!"`, 1), "trap id"},
		{"trapnet/t/detections", strings.Replace(good, `"label":"Musca domestica"`, `"label":""`, -1), "label is empty"},
		{"trapnet/t/crops", `{"detection_id":"x","trap_id":"t","jpeg":"aGVsbG8="}`, "not a JPEG"},
		{"trapnet/t/weather", "{}", "unknown kind"},
		{"x", "{}", "want <prefix>"},
		{"trapnet/t/alerts", `{"id":"a","trap_id":"t","time":"1970-01-01T00:00:00Z"}`, "time 1970"},
	} {
		_, err := Parse(tc.topic, []byte(tc.payload))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.topic) {
			t.Errorf("Parse(%s, %.40s): %v, want an error naming the topic and %q", tc.topic, tc.payload, err, tc.want)
		}
	}
	if _, err := Parse("trapnet/trap-01/detections", []byte(good)); err != nil {
		t.Errorf("good detection: %v", err)
	}
}

func TestNightOf(t *testing.T) {
	lon := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		at   string
		lon  *float64
		want string
	}{
		{"2026-06-01T03:30:00Z", lon(-73.57), "2026-05-31"}, // 23:36 solar
		{"2026-06-01T17:30:00Z", lon(-73.57), "2026-06-01"}, // 12:36 solar
		{"2026-06-01T01:00:00Z", lon(10), "2026-05-31"},     // 01:40 solar
		{"2026-06-01T11:00:00Z", nil, "2026-05-31"},         // UTC
		{"2026-06-01T12:00:00Z", nil, "2026-06-01"},
	} {
		at, _ := time.Parse(time.RFC3339, tc.at)
		if got := NightOf(at, tc.lon); got != tc.want {
			t.Errorf("NightOf(%s) = %s, want %s", tc.at, got, tc.want)
		}
	}
}

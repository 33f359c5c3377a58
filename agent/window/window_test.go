package window

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSun(t *testing.T) {
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	for _, tc := range []struct {
		name      string
		date      string
		lat, lon  float64
		rise, set string // UTC, from published almanacs
		kind      SunKind
	}{
		{"Montreal midsummer", "2026-06-21T12:00:00Z", 45.5017, -73.5673, "2026-06-21T09:05:00Z", "2026-06-22T00:47:00Z", Normal},
		{"London midwinter", "2026-12-21T12:00:00Z", 51.5074, -0.1278, "2026-12-21T08:04:00Z", "2026-12-21T15:53:00Z", Normal},
		{"Sydney midwinter", "2026-06-21T12:00:00Z", -33.8688, 151.2093, "2026-06-20T20:59:00Z", "2026-06-21T06:54:00Z", Normal},
		{"Tromso midsummer", "2026-06-21T12:00:00Z", 69.6492, 18.9553, "", "", MidnightSun},
		{"Tromso midwinter", "2026-12-21T12:00:00Z", 69.6492, 18.9553, "", "", PolarNight},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rise, set, kind := Sun(at(tc.date), tc.lat, tc.lon)
			if kind != tc.kind {
				t.Fatalf("kind %d, want %d", kind, tc.kind)
			}
			if kind != Normal {
				return
			}
			for _, c := range []struct {
				name      string
				got, want time.Time
			}{{"sunrise", rise, at(tc.rise)}, {"sunset", set, at(tc.set)}} {
				if d := c.got.Sub(c.want); d < -3*time.Minute || d > 3*time.Minute {
					t.Errorf("%s %s, want %s (within 3 min)", c.name, c.got.Format(time.RFC3339), c.want.Format(time.RFC3339))
				}
			}
		})
	}
}

func TestNight(t *testing.T) {
	n := Night{Lat: 45.5017, Lon: -73.5673, SunsetOffset: -30 * time.Minute, SunriseOffset: 15 * time.Minute}
	for _, tc := range []struct {
		at   string
		want bool
	}{
		{"2026-06-21T12:00:00Z", false}, // 08:00 EDT
		{"2026-06-22T00:10:00Z", false}, // 20:10 EDT, 37 min before sunset: before the window
		{"2026-06-22T00:20:00Z", true},  // 20:20 EDT: sunset - 30 min is 20:17
		{"2026-06-22T04:00:00Z", true},  // midnight EDT
		{"2026-06-22T09:15:00Z", true},  // 05:15 EDT, sunrise + 15 min is 05:20
		{"2026-06-22T09:25:00Z", false}, // 05:25 EDT
	} {
		at, _ := time.Parse(time.RFC3339, tc.at)
		if got := n.Open(at); got != tc.want {
			t.Errorf("Open(%s) = %v, want %v", tc.at, got, tc.want)
		}
	}
	polar := Night{Lat: 69.6492, Lon: 18.9553}
	if !polar.Open(time.Date(2026, 12, 21, 12, 0, 0, 0, time.UTC)) || polar.Open(time.Date(2026, 6, 21, 0, 0, 0, 0, time.UTC)) {
		t.Error("Tromso: want open all day in the polar night, closed under the midnight sun")
	}
}

func TestFixed(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Paris")
	var spans []Span
	for _, s := range []string{"21:30-02:00", "04:00-05:00"} {
		sp, err := ParseSpan(s)
		if err != nil {
			t.Fatal(err)
		}
		spans = append(spans, sp)
	}
	f := Fixed{Spans: spans, Loc: loc}
	for _, tc := range []struct {
		local string
		want  bool
	}{{"21:29", false}, {"21:30", true}, {"23:59", true}, {"01:59", true}, {"02:00", false}, {"04:30", true}, {"12:00", false}} {
		lt, _ := time.ParseInLocation("2006-01-02 15:04", "2026-07-01 "+tc.local, loc)
		if got := f.Open(lt.UTC()); got != tc.want {
			t.Errorf("%s Paris: %v, want %v", tc.local, got, tc.want)
		}
	}
	for _, bad := range []string{"21:00", "25:00-01:00", "10:00-10:00", "ab-cd"} {
		if _, err := ParseSpan(bad); err == nil {
			t.Errorf("ParseSpan(%q) accepted", bad)
		}
	}
}

// flip is a schedule switched by the test.
type flip struct{ open chan bool }

func (f *flip) Open(time.Time) bool {
	select {
	case v := <-f.open:
		f.open <- v
		return v
	default:
		return false
	}
}

func TestWatchRunsCommands(t *testing.T) {
	dir := t.TempDir()
	logf := filepath.Join(dir, "lamp")
	f := &flip{open: make(chan bool, 1)}
	f.open <- false
	var logs bytes.Buffer
	c := Commands{OnStart: []string{"sh", "-c", "echo on >> " + logf}, OnEnd: []string{"sh", "-c", "echo off >> " + logf},
		Timeout: 5 * time.Second, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { Watch(ctx, f, c, 10*time.Millisecond); close(done) }()
	set := func(v bool) { <-f.open; f.open <- v; time.Sleep(100 * time.Millisecond) }
	time.Sleep(100 * time.Millisecond)
	set(true)
	set(false)
	cancel()
	<-done
	b, _ := os.ReadFile(logf)
	if got := strings.Fields(string(b)); strings.Join(got, ",") != "off,on,off" {
		t.Errorf("lamp commands %v, want off (start, closed), on, off", got)
	}
	// A failing command is logged, not fatal.
	c.OnStart = []string{filepath.Join(dir, "no-such-program")}
	c.run(context.Background(), true)
	if !strings.Contains(logs.String(), "capture window command failed") {
		t.Errorf("failure not logged: %s", logs.String())
	}
}

func TestGate(t *testing.T) {
	in := make(chan time.Time)
	f := &flip{open: make(chan bool, 1)}
	f.open <- false
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := Gate(ctx, in, f)
	in <- time.Now()
	select {
	case <-out:
		t.Fatal("a tick passed a closed window")
	case <-time.After(50 * time.Millisecond):
	}
	<-f.open
	f.open <- true
	in <- time.Now()
	select {
	case <-out:
	case <-time.After(time.Second):
		t.Fatal("a tick did not pass an open window")
	}
}

package agent

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// lastCounts returns the latest DailyCounts in the outbox.
func lastCounts(t *testing.T, p *Pipeline) (DailyCounts, bool) {
	t.Helper()
	es, err := p.Outbox.Peek(1000)
	if err != nil {
		t.Fatal(err)
	}
	var c DailyCounts
	found := false
	for _, e := range es {
		if strings.HasSuffix(e.Topic, "/counts") {
			if !e.Retained {
				t.Error("counts message not retained")
			}
			json.Unmarshal(e.Payload, &c)
			found = true
		}
	}
	return c, found
}

// TestDailyCounts: the day's counts grow within a local day, restart from
// zero on the next, and survive a restart with the pipeline's state.
func TestDailyCounts(t *testing.T) {
	finder := fakeFinder{reds: []uint8{200, 100}}
	p, box, _ := newPipeline(t, finder, &fakeClassifier{})
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	for i, tc := range []struct {
		at, date   string
		flies, unc int
	}{
		// Toronto: 03:30 UTC on 1 June is 23:30 on 31 May.
		{"2026-06-01T03:30:00Z", "2026-05-31", 1, 1},
		{"2026-06-01T03:40:00Z", "2026-05-31", 2, 2},
		{"2026-06-01T04:10:00Z", "2026-06-01", 1, 1}, // 00:10 local: a new day
	} {
		f := frame("f.jpg")
		f.Time = at(tc.at)
		f.ID = f.ID + string(rune('a'+i))
		if _, err := p.Process(f); err != nil {
			t.Fatal(err)
		}
		c, ok := lastCounts(t, p)
		if !ok || c.Date != tc.date || c.Counts["Drosophila melanogaster"] != tc.flies || c.Counts["uncertain"] != tc.unc || c.Total != tc.flies+tc.unc {
			t.Fatalf("frame %d: counts %+v, want %s: %d flies, %d uncertain", i, c, tc.date, tc.flies, tc.unc)
		}
	}
	// A new pipeline on the same outbox resumes the day.
	p2 := &Pipeline{Cfg: p.Cfg, Finder: finder, Classifier: &fakeClassifier{}, Outbox: box, Log: p.Log}
	if ok, err := p2.RestoreState(); err != nil || !ok {
		t.Fatalf("restore: %v %v", ok, err)
	}
	f := frame("g.jpg")
	f.Time = at("2026-06-01T04:20:00Z")
	if _, err := p2.Process(f); err != nil {
		t.Fatal(err)
	}
	if c, _ := lastCounts(t, p2); c.Date != "2026-06-01" || c.Total != 4 {
		t.Fatalf("after a restart: %+v, want 4 on 2026-06-01", c)
	}
}

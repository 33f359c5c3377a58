package hub

import (
	"context"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent"
)

// testFrameNights checks that frames stored before their trap's first
// located detection end on the detections' nights (a trap near Sydney,
// where UTC noon-to-noon nights would split an evening), on any store.
func testFrameNights(t *testing.T, s *Store) {
	ctx := context.Background()
	lat, lon := -33.87, 151.21
	// 20:00 local (UTC+10) on 1 June is 10:00 UTC on 1 June: the night of
	// 1 June locally; UTC noon-to-noon would say 31 May.
	at := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	frame := func(id string, t0 time.Time) Record {
		r, err := Parse("trapnet/syd/frames", mustJSON(t, agent.FrameSummary{ID: id, TrapID: "syd", FrameID: id, CaptureTime: t0}))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if _, err := s.Apply(ctx, []Record{frame("f1", at)}); err != nil { // before any detection
		t.Fatal(err)
	}
	d := testDetection("syd", 1)
	d.CaptureTime, d.Location = at.Add(time.Minute), agent.Location{Lat: &lat, Lon: &lon}
	det, err := Parse("trapnet/syd/detections", mustJSON(t, d))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, []Record{det, frame("f2", at.Add(2*time.Minute))}); err != nil {
		t.Fatal(err)
	}
	efforts, err := s.Efforts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(efforts) != 1 || efforts[0].Night != "2026-06-01" || efforts[0].Frames != 2 || efforts[0].Specimens != 1 {
		t.Fatalf("efforts %+v, want one night 2026-06-01 with 2 frames and 1 specimen", efforts)
	}
}

func TestFrameNights(t *testing.T) { testFrameNights(t, openTest(t)) }

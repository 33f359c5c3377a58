package hub

import (
	"context"
	"testing"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/hub/hubtest"
)

// testDetection is hubtest.Detection.
func testDetection(trap string, i int) agent.Detection { return hubtest.Detection(trap, i) }

// Fixture sizes: detections of trap-01 (3 nights), crops of the first
// fixtureCrops, reviewed: fixtureConfirmed confirmed and fixtureCorrected
// corrected among them.
const (
	fixtureDets      = 600
	fixtureCrops     = 60
	fixtureConfirmed = 10
	fixtureCorrected = 15
)

// applyMsgs parses and stores msgs.
func applyMsgs(t testing.TB, s *Store, msgs []hubtest.Msg) {
	t.Helper()
	recs := make([]Record, 0, len(msgs))
	for _, m := range msgs {
		r, err := Parse(m.Topic, m.Payload)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if _, err := s.Apply(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
}

// fillFixture stores hubtest.Fixture and reviews some crops.
func fillFixture(t testing.TB, s *Store) {
	t.Helper()
	ctx := context.Background()
	applyMsgs(t, s, hubtest.Fixture("trap-01", fixtureDets, fixtureCrops))
	var confirm, correct []string
	for i := 0; i < fixtureConfirmed+fixtureCorrected; i++ {
		id := testDetection("trap-01", i).ID
		if i < fixtureConfirmed {
			confirm = append(confirm, id)
		} else {
			correct = append(correct, id)
		}
	}
	if n, err := s.Confirm(ctx, confirm, "alice"); err != nil || n != fixtureConfirmed {
		t.Fatalf("confirm: %d %v", n, err)
	}
	if n, err := s.Review(ctx, correct, "Noctua pronuba", "alice"); err != nil || n != fixtureCorrected {
		t.Fatalf("correct: %d %v", n, err)
	}
}

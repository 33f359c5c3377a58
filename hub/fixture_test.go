package hub

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent"
)

// testJPEG is a small JPEG of a dark blob on grey, varied by i.
func testJPEG(t testing.TB, i int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			c := color.RGBA{160, 160, 160, 255}
			if (x-32)*(x-32)+(y-24)*(y-24) < 100+i%50 {
				c = color.RGBA{uint8(40 + i%100), 30, 20, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Fixture sizes: detections of trap-01 (3 nights), crops of the first
// fixtureCrops, reviewed: fixtureConfirmed confirmed and fixtureCorrected
// corrected among them.
const (
	fixtureDets      = 600
	fixtureCrops     = 60
	fixtureConfirmed = 10
	fixtureCorrected = 15
)

// fillFixture stores detections, frames (one per 10 minutes of each night),
// crops, an alert and a health report, and reviews some crops.
func fillFixture(t testing.TB, s *Store) {
	t.Helper()
	ctx := context.Background()
	var recs []Record
	parse := func(topic string, v any) {
		r, err := Parse(topic, mustJSON(t, v))
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	for i := 0; i < fixtureDets; i++ {
		d := testDetection("trap-01", i)
		parse("trapnet/trap-01/detections", d)
		if i%10 == 0 {
			parse("trapnet/trap-01/frames", agent.FrameSummary{ID: fmt.Sprintf("f-%d", i), TrapID: "trap-01", FrameID: d.FrameID,
				CaptureTime: d.CaptureTime, Specimens: 10, New: 10})
		}
		if i < fixtureCrops {
			parse("trapnet/trap-01/crops", agent.Crop{DetectionID: d.ID, TrapID: "trap-01", JPEG: testJPEG(t, i)})
		}
	}
	at := time.Date(2026, 6, 1, 3, 0, 0, 0, time.UTC)
	parse("trapnet/trap-01/alerts", agent.Alert{ID: "a-1", TrapID: "trap-01", Rule: "spotted-lanternfly",
		Labels: []string{"Lycorma delicatula"}, Count: 3, MinCount: 3, Time: at})
	parse("trapnet/trap-01/health", agent.Health{TrapID: "trap-01", Time: at, ModelVersion: "v1",
		Disk: agent.Disk{FreeBytes: 8 << 30, TotalBytes: 32 << 30}})
	if _, err := s.Apply(ctx, recs); err != nil {
		t.Fatal(err)
	}
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

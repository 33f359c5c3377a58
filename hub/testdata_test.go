package hub

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent"
)

// testDetection returns detection i of trap, a night's worth spread over
// nights, with labels cycling over three species.
func testDetection(trap string, i int) agent.Detection {
	lat, lon := 45.5, -73.57
	labels := []string{"Lycorma delicatula", "Musca domestica", "Agrotis ipsilon"}
	t0 := time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC) // 22:00 local solar the evening before
	at := t0.Add(time.Duration(i%200)*time.Minute + time.Duration(i/200)*24*time.Hour)
	l := labels[i%len(labels)]
	return agent.Detection{
		ID: fmt.Sprintf("%s-%s-%06d", trap, at.Format("20060102T150405.000Z"), i), TrapID: trap,
		FrameID: fmt.Sprintf("frame_%04d.jpg", i), CaptureTime: at, LocalDate: at.Format("2006-01-02"),
		Location: agent.Location{Lat: &lat, Lon: &lon, Country: "Canada", Region: "Quebec"},
		Box:      agent.Box{X0: 10, Y0: 10, X1: 50, Y1: 40}, TopK: []agent.Prediction{{Label: l, Score: 0.9}},
		Label: l, Score: 0.5 + float64(i%50)/100, Uncertain: i%50 < 10, ModelVersion: "v1", CropSHA256: "00",
	}
}

// mustJSON marshals v.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// detRecord is testDetection as a parsed record.
func detRecord(t testing.TB, trap string, i int) Record {
	t.Helper()
	d := testDetection(trap, i)
	r, err := Parse("trapnet/"+trap+"/detections", mustJSON(t, d))
	if err != nil {
		t.Fatal(err)
	}
	return r
}
